package org.cartltfu.hub.registry.summary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the registry's follow-up form for one reporting period asks (CIBMTR 4100, EBMT MED-A Day-100, 6-month and
 * annual forms), as study days; no calendar dates.
 *
 * @param open            the period has not ended on the as-of date, so data may still arrive
 * @param bestResponse    best disease response assessed in the period, or null
 * @param bestResponseDay day of the first assessment with that response
 * @param lastContactDay  last day in the period with follow-up data (the day of death for a patient who died in it)
 */
public record PeriodSummary(
        ReportingPeriod period,
        boolean open,
        ToxicitySummary crs,
        ToxicitySummary icans,
        SurvivalSummary survival,
        DiseaseResponse bestResponse,
        Integer bestResponseDay,
        MalignancySummary newMalignancy,
        PersistenceSummary persistence,
        Integer lastContactDay,
        Completeness completeness) {

    public static final String CRS_OCCURRED = "crsOccurred";
    public static final String CRS_MAX_GRADE = "crsMaxGrade";
    public static final String CRS_RESOLUTION_DAY = "crsResolutionDay";
    public static final String ICANS_OCCURRED = "icansOccurred";
    public static final String ICANS_MAX_GRADE = "icansMaxGrade";
    public static final String ICANS_RESOLUTION_DAY = "icansResolutionDay";
    public static final String SURVIVAL_STATUS = "survivalStatus";
    public static final String DEATH_DAY = "deathDay";
    public static final String CAUSE_OF_DEATH = "causeOfDeath";
    public static final String BEST_RESPONSE = "bestResponse";
    public static final String NEW_MALIGNANCY = "newMalignancy";
    public static final String PERSISTENCE_TESTED = "persistenceTested";
    public static final String PERSISTENCE_METHOD = "persistenceMethod";
    public static final String LAST_CONTACT_DAY = "lastContactDay";

    /** Every field in output order: the CSV columns and the part names of a summary in Parameters. */
    public static final List<String> COLUMNS = List.of(
            "period",
            "periodStartDay",
            "periodEndDay",
            "periodOpen",
            CRS_OCCURRED,
            "crsPersisted",
            CRS_MAX_GRADE,
            "crsOnsetDay",
            CRS_RESOLUTION_DAY,
            "crsTherapies",
            ICANS_OCCURRED,
            "icansPersisted",
            ICANS_MAX_GRADE,
            "icansOnsetDay",
            ICANS_RESOLUTION_DAY,
            "icansTherapies",
            SURVIVAL_STATUS,
            DEATH_DAY,
            CAUSE_OF_DEATH,
            BEST_RESPONSE,
            "bestResponseDay",
            NEW_MALIGNANCY,
            "newMalignancyDay",
            "newMalignancyCode",
            PERSISTENCE_TESTED,
            "persistenceResult",
            PERSISTENCE_METHOD,
            "persistenceSampleDay",
            LAST_CONTACT_DAY,
            "completeness",
            "missingFields");

    /**
     * A field and its value: null when absent, else an Integer (study day or grade), a Boolean, a Double
     * (completeness), a String, a {@link Coded} value, or a List of Coded values or Strings (repeating).
     */
    public record Field(String name, Object value) {}

    public PeriodSummary {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(crs, "crs");
        Objects.requireNonNull(icans, "icans");
        Objects.requireNonNull(survival, "survival");
        Objects.requireNonNull(newMalignancy, "newMalignancy");
        Objects.requireNonNull(persistence, "persistence");
        Objects.requireNonNull(completeness, "completeness");
    }

    /** The fields in {@link #COLUMNS} order. */
    public List<Field> fields() {
        List<Object> values =
                new ArrayList<>(List.of(period.timepointCode(), period.startDay(), period.endDay(), open));
        addToxicity(values, crs);
        addToxicity(values, icans);
        values.addAll(nullable(
                survival.status(),
                survival.deathDay(),
                survival.causeOfDeath(),
                bestResponse,
                bestResponseDay,
                newMalignancy.occurred(),
                newMalignancy.day(),
                newMalignancy.code(),
                persistence.tested(),
                persistence.result(),
                persistence.method(),
                persistence.sampleDay(),
                lastContactDay,
                completeness.fraction(),
                completeness.missing()));
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            fields.add(new Field(COLUMNS.get(i), values.get(i)));
        }
        return fields;
    }

    private static void addToxicity(List<Object> values, ToxicitySummary toxicity) {
        // "Persisted" answers a question the forms ask only when the toxicity occurred.
        Boolean persisted = toxicity.occurred() == Answer.YES ? toxicity.persisted() : null;
        values.addAll(nullable(
                toxicity.occurred(),
                persisted,
                toxicity.maxGrade(),
                toxicity.onsetDay(),
                toxicity.resolutionDay(),
                List.copyOf(toxicity.therapies())));
    }

    private static List<Object> nullable(Object... values) {
        return Arrays.asList(values);
    }
}
