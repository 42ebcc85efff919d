package org.cartltfu.hub.clinical;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriOrListParam;
import ca.uhn.fhir.rest.param.UriParam;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.cartltfu.hub.clinical.schedule.EvaluatedVisit;
import org.cartltfu.hub.clinical.schedule.FollowUpScheduler;
import org.cartltfu.hub.clinical.schedule.PlannedVisit;
import org.cartltfu.hub.clinical.schedule.VisitStatus;
import org.cartltfu.hub.clinical.schedule.VisitStatusEvaluator;
import org.cartltfu.hub.record.DayZero;
import org.cartltfu.hub.record.PatientRecords;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Keeps each CAR-T recipient's long-term follow-up plan (one CarePlan, an activity per visit with its window) in step
 * with the data: created from the first infusion, and a visit marked completed once follow-up data dated inside its
 * window arrives. Idempotent: refreshing twice changes nothing.
 */
public class FollowUpPlanner {

    /** Profiles whose data counts as a follow-up contact (a visit, or a result the spoke reports for it). */
    static final List<String> FOLLOW_UP_DATA_PROFILES = List.of(
            CarTIg.PROFILE_LAB_FERRITIN,
            CarTIg.PROFILE_LAB_CRP,
            CarTIg.PROFILE_LAB_ANC,
            CarTIg.PROFILE_LAB_PLATELETS,
            CarTIg.PROFILE_LAB_IGG,
            CarTIg.PROFILE_DISEASE_RESPONSE,
            CarTIg.PROFILE_SURVIVAL_STATUS,
            CarTIg.PROFILE_CART_PERSISTENCE);

    private final DaoRegistry daos;
    private final PatientRecords records;
    private final FollowUpProperties properties;

    public FollowUpPlanner(DaoRegistry daos, PatientRecords records, FollowUpProperties properties) {
        this.daos = daos;
        this.records = records;
        this.properties = properties;
    }

    List<PlannedVisit> plannedVisits(LocalDate infusionDate) {
        return new FollowUpScheduler(properties.earlyVisits()).plan(infusionDate, properties.track());
    }

    /** Creates or updates the patient's plan; does nothing for a patient without a day 0 ({@link DayZero}). */
    public void refresh(IdType patient) {
        SystemRequestDetails system = new SystemRequestDetails();
        List<Procedure> infusions = records.infusions(patient);
        Optional<LocalDate> date = DayZero.of(infusions);
        if (date.isEmpty()) {
            return;
        }
        Procedure first = infusions.get(0);
        LocalDate dayZero = date.get();
        List<FollowUpContact> contacts = contacts(patient);
        List<EvaluatedVisit> visits = VisitStatusEvaluator.evaluate(
                plannedVisits(dayZero),
                contacts.stream().map(FollowUpContact::date).toList(),
                LocalDate.MAX);

        CarePlan plan = new CarePlan();
        plan.addIdentifier().setSystem(CarTIg.SID_LTFU_PLAN).setValue(patient.getIdPart());
        plan.setStatus(CarePlan.CarePlanStatus.ACTIVE);
        plan.setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.setTitle("CAR-T long-term follow-up ("
                + properties.track().name().toLowerCase().replace('_', '-') + " track)");
        plan.addCategory().setText("CAR-T long-term follow-up");
        plan.setSubject(new Reference(patient.toUnqualifiedVersionless().getValue()));
        plan.setPeriod(new Period().setStartElement(new DateTimeType(dayZero.toString())));
        plan.addSupportingInfo(
                new Reference(first.getIdElement().toUnqualifiedVersionless().getValue()));
        first.getPerformer().stream()
                .findFirst()
                .ifPresent(performer -> plan.setAuthor(performer.getActor().copy()));
        for (EvaluatedVisit visit : visits) {
            CarePlan.CarePlanActivityComponent activity = plan.addActivity();
            CarePlan.CarePlanActivityDetailComponent detail = activity.getDetail();
            PlannedVisit planned = visit.visit();
            detail.setKind(CarePlan.CarePlanActivityKind.APPOINTMENT);
            detail.setCode(new CodeableConcept(new Coding(CarTIg.CS_LTFU_TIMEPOINT, planned.timepointCode(), null)));
            detail.setScheduled(new Period()
                    .setStartElement(new DateTimeType(planned.windowStart().toString()))
                    .setEndElement(new DateTimeType(planned.windowEnd().toString())));
            detail.setDescription(planned.timepointCode() + ": day " + planned.windowStartDay() + " to "
                    + planned.windowEndDay() + " after the infusion");
            if (visit.status() == VisitStatus.DONE) {
                detail.setStatus(CarePlan.CarePlanActivityStatus.COMPLETED);
                contacts.stream()
                        .filter(contact -> contact.date().equals(visit.completedOn()))
                        .forEach(contact -> activity.addOutcomeReference(new Reference(contact.reference())));
            } else {
                detail.setStatus(CarePlan.CarePlanActivityStatus.NOTSTARTED);
            }
        }
        store(patient, plan, system);
    }

    private void store(IdType patient, CarePlan plan, SystemRequestDetails system) {
        String condition = "CarePlan?identifier=" + CarTIg.SID_LTFU_PLAN + "|" + patient.getIdPart();
        Optional<CarePlan> existing = currentPlan(patient);
        if (existing.isEmpty()) {
            daos.getResourceDao(CarePlan.class).create(plan, condition.substring("CarePlan?".length()), system);
            return;
        }
        CarePlan current = existing.get();
        plan.setId(current.getIdElement().toUnqualifiedVersionless());
        // A new version only when a visit changed: spokes subscribe to plan changes.
        if (!content(current).equalsDeep(content(plan))) {
            daos.getResourceDao(CarePlan.class).update(plan, system);
        }
    }

    private static CarePlan content(CarePlan plan) {
        CarePlan content = plan.copy();
        content.setMeta(null);
        content.setText(null);
        content.setIdElement(null);
        return content;
    }

    Optional<CarePlan> currentPlan(IdType patient) {
        return records
                .search(
                        CarePlan.class,
                        SearchParameterMap.newSynchronous()
                                .add(CarePlan.SP_IDENTIFIER, new TokenParam(CarTIg.SID_LTFU_PLAN, patient.getIdPart())))
                .stream()
                .findFirst();
    }

    private List<FollowUpContact> contacts(IdType patient) {
        ReferenceParam subject =
                new ReferenceParam(patient.toUnqualifiedVersionless().getValue());
        List<FollowUpContact> contacts = new ArrayList<>();
        records.search(
                        Encounter.class,
                        SearchParameterMap.newSynchronous()
                                .add(Encounter.SP_SUBJECT, subject)
                                .add(
                                        Encounter.SP_TYPE,
                                        new TokenOrListParam().add(new TokenParam(CarTIg.CS_LTFU_TIMEPOINT, null))))
                .forEach(encounter -> FollowUpContact.of(
                                encounter,
                                encounter.getPeriod().getStartElement().getValueAsString())
                        .ifPresent(contacts::add));
        UriOrListParam profiles = new UriOrListParam();
        FOLLOW_UP_DATA_PROFILES.forEach(profile -> profiles.add(new UriParam(profile)));
        records.search(
                        Observation.class,
                        SearchParameterMap.newSynchronous()
                                .add(Observation.SP_SUBJECT, subject)
                                .add("_profile", profiles))
                .forEach(observation -> FollowUpContact.of(
                                observation,
                                observation.hasEffectiveDateTimeType()
                                        ? observation.getEffectiveDateTimeType().getValueAsString()
                                        : null)
                        .ifPresent(contacts::add));
        contacts.sort(Comparator.comparing(FollowUpContact::date));
        return contacts;
    }

    record FollowUpContact(LocalDate date, String reference) {
        static Optional<FollowUpContact> of(Resource resource, String fhirDateTime) {
            return Optional.ofNullable(ClinicalDates.localDate(fhirDateTime))
                    .map(date -> new FollowUpContact(
                            date,
                            resource.getIdElement().toUnqualifiedVersionless().getValue()));
        }
    }
}
