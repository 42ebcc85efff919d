package org.cartltfu.hub.clinical.grading;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Derives the ASTCT ICANS grade (Lee et al., BBMT 2019;25:625-638): the most severe domain not attributable
 * to another cause; 5 for death from ICANS.
 *
 * <p>A domain that was not assessed could be anything from G0 to G4, so the result is then a range flagged
 * {@link IcansFlag#DOMAINS_NOT_ASSESSED} rather than a grade that silently assumes "normal".
 */
public final class IcansGrader {

    private final IcansFindings findings;
    private final Set<IcansFlag> flags = EnumSet.noneOf(IcansFlag.class);

    private IcansGrader(IcansFindings findings) {
        this.findings = findings;
    }

    /** @throws IllegalArgumentException if findings is null */
    public static IcansGrade grade(IcansFindings findings) {
        if (findings == null) {
            throw new IllegalArgumentException("findings are required");
        }
        return new IcansGrader(findings).grade();
    }

    private IcansGrade grade() {
        List<String> notes =
                findings.excludedFindings().stream().map(ExcludedFinding::note).toList();
        if (findings.diedOfIcans()) {
            return new IcansGrade(
                    5,
                    5,
                    List.of(DomainGrade.of(IcansDomain.DEATH, 5, "death from ICANS with no other principal cause")),
                    Set.of(),
                    notes);
        }
        Consciousness level = findings.consciousness();
        DomainGrade<IcansDomain> consciousness = coded(
                IcansDomain.CONSCIOUSNESS,
                level,
                level == null ? null : level.code().replace('-', ' '));
        List<DomainGrade<IcansDomain>> domains = List.of(
                encephalopathy(consciousness),
                consciousness,
                seizure(),
                coded(IcansDomain.MOTOR, findings.motor(), motorFinding(findings.motor())),
                coded(
                        IcansDomain.INTRACRANIAL_PRESSURE,
                        findings.intracranialPressure(),
                        icpFinding(findings.intracranialPressure())));
        int lowest = domains.stream().mapToInt(DomainGrade::lowestGrade).max().orElseThrow();
        int highest = domains.stream().mapToInt(DomainGrade::highestGrade).max().orElseThrow();
        return new IcansGrade(lowest, highest, DomainGrade.drivers(domains, lowest, highest), flags, notes);
    }

    private DomainGrade<IcansDomain> encephalopathy(DomainGrade<IcansDomain> consciousness) {
        IcansDomain domain = IcansDomain.ENCEPHALOPATHY;
        if (isAttributed(domain)) {
            return attributed(domain);
        }
        boolean unable = findings.unableToPerformScreen();
        if (!unable && findings.iceScore() == null && findings.capdScore() == null) {
            return notAssessed(domain);
        }
        boolean otherCauseForConsciousness = isAttributed(IcansDomain.CONSCIOUSNESS);
        boolean unarousable = findings.consciousness() == Consciousness.UNAROUSABLE && !otherCauseForConsciousness;
        if (unable && !unarousable) {
            flags.add(IcansFlag.SCREEN_NOT_PERFORMED);
        }
        if (EncephalopathyScreen.forPatient(findings.ageYears(), findings.developmentalDelay())
                == EncephalopathyScreen.CAPD) {
            return capd(unable, otherCauseForConsciousness, consciousness);
        }
        if (!unable && findings.iceScore() > 0) {
            return iceBand(findings.iceScore());
        }
        // ICE 0: G3 if arousable (e.g. awake with global aphasia), G4 if unarousable.
        String finding = unable ? "unable to perform ICE (scored 0)" : "ICE 0/10";
        if (otherCauseForConsciousness) {
            flags.add(IcansFlag.SCREEN_CONFOUNDED_BY_OTHER_CAUSE);
            return DomainGrade.between(
                    domain, 0, 3, finding + " while depressed consciousness is attributed to another cause");
        }
        if (unarousable) {
            return DomainGrade.of(domain, 4, finding + " with the patient unarousable");
        }
        return DomainGrade.of(domain, 3, finding + " with the patient arousable (e.g. awake with global aphasia)");
    }

    private static DomainGrade<IcansDomain> iceBand(int ice) {
        IcansDomain domain = IcansDomain.ENCEPHALOPATHY;
        String score = "ICE " + ice + "/10";
        if (ice == 10) {
            return DomainGrade.of(domain, 0, score);
        }
        if (ice >= 7) {
            return DomainGrade.of(domain, 1, score + " (7–9)");
        }
        if (ice >= 3) {
            return DomainGrade.of(domain, 2, score + " (3–6)");
        }
        return DomainGrade.of(domain, 3, score + " (0–2)");
    }

    /**
     * ASTCT for children: G1 and G2 are "CAPD &lt;9 and" a consciousness level, G3 is CAPD ≥9, G4 is unable
     * to perform CAPD. CAPD 1–8 alone therefore does not decide between G0 and G1; the consciousness domain
     * does, and an alert child with CAPD 1–8 is flagged. CAPD 0 is a normal screen.
     */
    private DomainGrade<IcansDomain> capd(
            boolean unable, boolean otherCauseForConsciousness, DomainGrade<IcansDomain> consciousness) {
        IcansDomain domain = IcansDomain.ENCEPHALOPATHY;
        if (unable) {
            if (otherCauseForConsciousness) {
                flags.add(IcansFlag.SCREEN_CONFOUNDED_BY_OTHER_CAUSE);
                return DomainGrade.between(
                        domain,
                        0,
                        4,
                        "unable to perform CAPD while depressed consciousness is attributed to another cause");
            }
            return DomainGrade.of(domain, 4, "unable to perform CAPD");
        }
        int score = findings.capdScore();
        if (score >= 9) {
            return DomainGrade.of(domain, 3, "CAPD " + score + " (≥9)");
        }
        if (score == 0) {
            return DomainGrade.of(domain, 0, "CAPD 0");
        }
        if (consciousness.highestGrade() == 0) {
            flags.add(IcansFlag.CAPD_BELOW_9_WITHOUT_DEPRESSED_CONSCIOUSNESS);
        }
        return DomainGrade.between(
                domain, 0, 1, "CAPD " + score + " (<9): G1/G2 only together with depressed consciousness");
    }

    private DomainGrade<IcansDomain> seizure() {
        Seizure seizure = findings.effectiveSeizure();
        String finding = seizure == null
                ? null
                : switch (seizure) {
                    case NONE -> "no seizure";
                    case RESOLVED_RAPIDLY -> "seizure that resolved rapidly";
                    case PROLONGED_OR_REPETITIVE -> "prolonged (>5 min) or repetitive seizures";
                };
        if (findings.seizureDurationMinutes() != null) {
            finding += ", lasting " + findings.seizureDurationMinutes() + " min";
        }
        return coded(IcansDomain.SEIZURE, seizure, finding);
    }

    private static String motorFinding(Motor motor) {
        return motor == null
                ? null
                : switch (motor) {
                    case NONE -> "no focal motor weakness";
                    case DEEP_FOCAL_WEAKNESS -> "deep focal motor weakness (e.g. hemiparesis)";
                };
    }

    private static String icpFinding(IntracranialPressure icp) {
        return icp == null
                ? null
                : switch (icp) {
                    case NONE -> "no raised intracranial pressure or oedema";
                    case FOCAL_EDEMA -> "focal oedema on neuroimaging";
                    case DIFFUSE_EDEMA -> "diffuse cerebral oedema or signs of raised intracranial pressure";
                };
    }

    private DomainGrade<IcansDomain> coded(IcansDomain domain, IcansFinding finding, String description) {
        if (isAttributed(domain)) {
            return attributed(domain);
        }
        if (finding == null) {
            return notAssessed(domain);
        }
        return DomainGrade.of(domain, finding.grade(), description);
    }

    private boolean isAttributed(IcansDomain domain) {
        return findings.attributedToOtherCause().contains(domain);
    }

    private static DomainGrade<IcansDomain> attributed(IcansDomain domain) {
        return DomainGrade.of(domain, 0, "attributed to another cause (e.g. sedation); excluded from ICANS");
    }

    private DomainGrade<IcansDomain> notAssessed(IcansDomain domain) {
        flags.add(IcansFlag.DOMAINS_NOT_ASSESSED);
        return DomainGrade.between(domain, 0, 4, "not assessed");
    }
}
