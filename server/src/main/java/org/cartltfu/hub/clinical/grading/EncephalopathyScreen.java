package org.cartltfu.hub.clinical.grading;

/** Which encephalopathy screen ASTCT uses for a patient: ICE over 12 years, CAPD for younger or delayed patients. */
public enum EncephalopathyScreen {
    /** Immune effector cell-associated encephalopathy score, 0–10 (10 = normal). */
    ICE,
    /** Cornell Assessment of Pediatric Delirium, 0–32 (≥9 = delirium). */
    CAPD;

    /** Oldest age, in completed years, that is screened with CAPD. */
    public static final int CAPD_MAX_AGE_YEARS = 12;

    static final int MAX_PLAUSIBLE_AGE_YEARS = 130;

    /**
     * @param ageYears           completed years at assessment; may be null only with developmental delay
     * @param developmentalDelay developmental delay means CAPD at any age
     * @throws IllegalArgumentException when the age is missing (without delay) or out of range
     */
    public static EncephalopathyScreen forPatient(Integer ageYears, boolean developmentalDelay) {
        requirePlausibleAge(ageYears);
        if (developmentalDelay) {
            return CAPD;
        }
        if (ageYears == null) {
            throw new IllegalArgumentException("ageYears is required to choose between ICE (over 12) and CAPD"
                    + " (12 or under) unless developmentalDelay is set");
        }
        return ageYears <= CAPD_MAX_AGE_YEARS ? CAPD : ICE;
    }

    static void requirePlausibleAge(Integer ageYears) {
        if (ageYears != null && (ageYears < 0 || ageYears > MAX_PLAUSIBLE_AGE_YEARS)) {
            throw new IllegalArgumentException(
                    "ageYears must be between 0 and " + MAX_PLAUSIBLE_AGE_YEARS + ", was " + ageYears);
        }
    }
}
