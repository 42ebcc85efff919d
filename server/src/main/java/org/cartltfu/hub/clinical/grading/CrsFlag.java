package org.cartltfu.hub.clinical.grading;

/** Situations the ASTCT consensus does not settle; a clinician must confirm the grade. */
public enum CrsFlag {
    VASOPRESSIN_ALONE("Vasopressin was the only vasopressor. ASTCT grades 'a vasopressor with or without"
            + " vasopressin' as G3 but does not address vasopressin alone: confirm G2 or G3."),
    UNLISTED_VASOPRESSOR("A vasopressor outside the known list was given: confirm the agents, since"
            + " two or more non-vasopressin agents make G4."),
    UNKNOWN_O2_DEVICE("Oxygen was given by an unknown or unlisted device: confirm the device (G2 to G4)."),
    O2_FLOW_MISSING("Nasal cannula without a flow rate: ≤6 L/min is G2, >6 L/min is G3."),
    HIGH_FLOW_DEVICE_AT_LOW_FLOW("High-flow nasal cannula recorded at ≤6 L/min, but ASTCT defines high flow"
            + " as >6 L/min: check the flow (G2 or G3)."),
    MASKED_FEVER_WITHOUT_HYPOTENSION_OR_HYPOXIA("No fever after tocilizumab or corticosteroids and no"
            + " hypotension or hypoxia: the consensus gives no grade for this; decide G0 or G1."),
    TEMPERATURE_MISSING("No temperature recorded and no fever-masking therapy: CRS cannot be confirmed.");

    private final String description;

    CrsFlag(String description) {
        this.description = description;
    }

    /** What the clinician should check. */
    public String description() {
        return description;
    }
}
