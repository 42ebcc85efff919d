package org.cartltfu.hub.clinical.grading;

/** The parts of the ASTCT CRS grade that can drive it. */
public enum CrsDomain {
    FEVER,
    HYPOTENSION,
    HYPOXIA,
    DEATH
}
