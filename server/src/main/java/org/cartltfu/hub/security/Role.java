package org.cartltfu.hub.security;

/** What a client is, which decides what it may do. */
public enum Role {
    /** The hub hospital: reads everything, writes hub data. */
    HUB,
    /** A spoke hospital: reads and writes only its own patients' data. */
    SPOKE,
    /** A registry: no direct access; extracts come through a separate export. */
    REGISTRY
}
