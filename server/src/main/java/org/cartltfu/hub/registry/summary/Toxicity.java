package org.cartltfu.hub.registry.summary;

/** The toxicities the registry forms ask about per period (cart-event-type codes crs and icans). */
public enum Toxicity {
    CRS,
    ICANS
}
