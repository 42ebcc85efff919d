package org.cartltfu.hub.clinical.grading;

/** ICANS seizure domain ({@code icans-seizure}). */
public enum Seizure implements IcansFinding {
    /** No seizure. */
    NONE("none", 0),
    /**
     * Clinical seizure that resolves rapidly, or non-convulsive seizure on EEG that resolves with intervention (G3).
     */
    RESOLVED_RAPIDLY("resolved-rapidly", 3),
    /** Life-threatening prolonged seizure (&gt;5 min), or repetitive seizures without return to baseline (G4). */
    PROLONGED_OR_REPETITIVE("prolonged-or-repetitive", 4);

    private final String code;
    private final int grade;

    Seizure(String code, int grade) {
        this.code = code;
        this.grade = grade;
    }

    /** The FHIR code. */
    public String code() {
        return code;
    }

    /** The ICANS grade this finding gives on its own when not attributable to another cause. */
    @Override
    public int grade() {
        return grade;
    }

    /** @throws IllegalArgumentException for null or unknown codes */
    public static Seizure fromCode(String code) {
        return Codes.fromCode(Seizure.class, code, Seizure::code);
    }
}
