package org.cartltfu.hub.registry.deid;

/** How the dates of one recipient's extracts leave the hub. */
public enum DatePolicy {
    /** Each date becomes the day relative to the first infusion (day 0): the CIBMTR/EBMT convention. */
    STUDY_DAY,
    /** Each date moves by one secret number of days per patient and recipient: intervals stay exact. */
    SHIFT
}
