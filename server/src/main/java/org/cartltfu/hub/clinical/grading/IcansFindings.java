package org.cartltfu.hub.clinical.grading;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What was observed for one ICANS assessment, as input to {@link IcansGrader}.
 *
 * <p>Each domain is an observation, so null means "not assessed", not "normal": send {@code none}/{@code awake}
 * explicitly, otherwise the grade stays a range. The screen is ICE for patients over 12 and CAPD for
 * patients aged 12 or under or with developmental delay (see {@link EncephalopathyScreen}); giving the other
 * one is rejected rather than silently regraded.
 *
 * @param ageYears               completed years at assessment; needed to choose ICE or CAPD
 * @param developmentalDelay     CAPD applies at any age
 * @param iceScore               ICE 0–10, patients over 12
 * @param capdScore              CAPD 0–32, patients 12 or under or with developmental delay
 * @param unableToPerformScreen  the patient could not perform ICE/CAPD (ICE is then scored 0)
 * @param consciousness          level of consciousness
 * @param seizure                seizure category; may be derived from {@code seizureDurationMinutes}
 * @param seizureDurationMinutes duration of the longest seizure; more than 5 minutes is prolonged
 * @param motor                  motor findings
 * @param intracranialPressure   raised intracranial pressure / cerebral oedema
 * @param attributedToOtherCause domains whose findings a clinician attributes to another cause (e.g. sedation);
 *                               they are excluded from the grade
 * @param excludedFindings       tremor, myoclonus, intracranial haemorrhage: accepted, ignored, noted
 * @param diedOfIcans            death from ICANS with no other principal cause
 */
public record IcansFindings(
        Integer ageYears,
        boolean developmentalDelay,
        Integer iceScore,
        Integer capdScore,
        boolean unableToPerformScreen,
        Consciousness consciousness,
        Seizure seizure,
        Double seizureDurationMinutes,
        Motor motor,
        IntracranialPressure intracranialPressure,
        Set<IcansDomain> attributedToOtherCause,
        Set<ExcludedFinding> excludedFindings,
        boolean diedOfIcans) {

    static final int ICE_MAX = 10;
    static final int CAPD_MAX = 32;
    /** ASTCT: a seizure longer than this is "prolonged" (G4). */
    static final double PROLONGED_SEIZURE_MINUTES = 5.0;

    public IcansFindings {
        requireBetween("iceScore", iceScore, 0, ICE_MAX);
        requireBetween("capdScore", capdScore, 0, CAPD_MAX);
        EncephalopathyScreen.requirePlausibleAge(ageYears);
        if (iceScore != null || capdScore != null || unableToPerformScreen) {
            requireMatchingScreen(ageYears, developmentalDelay, iceScore, capdScore, unableToPerformScreen);
        }
        if (seizureDurationMinutes != null) {
            requireConsistentSeizure(seizure, seizureDurationMinutes);
        }
        attributedToOtherCause = immutableCopy(attributedToOtherCause, IcansDomain.class, "attributedToOtherCause");
        if (attributedToOtherCause.contains(IcansDomain.DEATH)) {
            throw new IllegalArgumentException(
                    "attributedToOtherCause must not contain DEATH; set diedOfIcans only for death from ICANS");
        }
        excludedFindings = immutableCopy(excludedFindings, ExcludedFinding.class, "excludedFindings");
    }

    /** The seizure category, derived from the duration when only the duration was given; null if not assessed. */
    public Seizure effectiveSeizure() {
        if (seizure != null || seizureDurationMinutes == null) {
            return seizure;
        }
        return seizureDurationMinutes > PROLONGED_SEIZURE_MINUTES
                ? Seizure.PROLONGED_OR_REPETITIVE
                : Seizure.RESOLVED_RAPIDLY;
    }

    private static void requireBetween(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static void requireMatchingScreen(
            Integer ageYears, boolean developmentalDelay, Integer iceScore, Integer capdScore, boolean unable) {
        EncephalopathyScreen screen = EncephalopathyScreen.forPatient(ageYears, developmentalDelay);
        String patient = developmentalDelay ? "a patient with developmental delay" : "a patient aged " + ageYears;
        if (screen == EncephalopathyScreen.ICE && capdScore != null) {
            throw new IllegalArgumentException("capdScore is for patients aged 12 or under or with developmental"
                    + " delay; " + patient + " is screened with iceScore");
        }
        if (screen == EncephalopathyScreen.CAPD && iceScore != null) {
            throw new IllegalArgumentException("iceScore is for patients over 12 without developmental delay; "
                    + patient + " is screened with capdScore");
        }
        if (unable && iceScore != null && iceScore != 0) {
            throw new IllegalArgumentException(
                    "iceScore must be 0 or empty when unableToPerformScreen is set, was " + iceScore);
        }
        if (unable && capdScore != null) {
            throw new IllegalArgumentException("capdScore must be empty when unableToPerformScreen is set");
        }
    }

    private static void requireConsistentSeizure(Seizure seizure, double minutes) {
        if (!(minutes > 0) || Double.isInfinite(minutes)) {
            throw new IllegalArgumentException("seizureDurationMinutes must be positive, was " + minutes);
        }
        if (seizure == Seizure.NONE) {
            throw new IllegalArgumentException("seizureDurationMinutes given but seizure is 'none'");
        }
        if (seizure == Seizure.RESOLVED_RAPIDLY && minutes > PROLONGED_SEIZURE_MINUTES) {
            throw new IllegalArgumentException("seizure 'resolved-rapidly' contradicts seizureDurationMinutes "
                    + minutes + " (more than 5 minutes is 'prolonged-or-repetitive')");
        }
    }

    private static <E extends Enum<E>> Set<E> immutableCopy(Set<E> values, Class<E> type, String field) {
        if (values == null || values.isEmpty()) {
            return Set.of();
        }
        if (values.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException(field + " must not contain null");
        }
        EnumSet<E> copy = EnumSet.noneOf(type);
        copy.addAll(values);
        return Collections.unmodifiableSet(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds findings field by field; unset domains mean not assessed. */
    public static final class Builder {
        private Integer ageYears;
        private boolean developmentalDelay;
        private Integer iceScore;
        private Integer capdScore;
        private boolean unableToPerformScreen;
        private Consciousness consciousness;
        private Seizure seizure;
        private Double seizureDurationMinutes;
        private Motor motor;
        private IntracranialPressure intracranialPressure;
        private final Set<IcansDomain> attributedToOtherCause = EnumSet.noneOf(IcansDomain.class);
        private final Set<ExcludedFinding> excludedFindings = EnumSet.noneOf(ExcludedFinding.class);
        private boolean diedOfIcans;

        private Builder() {}

        public Builder ageYears(Integer years) {
            this.ageYears = years;
            return this;
        }

        public Builder developmentalDelay(boolean delay) {
            this.developmentalDelay = delay;
            return this;
        }

        public Builder iceScore(Integer score) {
            this.iceScore = score;
            return this;
        }

        public Builder capdScore(Integer score) {
            this.capdScore = score;
            return this;
        }

        public Builder unableToPerformScreen(boolean unable) {
            this.unableToPerformScreen = unable;
            return this;
        }

        public Builder consciousness(Consciousness level) {
            this.consciousness = level;
            return this;
        }

        public Builder seizure(Seizure category) {
            this.seizure = category;
            return this;
        }

        public Builder seizureDurationMinutes(Double minutes) {
            this.seizureDurationMinutes = minutes;
            return this;
        }

        public Builder motor(Motor finding) {
            this.motor = finding;
            return this;
        }

        public Builder intracranialPressure(IntracranialPressure finding) {
            this.intracranialPressure = finding;
            return this;
        }

        public Builder attributedToOtherCause(IcansDomain... domains) {
            this.attributedToOtherCause.addAll(Arrays.asList(domains));
            return this;
        }

        public Builder excludedFindings(ExcludedFinding... findings) {
            this.excludedFindings.addAll(Arrays.asList(findings));
            return this;
        }

        public Builder diedOfIcans(boolean died) {
            this.diedOfIcans = died;
            return this;
        }

        /** @throws IllegalArgumentException when the findings are out of range or contradict each other */
        public IcansFindings build() {
            return new IcansFindings(
                    ageYears,
                    developmentalDelay,
                    iceScore,
                    capdScore,
                    unableToPerformScreen,
                    consciousness,
                    seizure,
                    seizureDurationMinutes,
                    motor,
                    intracranialPressure,
                    attributedToOtherCause,
                    excludedFindings,
                    diedOfIcans);
        }
    }
}
