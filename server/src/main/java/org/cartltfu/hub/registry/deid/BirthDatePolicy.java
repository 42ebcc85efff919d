package org.cartltfu.hub.registry.deid;

/** What is left of a birth date in one recipient's extracts. */
public enum BirthDatePolicy {
    /** The year of birth only. */
    YEAR,
    /** Age in whole years at the first infusion, instead of any birth date. */
    AGE_AT_INFUSION
}
