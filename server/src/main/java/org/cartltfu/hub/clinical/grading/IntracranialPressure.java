package org.cartltfu.hub.clinical.grading;

/**
 * ICANS raised intracranial pressure / cerebral oedema domain ({@code icans-icp}). Oedema around an intracranial
 * haemorrhage does not count: see {@link ExcludedFinding}.
 */
public enum IntracranialPressure implements IcansFinding {
    /** No raised intracranial pressure or oedema. */
    NONE("none", 0),
    /** Focal or local oedema on neuroimaging (G3). */
    FOCAL_EDEMA("focal-edema", 3),
    /**
     * Diffuse cerebral oedema on imaging, decerebrate/decorticate posturing, CN VI palsy, papilloedema or Cushing's
     * triad (G4).
     */
    DIFFUSE_EDEMA("diffuse-edema", 4);

    private final String code;
    private final int grade;

    IntracranialPressure(String code, int grade) {
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
    public static IntracranialPressure fromCode(String code) {
        return Codes.fromCode(IntracranialPressure.class, code, IntracranialPressure::code);
    }
}
