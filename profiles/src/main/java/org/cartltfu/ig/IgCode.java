package org.cartltfu.ig;

/**
 * A code of one of the guide's own CodeSystems that the server's logic reads or writes. Each enum implementing this
 * is checked against the package (every code must be defined in its CodeSystem), so Java cannot drift from the IG.
 */
public interface IgCode {

    /** The CodeSystem's canonical URL. */
    String system();

    String code();
}
