package org.cartltfu.hub.registry.gate;

import java.util.Set;

/**
 * What the release decision needs to know about a recipient.
 *
 * @param name the recipient's name, used in reasons
 * @param country where the recipient holds the data (ISO 3166 alpha-2)
 * @param purposes consent purposes its use falls under (v3 ActReason codes, e.g. {@code HRESCH})
 * @param transferBases the documented transfer bases the hub holds for this recipient
 */
public record RecipientTerms(String name, String country, Set<String> purposes, Set<String> transferBases) {

    public RecipientTerms {
        purposes = purposes == null ? Set.of() : Set.copyOf(purposes);
        transferBases = transferBases == null ? Set.of() : Set.copyOf(transferBases);
    }
}
