package org.cartltfu.hub.registry.summary;

/** A value that leaves the summary as a code of the implementation guide (or yes/no/unknown). */
public interface Coded {

    String code();
}
