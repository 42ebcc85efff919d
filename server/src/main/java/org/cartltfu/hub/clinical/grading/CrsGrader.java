package org.cartltfu.hub.clinical.grading;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Derives the ASTCT CRS grade (Lee et al., BBMT 2019;25:625-638) from the support a patient needed.
 *
 * <p>CRS is present with a fever ≥38.0 °C not attributable to another cause, or once tocilizumab or a
 * corticosteroid may have masked the fever. The grade is then the worse of the hypotension and hypoxia axes
 * (at least 1); death from CRS is 5. Where the consensus or the data leave the grade open, the result is a
 * range with a flag instead of a guess.
 */
public final class CrsGrader {

    static final double FEVER_THRESHOLD_CELSIUS = 38.0;
    /** ASTCT: a nasal cannula above this flow counts as high-flow. */
    static final double LOW_FLOW_MAX_LITRES_PER_MINUTE = 6.0;

    private enum Onset {
        PRESENT,
        MASKED,
        UNKNOWN,
        ABSENT
    }

    private record FeverAssessment(Onset onset, DomainGrade<CrsDomain> domain) {}

    private CrsGrader() {}

    /** @throws IllegalArgumentException if findings is null */
    public static CrsGrade grade(CrsFindings findings) {
        if (findings == null) {
            throw new IllegalArgumentException("findings are required");
        }
        if (findings.diedOfCrs()) {
            return new CrsGrade(5, 5, List.of(DomainGrade.of(CrsDomain.DEATH, 5, "death from CRS")), Set.of());
        }
        FeverAssessment fever = assessFever(findings);
        if (fever.onset() == Onset.ABSENT) {
            return new CrsGrade(0, 0, List.of(fever.domain()), Set.of());
        }

        Set<CrsFlag> flags = EnumSet.noneOf(CrsFlag.class);
        List<DomainGrade<CrsDomain>> domains = new ArrayList<>();
        domains.add(fever.domain());
        hypotension(findings, flags).ifPresent(domains::add);
        hypoxia(findings, flags).ifPresent(domains::add);
        int axisLowest = domains.stream()
                .skip(1)
                .mapToInt(DomainGrade::lowestGrade)
                .max()
                .orElse(0);
        int axisHighest = domains.stream()
                .skip(1)
                .mapToInt(DomainGrade::highestGrade)
                .max()
                .orElse(0);

        int lowest;
        int highest;
        switch (fever.onset()) {
            case PRESENT -> {
                lowest = Math.max(1, axisLowest);
                highest = Math.max(1, axisHighest);
            }
            case MASKED -> {
                if (axisHighest == 0) {
                    flags.add(CrsFlag.MASKED_FEVER_WITHOUT_HYPOTENSION_OR_HYPOXIA);
                    lowest = 0;
                    highest = 1;
                } else {
                    lowest = Math.max(1, axisLowest);
                    highest = axisHighest;
                }
            }
            default -> { // UNKNOWN: without a temperature, CRS itself is unconfirmed
                flags.add(CrsFlag.TEMPERATURE_MISSING);
                lowest = 0;
                highest = Math.max(1, axisHighest);
            }
        }
        return new CrsGrade(lowest, highest, DomainGrade.drivers(domains, lowest, highest), flags);
    }

    private static FeverAssessment assessFever(CrsFindings f) {
        Double celsius = f.temperatureCelsius();
        boolean feverMeasured = celsius != null && celsius >= FEVER_THRESHOLD_CELSIUS;
        if (feverMeasured && !f.feverAttributableToOtherCause()) {
            return new FeverAssessment(Onset.PRESENT, DomainGrade.of(CrsDomain.FEVER, 1, "fever " + celsius(celsius)));
        }
        if (f.feverMaskingTherapyGiven()) {
            return new FeverAssessment(
                    Onset.MASKED,
                    DomainGrade.between(
                            CrsDomain.FEVER,
                            0,
                            1,
                            "no qualifying fever, but tocilizumab or a corticosteroid was given, so fever is not required"));
        }
        if (f.feverAttributableToOtherCause() && (celsius == null || feverMeasured)) {
            return new FeverAssessment(
                    Onset.ABSENT,
                    DomainGrade.of(CrsDomain.FEVER, 0, "fever attributed to another cause (e.g. infection); not CRS"));
        }
        if (celsius == null) {
            return new FeverAssessment(
                    Onset.UNKNOWN,
                    DomainGrade.between(
                            CrsDomain.FEVER,
                            0,
                            1,
                            "temperature not recorded; CRS needs a fever ≥38.0 °C unless masked by therapy"));
        }
        return new FeverAssessment(
                Onset.ABSENT, DomainGrade.of(CrsDomain.FEVER, 0, celsius(celsius) + " is below 38.0 °C; no CRS"));
    }

    private static Optional<DomainGrade<CrsDomain>> hypotension(CrsFindings f, Set<CrsFlag> flags) {
        if (f.pressorSupport() != null) {
            return switch (f.pressorSupport()) {
                case NONE -> Optional.empty();
                case FLUIDS -> hypotension(2, "hypotension without a vasopressor (coded 'fluids')");
                case ONE_PRESSOR -> hypotension(3, "one vasopressor (coded 'one-pressor')");
                case MULTIPLE_PRESSORS -> hypotension(4, "multiple vasopressors (coded 'multiple-pressors')");
            };
        }
        Set<Vasopressor> agents =
                f.vasopressors().isEmpty() ? EnumSet.noneOf(Vasopressor.class) : EnumSet.copyOf(f.vasopressors());
        boolean vasopressin = agents.remove(Vasopressor.VASOPRESSIN);
        boolean unlisted = agents.remove(Vasopressor.OTHER);
        String listed = agents.stream().map(Vasopressor::label).collect(Collectors.joining(", "));
        String withVasopressin = vasopressin ? " with vasopressin" : "";
        if (unlisted) {
            flags.add(CrsFlag.UNLISTED_VASOPRESSOR);
            if (!agents.isEmpty()) {
                return hypotension(
                        4, "multiple vasopressors (" + listed + " and an unlisted vasopressor)" + withVasopressin);
            }
            return Optional.of(DomainGrade.between(
                    CrsDomain.HYPOTENSION,
                    3,
                    4,
                    "unlisted vasopressor" + withVasopressin + "; one agent is G3, two or more are G4"));
        }
        if (agents.size() >= 2) {
            return hypotension(
                    4, "multiple vasopressors (" + listed + ")" + (vasopressin ? ", vasopressin not counted" : ""));
        }
        if (agents.size() == 1) {
            return hypotension(3, "one vasopressor (" + listed + ")" + withVasopressin);
        }
        if (vasopressin) {
            // ASTCT: G3 is "a vasopressor with or without vasopressin"; vasopressin alone is not addressed.
            flags.add(CrsFlag.VASOPRESSIN_ALONE);
            return Optional.of(DomainGrade.between(
                    CrsDomain.HYPOTENSION, 2, 3, "vasopressin alone, which the consensus does not grade"));
        }
        if (f.hypotensionManagedWithFluidsOnly()) {
            return hypotension(2, "hypotension managed with fluids, no vasopressor");
        }
        return Optional.empty();
    }

    private static Optional<DomainGrade<CrsDomain>> hypotension(int grade, String finding) {
        return Optional.of(DomainGrade.of(CrsDomain.HYPOTENSION, grade, finding));
    }

    private static Optional<DomainGrade<CrsDomain>> hypoxia(CrsFindings f, Set<CrsFlag> flags) {
        if (f.oxygenSupport() != null) {
            return switch (f.oxygenSupport()) {
                case NONE -> Optional.empty();
                case LOW_FLOW -> hypoxia(2, "low-flow oxygen (coded 'low-flow')");
                case HIGH_FLOW_OR_MASK -> hypoxia(3, "high-flow oxygen or mask (coded 'high-flow-or-mask')");
                case POSITIVE_PRESSURE -> hypoxia(4, "positive pressure (coded 'positive-pressure')");
            };
        }
        OxygenDevice device = f.oxygenDevice();
        if (device == null) {
            return Optional.empty();
        }
        Double flow = f.oxygenFlowLitresPerMinute();
        return switch (device) {
            case ROOM_AIR -> Optional.empty();
            case LOW_FLOW_NASAL_CANNULA, HIGH_FLOW_NASAL_CANNULA -> nasalCannula(device, flow, flags);
            case BLOW_BY -> hypoxia(2, device.label());
            case FACEMASK, NON_REBREATHER, VENTURI_MASK -> hypoxia(3, device.label() + atFlow(flow));
            case CPAP, BIPAP, MECHANICAL_VENTILATION -> hypoxia(4, "positive pressure (" + device.label() + ")");
            case UNKNOWN_OR_OTHER -> {
                flags.add(CrsFlag.UNKNOWN_O2_DEVICE);
                yield Optional.of(
                        DomainGrade.between(CrsDomain.HYPOXIA, 2, 4, "oxygen by an " + device.label() + atFlow(flow)));
            }
        };
    }

    /** ASTCT defines low- and high-flow nasal cannula by the flow (≤6 vs >6 L/min), not by the device name. */
    private static Optional<DomainGrade<CrsDomain>> nasalCannula(OxygenDevice device, Double flow, Set<CrsFlag> flags) {
        boolean highFlowDevice = device == OxygenDevice.HIGH_FLOW_NASAL_CANNULA;
        if (flow == null) {
            if (highFlowDevice) {
                return hypoxia(3, "high-flow nasal cannula, flow not recorded");
            }
            flags.add(CrsFlag.O2_FLOW_MISSING);
            return Optional.of(DomainGrade.between(
                    CrsDomain.HYPOXIA, 2, 3, "nasal cannula without a flow rate (≤6 L/min is G2, >6 L/min is G3)"));
        }
        if (flow > LOW_FLOW_MAX_LITRES_PER_MINUTE) {
            return hypoxia(3, "nasal cannula at " + litres(flow) + " (>6 L/min is high-flow)");
        }
        if (highFlowDevice) {
            // The device name and the flow disagree; a mistyped flow would under-grade, so do not pick one.
            flags.add(CrsFlag.HIGH_FLOW_DEVICE_AT_LOW_FLOW);
            return Optional.of(DomainGrade.between(
                    CrsDomain.HYPOXIA,
                    2,
                    3,
                    "high-flow nasal cannula at only " + litres(flow) + " (ASTCT high flow is >6 L/min)"));
        }
        return hypoxia(2, "low-flow nasal cannula at " + litres(flow) + " (≤6 L/min)");
    }

    private static Optional<DomainGrade<CrsDomain>> hypoxia(int grade, String finding) {
        return Optional.of(DomainGrade.of(CrsDomain.HYPOXIA, grade, finding));
    }

    private static String atFlow(Double flow) {
        return flow == null ? "" : " at " + litres(flow);
    }

    /** Unrounded, so 37.95 °C is never shown as "38.0 °C is below 38.0 °C". */
    private static String litres(double flow) {
        return flow + " L/min";
    }

    private static String celsius(double value) {
        return value + " °C";
    }
}
