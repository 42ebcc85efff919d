package org.cartltfu.hub.clinical.grading;

/**
 * Hypotension axis of the ASTCT CRS grade, as coded on the FHIR assessment ({@code crs-pressor-support}).
 * Grading is by the intervention needed, not by a measured blood pressure.
 */
public enum PressorSupport {
    /** No hypotension needing treatment. */
    NONE("none"),
    /** Hypotension managed without a vasopressor (G2). */
    FLUIDS("fluids"),
    /** One vasopressor, with or without vasopressin (G3). */
    ONE_PRESSOR("one-pressor"),
    /** Two or more vasopressors, vasopressin not counted (G4). */
    MULTIPLE_PRESSORS("multiple-pressors");

    private final String code;

    PressorSupport(String code) {
        this.code = code;
    }

    /** The FHIR code. */
    public String code() {
        return code;
    }

    /** @throws IllegalArgumentException for null or unknown codes */
    public static PressorSupport fromCode(String code) {
        return Codes.fromCode(PressorSupport.class, code, PressorSupport::code);
    }
}
