package org.cartltfu.hub.clinical.grading;

/**
 * Hypoxia axis of the ASTCT CRS grade, as coded on the FHIR assessment ({@code crs-o2-support}).
 * Grading is by how oxygen is delivered, not by a measured SpO2.
 */
public enum OxygenSupport {
    /** No supplemental oxygen. */
    NONE("none"),
    /** Low-flow nasal cannula (≤6 L/min) or blow-by (G2). */
    LOW_FLOW("low-flow"),
    /** High-flow nasal cannula (>6 L/min), facemask, non-rebreather or Venturi mask (G3). */
    HIGH_FLOW_OR_MASK("high-flow-or-mask"),
    /** CPAP, BiPAP or mechanical ventilation (G4). */
    POSITIVE_PRESSURE("positive-pressure");

    private final String code;

    OxygenSupport(String code) {
        this.code = code;
    }

    /** The FHIR code. */
    public String code() {
        return code;
    }

    /** @throws IllegalArgumentException for null or unknown codes */
    public static OxygenSupport fromCode(String code) {
        return Codes.fromCode(OxygenSupport.class, code, OxygenSupport::code);
    }
}
