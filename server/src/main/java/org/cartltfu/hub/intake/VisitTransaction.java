package org.cartltfu.hub.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cartltfu.ig.CarTIg;
import org.cartltfu.ig.CartEventType;
import org.cartltfu.ig.CartObservation;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A visit report as one profiled FHIR transaction, built exactly as a spoke EHR would send it: the follow-up visit
 * (Encounter), survival, response, persistence, labs and new malignancy as our profiles want them, infections and
 * hospitalisations as general data. Every entry is a conditional update keyed on the patient, the time point and what
 * it records, so a file sent again changes nothing and a corrected one corrects what it reported.
 */
final class VisitTransaction {

    /** An entry and the report columns it came from (to name them when the hub refuses the entry). */
    record Entry(Bundle.BundleEntryComponent entry, List<VisitColumn> columns) {}

    private final Map<VisitLab, Coding> labCodes;

    /** @param labCodes each lab's LOINC code, from its profile */
    VisitTransaction(Map<VisitLab, Coding> labCodes) {
        this.labCodes = labCodes;
    }

    /**
     * @param patientId the hub's id of the patient the row names
     * @param site the patient's managing Organization (the visit's service provider)
     */
    List<Entry> entries(VisitReport report, String patientId, Reference site) {
        List<Entry> entries = new ArrayList<>();
        Reference subject = new Reference("Patient/" + patientId);
        String key = patientId + "/" + report.timepoint() + "/";
        DateTimeType when = new DateTimeType(report.date().toString());

        Encounter visit = new Encounter();
        profile(visit, CarTIg.PROFILE_FOLLOWUP_VISIT);
        visit.setStatus(Encounter.EncounterStatus.FINISHED);
        visit.setClass_(new Coding(CarTIg.V3_ACT_CODE, "AMB", "ambulatory"));
        visit.addType().addCoding().setSystem(CarTIg.CS_LTFU_TIMEPOINT).setCode(report.timepoint());
        visit.setSubject(subject);
        visit.setPeriod(new Period().setStartElement(when.copy()));
        if (site != null) {
            visit.setServiceProvider(site.copy());
        }
        String visitUrl = add(entries, visit, key + "visit", VisitColumn.TIMEPOINT, VisitColumn.VISIT_DATE);
        Reference encounter = new Reference(visitUrl);

        if (report.survival() != null) {
            add(
                    entries,
                    coded(
                            CarTIg.PROFILE_SURVIVAL_STATUS,
                            CartObservation.SURVIVAL_STATUS,
                            CarTIg.CS_SURVIVAL_STATUS,
                            report.survival(),
                            subject,
                            encounter,
                            when),
                    key + "survival",
                    VisitColumn.SURVIVAL);
        }
        if (report.response() != null) {
            Observation response = coded(
                    CarTIg.PROFILE_DISEASE_RESPONSE,
                    CartObservation.DISEASE_RESPONSE,
                    CarTIg.CS_DISEASE_RESPONSE,
                    report.response(),
                    subject,
                    encounter,
                    when);
            if (report.responseMethod() != null) {
                response.getMethod().setText(report.responseMethod());
            }
            add(entries, response, key + "response", VisitColumn.RESPONSE, VisitColumn.RESPONSE_METHOD);
        }
        if (report.persistence() != null) {
            Observation persistence = coded(
                    CarTIg.PROFILE_CART_PERSISTENCE,
                    CartObservation.CART_PERSISTENCE,
                    CarTIg.CS_DETECTION_RESULT,
                    report.persistence(),
                    subject,
                    encounter,
                    when);
            if (report.persistenceMethod() != null) {
                persistence
                        .getMethod()
                        .addCoding()
                        .setSystem(CarTIg.CS_PERSISTENCE_METHOD)
                        .setCode(report.persistenceMethod());
            }
            add(entries, persistence, key + "persistence", VisitColumn.PERSISTENCE, VisitColumn.PERSISTENCE_METHOD);
        }
        for (VisitReport.Lab lab : report.labs()) {
            Observation result = new Observation();
            profile(result, lab.lab().profile);
            result.setStatus(Observation.ObservationStatus.FINAL);
            result.addCategory()
                    .addCoding()
                    .setSystem(CarTIg.OBSERVATION_CATEGORY)
                    .setCode("laboratory");
            result.getCode().addCoding(labCodes.get(lab.lab()).copy());
            result.setSubject(subject);
            result.setEncounter(encounter);
            result.setEffective(when.copy());
            result.setValue(new Quantity()
                    .setValue(lab.value())
                    .setUnit(lab.lab().unit)
                    .setSystem(CarTIg.UCUM)
                    .setCode(lab.lab().unit));
            if (lab.reported() != null) {
                result.addNote(new Annotation().setText("Reported as " + lab.reported()));
            }
            add(
                    entries,
                    result,
                    key + lab.lab().column,
                    VisitColumn.valueOf(lab.lab().name()));
        }
        if (report.malignancy() != null) {
            Condition malignancy = new Condition();
            profile(malignancy, CarTIg.PROFILE_NEW_MALIGNANCY);
            malignancy
                    .getClinicalStatus()
                    .addCoding()
                    .setSystem(CarTIg.CONDITION_CLINICAL)
                    .setCode("active");
            malignancy
                    .addCategory()
                    .addCoding()
                    .setSystem(CartEventType.NEW_MALIGNANCY.system())
                    .setCode(CartEventType.NEW_MALIGNANCY.code());
            malignancy.getCode().setText(report.malignancy());
            malignancy.setSubject(subject);
            malignancy.setEncounter(encounter);
            if (report.malignancyDate() != null) {
                malignancy.setOnset(new DateTimeType(report.malignancyDate().toString()));
            }
            add(entries, malignancy, key + "malignancy", VisitColumn.NEW_MALIGNANCY, VisitColumn.NEW_MALIGNANCY_DATE);
        }
        if (report.infections() != null) {
            Condition infections = new Condition();
            infections.getCode().setText("Infection: " + report.infections());
            infections
                    .addCategory()
                    .addCoding()
                    .setSystem(CarTIg.CONDITION_CATEGORY)
                    .setCode("encounter-diagnosis");
            infections.setSubject(subject);
            infections.setEncounter(encounter);
            infections.setRecordedDateElement(when.copy());
            add(entries, infections, key + "infections", VisitColumn.INFECTIONS);
        }
        if (report.hospitalisations() != null) {
            Encounter stays = new Encounter();
            stays.setStatus(Encounter.EncounterStatus.FINISHED);
            stays.setClass_(new Coding(CarTIg.V3_ACT_CODE, "IMP", "inpatient encounter"));
            stays.addReasonCode(new CodeableConcept().setText(report.hospitalisations()));
            stays.setSubject(subject);
            add(entries, stays, key + "hospitalisations", VisitColumn.HOSPITALISATIONS);
        }
        return entries;
    }

    private static Observation coded(
            String profile,
            CartObservation code,
            String valueSystem,
            String value,
            Reference subject,
            Reference encounter,
            DateTimeType when) {
        Observation observation = new Observation();
        profile(observation, profile);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem(code.system()).setCode(code.code());
        observation.setSubject(subject);
        observation.setEncounter(encounter);
        observation.setEffective(when.copy());
        observation.setValue(new CodeableConcept()
                .addCoding(new Coding().setSystem(valueSystem).setCode(value)));
        return observation;
    }

    private static void profile(Resource resource, String profile) {
        resource.getMeta().addProfile(profile);
    }

    /** @return the entry's fullUrl, for references to it from the other entries */
    private static String add(List<Entry> entries, Resource resource, String key, VisitColumn... columns) {
        String type = resource.fhirType();
        org.hl7.fhir.r4.model.Identifier identifier = new org.hl7.fhir.r4.model.Identifier()
                .setSystem(CarTIg.SID_VISIT_REPORT)
                .setValue(key);
        if (resource instanceof Observation observation) {
            observation.addIdentifier(identifier);
        } else if (resource instanceof Encounter encounter) {
            encounter.addIdentifier(identifier);
        } else {
            ((Condition) resource).addIdentifier(identifier);
        }
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(resource);
        entry.getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(type + "?identifier=" + CarTIg.SID_VISIT_REPORT + "|" + key);
        entries.add(new Entry(entry, List.of(columns)));
        return entry.getFullUrl();
    }
}
