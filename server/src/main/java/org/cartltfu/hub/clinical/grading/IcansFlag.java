package org.cartltfu.hub.clinical.grading;

/** Situations where the ICANS grade needs a clinician rather than a guess. */
public enum IcansFlag {
    DOMAINS_NOT_ASSESSED("One or more domains were not assessed, so the grade is only known as a range."
            + " Record 'none' explicitly when a domain is normal."),
    SCREEN_NOT_PERFORMED("The patient could not perform ICE/CAPD while arousable: confirm the cause is"
            + " neurological, not language, hearing, sedation or intubation."),
    SCREEN_CONFOUNDED_BY_OTHER_CAUSE("ICE 0 or no screen possible while depressed consciousness is attributed"
            + " to another cause (e.g. sedation): the encephalopathy domain cannot be graded."),
    CAPD_BELOW_9_WITHOUT_DEPRESSED_CONSCIOUSNESS("CAPD 1–8 without depressed consciousness: ASTCT gives G1/G2"
            + " for CAPD <9 together with the consciousness level, so decide G0 or G1.");

    private final String description;

    IcansFlag(String description) {
        this.description = description;
    }

    /** What the clinician should check. */
    public String description() {
        return description;
    }
}
