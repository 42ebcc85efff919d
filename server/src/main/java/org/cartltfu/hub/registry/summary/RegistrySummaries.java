package org.cartltfu.hub.registry.summary;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cartltfu.hub.clinical.schedule.FollowUpTrack;
import org.cartltfu.hub.record.StudyDay;

/**
 * Summarises a patient's follow-up per registry reporting period (see {@link ReportingPeriod} for the boundaries).
 *
 * <p><b>Which periods.</b> A period is summarised once its contact window has opened on the as-of date, or earlier
 * if the patient died in it. The period of death is the last one: no forms follow a death. Data dated after the
 * as-of date is ignored, so a summary can be replayed for any past date.
 *
 * <p><b>Unknown versus no.</b> A period "has follow-up data" when a contact, response, alive status, persistence
 * test, toxicity onset or resolution, or malignancy diagnosis falls in it (a death report alone does not count).
 * Without follow-up data, CRS, ICANS, new malignancy, persistence testing and survival are unknown; with it, what
 * was not recorded reads as no (not tested, alive).
 */
public final class RegistrySummaries {

    private RegistrySummaries() {}

    /**
     * @param asOf the date the summary is made for; periods whose window has not opened by then are left out
     * @return one summary per due period, in order; empty before the D100 window opens
     */
    public static List<PeriodSummary> summarize(PatientHistory history, FollowUpTrack track, LocalDate asOf) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(asOf, "asOf");
        Days days = new Days(history.infusionDate(), StudyDay.dayNumber(history.infusionDate(), asOf));
        Integer deathDay = deathDay(history, days);
        List<PeriodSummary> summaries = new ArrayList<>();
        for (ReportingPeriod period : ReportingPeriod.of(track, history.infusionDate())) {
            boolean diedInPeriod = deathDay != null && period.contains(deathDay);
            if (days.asOf() < period.windowStartDay() && !diedInPeriod) {
                break;
            }
            summaries.add(summarize(history, period, days, deathDay));
            if (deathDay != null && deathDay <= period.endDay()) {
                break;
            }
        }
        return List.copyOf(summaries);
    }

    /** Study days relative to the infusion; anything after the as-of day is not known yet. */
    private record Days(LocalDate infusion, int asOf) {

        /** The day of a date known on the as-of date, else null. */
        Integer known(LocalDate date) {
            if (date == null) {
                return null;
            }
            int day = StudyDay.dayNumber(infusion, date);
            return day <= asOf ? day : null;
        }

        /** True if the date is known and inside the period. */
        boolean in(ReportingPeriod period, LocalDate date) {
            Integer day = known(date);
            return day != null && period.contains(day);
        }
    }

    /**
     * The day the patient is known to be dead: the recorded date of death, else the first survival report saying dead
     * (the death happened on or before it).
     */
    private static Integer deathDay(PatientHistory history, Days days) {
        Integer recorded = days.known(history.deathDate());
        if (recorded != null) {
            return recorded;
        }
        return history.survival().stream()
                .filter(observation -> observation.status() == VitalStatus.DEAD)
                .map(observation -> days.known(observation.date()))
                .filter(Objects::nonNull)
                .min(Integer::compare)
                .orElse(null);
    }

    private static PeriodSummary summarize(
            PatientHistory history, ReportingPeriod period, Days days, Integer deathDay) {
        List<Integer> dataDays =
                followUpDataDays(history, days).filter(period::contains).toList();
        boolean hasData = !dataDays.isEmpty();
        boolean dead = deathDay != null && deathDay <= period.endDay();

        ToxicitySummary crs = toxicity(Toxicity.CRS, history, period, days, hasData);
        ToxicitySummary icans = toxicity(Toxicity.ICANS, history, period, days, hasData);
        SurvivalSummary survival = dead
                ? new SurvivalSummary(VitalStatus.DEAD, days.known(history.deathDate()), causeOfDeath(history, days))
                : new SurvivalSummary(hasData ? VitalStatus.ALIVE : VitalStatus.UNKNOWN, null, null);
        Optional<ResponseAssessment> best = history.responses().stream()
                .filter(response -> days.in(period, response.date()))
                .min(Comparator.comparing((ResponseAssessment response) ->
                                -response.response().rank())
                        .thenComparing(ResponseAssessment::date));
        MalignancySummary malignancy = history.malignancies().stream()
                .filter(diagnosis -> days.in(period, diagnosis.diagnosisDate()))
                .min(Comparator.comparing(NewMalignancy::diagnosisDate))
                .map(diagnosis ->
                        new MalignancySummary(Answer.YES, days.known(diagnosis.diagnosisDate()), diagnosis.code()))
                .orElseGet(() -> new MalignancySummary(hasData ? Answer.NO : Answer.UNKNOWN, null, null));
        PersistenceSummary persistence = history.persistenceTests().stream()
                .filter(test -> days.in(period, test.sampleDate()))
                .max(Comparator.comparing(PersistenceTest::sampleDate))
                .map(test ->
                        new PersistenceSummary(Answer.YES, test.result(), test.method(), days.known(test.sampleDate())))
                .orElseGet(() -> new PersistenceSummary(hasData ? Answer.NO : Answer.UNKNOWN, null, null, null));
        Integer lastContactDay = Stream.concat(
                        dataDays.stream(), dead && period.contains(deathDay) ? Stream.of(deathDay) : Stream.empty())
                .max(Integer::compare)
                .orElse(null);

        DiseaseResponse bestResponse = best.map(ResponseAssessment::response).orElse(null);
        Completeness completeness =
                completeness(crs, icans, survival, bestResponse, malignancy, persistence, lastContactDay);
        return new PeriodSummary(
                period,
                days.asOf() < period.endDay(),
                crs,
                icans,
                survival,
                bestResponse,
                best.map(response -> days.known(response.date())).orElse(null),
                malignancy,
                persistence,
                lastContactDay,
                completeness);
    }

    /** Days of everything that shows the patient was followed (alive) on that day. */
    private static Stream<Integer> followUpDataDays(PatientHistory history, Days days) {
        return Stream.of(
                        history.contacts().stream(),
                        history.responses().stream().map(ResponseAssessment::date),
                        history.survival().stream()
                                .filter(observation -> observation.status() == VitalStatus.ALIVE)
                                .map(SurvivalObservation::date),
                        history.persistenceTests().stream().map(PersistenceTest::sampleDate),
                        history.episodes().stream()
                                .flatMap(episode -> Stream.of(episode.onset(), episode.resolution())),
                        history.malignancies().stream().map(NewMalignancy::diagnosisDate))
                .flatMap(dates -> dates)
                .map(days::known)
                .filter(Objects::nonNull);
    }

    private static String causeOfDeath(PatientHistory history, Days days) {
        return history.survival().stream()
                .filter(observation -> observation.status() == VitalStatus.DEAD && observation.causeOfDeath() != null)
                .filter(observation -> days.known(observation.date()) != null)
                .min(Comparator.comparing(SurvivalObservation::date))
                .map(SurvivalObservation::causeOfDeath)
                .orElse(null);
    }

    /**
     * An episode is active in a period if it started by the period's end and was not resolved before its start. One
     * without a resolution date counts in its onset period only; in later periods it may or may not have lasted, so
     * unless another episode is active there the answer is unknown.
     */
    private static ToxicitySummary toxicity(
            Toxicity toxicity, PatientHistory history, ReportingPeriod period, Days days, boolean hasData) {
        List<ToxicityEpisode> active = new ArrayList<>();
        boolean mayPersist = false;
        for (ToxicityEpisode episode : history.episodes()) {
            Integer onset = days.known(episode.onset());
            if (episode.toxicity() != toxicity || onset == null || onset > period.endDay()) {
                continue;
            }
            Integer resolution = days.known(episode.resolution());
            if (resolution != null ? resolution >= period.startDay() : onset >= period.startDay()) {
                active.add(episode);
            } else if (resolution == null) {
                mayPersist = true;
            }
        }
        if (active.isEmpty()) {
            return ToxicitySummary.without(mayPersist || !hasData ? Answer.UNKNOWN : Answer.NO);
        }
        boolean persisted = active.stream().anyMatch(episode -> days.known(episode.onset()) < period.startDay());
        // One ungraded episode makes the period's maximum unknown: a known grade would only be a lower bound.
        Integer maxGrade = active.stream().anyMatch(episode -> episode.maxGrade() == null)
                ? null
                : active.stream()
                        .map(ToxicityEpisode::maxGrade)
                        .max(Integer::compare)
                        .orElseThrow();
        Integer onsetDay = active.stream()
                .map(episode -> days.known(episode.onset()))
                .min(Integer::compare)
                .orElseThrow();
        List<Integer> resolutions =
                active.stream().map(episode -> days.known(episode.resolution())).toList();
        Integer resolutionDay = resolutions.contains(null)
                ? null
                : resolutions.stream().max(Integer::compare).orElseThrow();
        TreeSet<ToxicityTherapy> therapies = new TreeSet<>();
        active.forEach(episode -> therapies.addAll(episode.therapies()));
        return new ToxicitySummary(Answer.YES, persisted, maxGrade, onsetDay, resolutionDay, therapies);
    }

    /**
     * The fields the forms need: every period asks CRS, ICANS, survival, best response, new malignancy, persistence
     * testing and the contact date; a toxicity that occurred also needs its grade and resolution (its onset is always
     * known); a death its day and cause; a persistence test its method (its result is always known). Therapies are not
     * counted: "none given" and "not recorded" look the same.
     */
    private static Completeness completeness(
            ToxicitySummary crs,
            ToxicitySummary icans,
            SurvivalSummary survival,
            DiseaseResponse bestResponse,
            MalignancySummary malignancy,
            PersistenceSummary persistence,
            Integer lastContactDay) {
        List<String> missing = new ArrayList<>();
        int required = 0;
        required += toxicityFields(
                crs,
                missing,
                PeriodSummary.CRS_OCCURRED,
                PeriodSummary.CRS_MAX_GRADE,
                PeriodSummary.CRS_RESOLUTION_DAY);
        required += toxicityFields(
                icans,
                missing,
                PeriodSummary.ICANS_OCCURRED,
                PeriodSummary.ICANS_MAX_GRADE,
                PeriodSummary.ICANS_RESOLUTION_DAY);
        required += need(survival.status() == VitalStatus.UNKNOWN, PeriodSummary.SURVIVAL_STATUS, missing);
        if (survival.status() == VitalStatus.DEAD) {
            required += need(survival.deathDay() == null, PeriodSummary.DEATH_DAY, missing);
            required += need(survival.causeOfDeath() == null, PeriodSummary.CAUSE_OF_DEATH, missing);
        }
        required += need(bestResponse == null, PeriodSummary.BEST_RESPONSE, missing);
        required += need(malignancy.occurred() == Answer.UNKNOWN, PeriodSummary.NEW_MALIGNANCY, missing);
        required += need(persistence.tested() == Answer.UNKNOWN, PeriodSummary.PERSISTENCE_TESTED, missing);
        if (persistence.tested() == Answer.YES) {
            required += need(persistence.method() == null, PeriodSummary.PERSISTENCE_METHOD, missing);
        }
        required += need(lastContactDay == null, PeriodSummary.LAST_CONTACT_DAY, missing);
        return new Completeness(missing, required);
    }

    private static int toxicityFields(
            ToxicitySummary toxicity, List<String> missing, String occurred, String grade, String resolution) {
        int required = need(toxicity.occurred() == Answer.UNKNOWN, occurred, missing);
        if (toxicity.occurred() == Answer.YES) {
            required += need(toxicity.maxGrade() == null, grade, missing);
            required += need(toxicity.resolutionDay() == null, resolution, missing);
        }
        return required;
    }

    /** Counts one required field and notes it when missing. */
    private static int need(boolean absent, String field, List<String> missing) {
        if (absent) {
            missing.add(field);
        }
        return 1;
    }
}
