package org.cartltfu.hub.registry.summary;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One patient's follow-up facts as local calendar dates (where each event happened), the input of
 * {@link RegistrySummaries}.
 *
 * @param infusionDate first CAR-T infusion, day 0
 * @param deathDate    date of death (Patient.deceasedDateTime), or null when not recorded
 * @param contacts     dates of any other follow-up data (visits, labs, assessments): they show the patient was
 *                     followed in a period, which turns "unknown" into "no"
 */
public record PatientHistory(
        LocalDate infusionDate,
        LocalDate deathDate,
        List<ToxicityEpisode> episodes,
        List<ResponseAssessment> responses,
        List<SurvivalObservation> survival,
        List<NewMalignancy> malignancies,
        List<PersistenceTest> persistenceTests,
        List<LocalDate> contacts) {

    public PatientHistory {
        Objects.requireNonNull(infusionDate, "infusionDate");
        episodes = List.copyOf(episodes);
        responses = List.copyOf(responses);
        survival = List.copyOf(survival);
        malignancies = List.copyOf(malignancies);
        persistenceTests = List.copyOf(persistenceTests);
        contacts = List.copyOf(contacts);
    }
}
