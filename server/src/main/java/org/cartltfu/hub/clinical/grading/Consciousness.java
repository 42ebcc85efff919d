package org.cartltfu.hub.clinical.grading;

/**
 * ICANS depressed-level-of-consciousness domain ({@code icans-consciousness}); counts only without another cause such
 * as sedation.
 */
public enum Consciousness implements IcansFinding {
    /** Alert; no depressed consciousness. */
    AWAKE("awake", 0),
    /** Drowsy but awakens spontaneously (G1). */
    AWAKENS_SPONTANEOUSLY("awakens-spontaneously", 1),
    /** Awakens to voice (G2). */
    AWAKENS_TO_VOICE("awakens-to-voice", 2),
    /** Awakens only to tactile stimulus (G3). */
    AWAKENS_TO_TOUCH("awakens-to-touch", 3),
    /** Unarousable or needs vigorous or repetitive tactile stimuli; stupor; coma (G4). */
    UNAROUSABLE("unarousable", 4);

    private final String code;
    private final int grade;

    Consciousness(String code, int grade) {
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
    public static Consciousness fromCode(String code) {
        return Codes.fromCode(Consciousness.class, code, Consciousness::code);
    }
}
