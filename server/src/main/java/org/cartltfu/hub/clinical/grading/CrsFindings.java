package org.cartltfu.hub.clinical.grading;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What was observed and done for one CRS assessment, as input to {@link CrsGrader}.
 *
 * <p>Support is recorded either raw (vasopressor agents, fluids, oxygen device and flow) or already coded
 * ({@link PressorSupport}, {@link OxygenSupport}) as the FHIR assessment carries it, never both for the same axis.
 * Support inputs describe interventions given, so absent means none was given; the temperature is an
 * observation, so absent means not measured.
 *
 * @param temperatureCelsius          highest temperature in °C, or null if not recorded
 * @param feverAttributableToOtherCause a clinician attributes the fever to another cause (e.g. infection)
 * @param feverMaskingTherapyGiven    tocilizumab or a corticosteroid was given, so fever is no longer required
 * @param vasopressors                vasopressor agents given (distinct agents count, not administrations)
 * @param hypotensionManagedWithFluidsOnly hypotension needed treatment but no vasopressor
 * @param pressorSupport              coded hypotension support, instead of the two raw fields above
 * @param oxygenDevice                how oxygen was delivered, or null if none recorded
 * @param oxygenFlowLitresPerMinute   oxygen flow in L/min, needed to grade nasal cannulas
 * @param oxygenSupport               coded oxygen support, instead of device and flow
 * @param diedOfCrs                   death attributed to CRS
 */
public record CrsFindings(
        Double temperatureCelsius,
        boolean feverAttributableToOtherCause,
        boolean feverMaskingTherapyGiven,
        List<Vasopressor> vasopressors,
        boolean hypotensionManagedWithFluidsOnly,
        PressorSupport pressorSupport,
        OxygenDevice oxygenDevice,
        Double oxygenFlowLitresPerMinute,
        OxygenSupport oxygenSupport,
        boolean diedOfCrs) {

    /** Outside this range a value is almost certainly in °F or mistyped (a sanity check, not a clinical limit). */
    static final double MIN_PLAUSIBLE_CELSIUS = 25.0;

    static final double MAX_PLAUSIBLE_CELSIUS = 45.0;

    public CrsFindings {
        if (temperatureCelsius != null
                && !(temperatureCelsius >= MIN_PLAUSIBLE_CELSIUS && temperatureCelsius <= MAX_PLAUSIBLE_CELSIUS)) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "temperatureCelsius must be between %.1f and %.1f °C, was %s (recorded in °F?)",
                    MIN_PLAUSIBLE_CELSIUS,
                    MAX_PLAUSIBLE_CELSIUS,
                    temperatureCelsius));
        }
        vasopressors = vasopressors == null ? List.of() : copyWithoutNulls(vasopressors);
        if (pressorSupport != null && (!vasopressors.isEmpty() || hypotensionManagedWithFluidsOnly)) {
            throw new IllegalArgumentException(
                    "give either pressorSupport or vasopressors/hypotensionManagedWithFluidsOnly, not both");
        }
        if (oxygenSupport != null && (oxygenDevice != null || oxygenFlowLitresPerMinute != null)) {
            throw new IllegalArgumentException(
                    "give either oxygenSupport or oxygenDevice/oxygenFlowLitresPerMinute, not both");
        }
        if (oxygenFlowLitresPerMinute != null) {
            if (!(oxygenFlowLitresPerMinute >= 0) || oxygenFlowLitresPerMinute.isInfinite()) {
                throw new IllegalArgumentException(
                        "oxygenFlowLitresPerMinute must be zero or positive, was " + oxygenFlowLitresPerMinute);
            }
            if (oxygenDevice == null) {
                throw new IllegalArgumentException("oxygenFlowLitresPerMinute needs an oxygenDevice");
            }
            if (oxygenDevice == OxygenDevice.ROOM_AIR && oxygenFlowLitresPerMinute > 0) {
                throw new IllegalArgumentException(
                        "oxygenFlowLitresPerMinute must be 0 on ROOM_AIR, was " + oxygenFlowLitresPerMinute);
            }
        }
    }

    private static List<Vasopressor> copyWithoutNulls(List<Vasopressor> agents) {
        if (agents.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("vasopressors must not contain null");
        }
        return List.copyOf(agents);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds findings field by field; unset fields mean not recorded / not given. */
    public static final class Builder {
        private Double temperatureCelsius;
        private boolean feverAttributableToOtherCause;
        private boolean feverMaskingTherapyGiven;
        private final List<Vasopressor> vasopressors = new ArrayList<>();
        private boolean hypotensionManagedWithFluidsOnly;
        private PressorSupport pressorSupport;
        private OxygenDevice oxygenDevice;
        private Double oxygenFlowLitresPerMinute;
        private OxygenSupport oxygenSupport;
        private boolean diedOfCrs;

        private Builder() {}

        public Builder temperatureCelsius(Double celsius) {
            this.temperatureCelsius = celsius;
            return this;
        }

        public Builder feverAttributableToOtherCause(boolean attributable) {
            this.feverAttributableToOtherCause = attributable;
            return this;
        }

        public Builder feverMaskingTherapyGiven(boolean given) {
            this.feverMaskingTherapyGiven = given;
            return this;
        }

        public Builder vasopressors(Vasopressor... agents) {
            this.vasopressors.addAll(Arrays.asList(agents));
            return this;
        }

        public Builder hypotensionManagedWithFluidsOnly(boolean fluidsOnly) {
            this.hypotensionManagedWithFluidsOnly = fluidsOnly;
            return this;
        }

        public Builder pressorSupport(PressorSupport support) {
            this.pressorSupport = support;
            return this;
        }

        public Builder oxygen(OxygenDevice device, Double flowLitresPerMinute) {
            this.oxygenDevice = device;
            this.oxygenFlowLitresPerMinute = flowLitresPerMinute;
            return this;
        }

        public Builder oxygenSupport(OxygenSupport support) {
            this.oxygenSupport = support;
            return this;
        }

        public Builder diedOfCrs(boolean died) {
            this.diedOfCrs = died;
            return this;
        }

        /** @throws IllegalArgumentException when the findings are out of range or contradict each other */
        public CrsFindings build() {
            return new CrsFindings(
                    temperatureCelsius,
                    feverAttributableToOtherCause,
                    feverMaskingTherapyGiven,
                    vasopressors,
                    hypotensionManagedWithFluidsOnly,
                    pressorSupport,
                    oxygenDevice,
                    oxygenFlowLitresPerMinute,
                    oxygenSupport,
                    diedOfCrs);
        }
    }
}
