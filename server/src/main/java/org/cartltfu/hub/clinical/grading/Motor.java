package org.cartltfu.hub.clinical.grading;

/**
 * ICANS motor domain ({@code icans-motor}). Tremor and myoclonus are not motor findings for ICANS: see {@link
 * ExcludedFinding}.
 */
public enum Motor implements IcansFinding {
    /** No focal motor weakness. */
    NONE("none", 0),
    /** Deep focal motor weakness such as hemiparesis or paraparesis (G4). */
    DEEP_FOCAL_WEAKNESS("deep-focal-weakness", 4);

    private final String code;
    private final int grade;

    Motor(String code, int grade) {
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
    public static Motor fromCode(String code) {
        return Codes.fromCode(Motor.class, code, Motor::code);
    }
}
