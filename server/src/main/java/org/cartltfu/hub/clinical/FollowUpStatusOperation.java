package org.cartltfu.hub.clinical;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cartltfu.hub.clinical.schedule.EvaluatedVisit;
import org.cartltfu.hub.clinical.schedule.VisitStatus;
import org.cartltfu.hub.clinical.schedule.VisitStatusEvaluator;
import org.cartltfu.hub.record.PatientRecords;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.Visibility;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code $follow-up-status}: as of a date, every follow-up visit that is overdue (window closed, no data), due
 * (window open) or upcoming (window opens within {@code upcomingDays}), grouped by the spoke responsible for the
 * patient, so that the hub knows whom to chase. {@code site} (a site code, e.g. vn-bachmai) narrows it to one spoke.
 * {@code patient} gives that patient's whole plan instead: every visit, done ones and those far ahead included.
 * The access policy decides whose plans are listed: a spoke sees its own patients only, another site's patient looks
 * like one without a plan.
 */
public class FollowUpStatusOperation {

    private final PatientRecords records;
    private final SiteDirectory sites;
    private final FollowUpPlanner planner;
    private final FollowUpProperties properties;
    private final Visibility visibility;

    public FollowUpStatusOperation(
            PatientRecords records,
            SiteDirectory sites,
            FollowUpPlanner planner,
            FollowUpProperties properties,
            Visibility visibility) {
        this.records = records;
        this.sites = sites;
        this.visibility = visibility;
        this.planner = planner;
        this.properties = properties;
    }

    @Operation(name = "$follow-up-status", idempotent = true)
    public Parameters followUpStatus(
            @OperationParam(name = "asOf") DateType asOf,
            @OperationParam(name = "site") StringType site,
            @OperationParam(name = "upcomingDays") IntegerType upcomingDays,
            @OperationParam(name = "patient") StringType patientParam,
            RequestDetails request) {
        LocalDate date = asOf == null || asOf.isEmpty() ? LocalDate.now() : LocalDate.parse(asOf.getValueAsString());
        if (asOf != null && asOf.getPrecision() != ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY) {
            throw new InvalidRequestException("Parameter asOf must be a full date (YYYY-MM-DD)");
        }
        int horizon = upcomingDays == null ? properties.upcomingDays() : upcomingDays.getValue();
        if (horizon < 0) {
            throw new InvalidRequestException("Parameter upcomingDays must be 0 or more");
        }

        // A string ("Patient/[id]" or "[id]"), not a reference type: HAPI cannot take a search-parameter type from a
        // POSTed Parameters (a 500), and a reference in a query string is no Reference datatype either.
        String onePatient = onePatient(patientParam);
        SearchParameterMap plans = SearchParameterMap.newSynchronous()
                .add(CarePlan.SP_IDENTIFIER, new TokenParam(CarTIg.SID_LTFU_PLAN, null))
                .add(CarePlan.SP_STATUS, new TokenParam("active"));
        if (onePatient != null) {
            plans.add(CarePlan.SP_SUBJECT, new ca.uhn.fhir.rest.param.ReferenceParam(onePatient));
        }
        Map<String, List<ParametersParameterComponent>> bySite = new LinkedHashMap<>();
        // Read with the server's rights (a DAO search made with the caller's request would take the server's default
        // page size, 20 plans, as its limit), then shown only where the access policy lets the caller see the patient.
        List<CarePlan> active = records.search(CarePlan.class, plans);
        Map<String, Patient> patients = records.existing(active.stream()
                .map(plan -> new IdType(plan.getSubject().getReference()))
                .toList());
        for (CarePlan plan : active) {
            Patient patient = patients.get(new IdType(plan.getSubject().getReference()).getIdPart());
            if (patient == null || !visibility.maySee(request, patient)) {
                continue;
            }
            String patientSite = siteCode(patient);
            if (site != null && !site.isEmpty() && !site.getValue().equals(patientSite)) {
                continue;
            }
            for (EvaluatedVisit visit : evaluate(plan, date)) {
                boolean upcomingSoon = visit.status() == VisitStatus.UPCOMING
                        && ChronoUnit.DAYS.between(date, visit.visit().windowStart()) <= horizon;
                if (onePatient != null
                        || visit.status() == VisitStatus.OVERDUE
                        || visit.status() == VisitStatus.DUE
                        || upcomingSoon) {
                    bySite.computeIfAbsent(patientSite, key -> new ArrayList<>())
                            .add(visitPart(patient, visit, date));
                }
            }
        }

        Parameters status = new Parameters();
        status.addParameter().setName("asOf").setValue(new DateType(date.toString()));
        bySite.forEach((code, visits) -> {
            ParametersParameterComponent sitePart = status.addParameter().setName("site");
            sitePart.addPart().setName("code").setValue(new StringType(code));
            visits.sort(Comparator.comparing(visit -> visit.getPart().stream()
                    .filter(part -> part.getName().equals(onePatient == null ? "windowEnd" : "windowStart"))
                    .findFirst()
                    .orElseThrow()
                    .getValue()
                    .primitiveValue()));
            visits.forEach(visit -> sitePart.addPart(visit));
        });
        return status;
    }

    private static String onePatient(StringType patient) {
        if (patient == null || patient.isEmpty()) {
            return null;
        }
        String id = new IdType(patient.getValue()).getIdPart();
        if (id == null || !id.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw new InvalidRequestException("Parameter patient must be Patient/[id] or [id]");
        }
        return "Patient/" + id;
    }

    /** Re-plans from the plan's day 0 and takes the completed activities as the data, so statuses match the planner. */
    private List<EvaluatedVisit> evaluate(CarePlan plan, LocalDate asOf) {
        LocalDate dayZero =
                ClinicalDates.localDate(plan.getPeriod().getStartElement().getValueAsString());
        List<LocalDate> completed = plan.getActivity().stream()
                .filter(activity -> activity.getDetail().getStatus() == CarePlan.CarePlanActivityStatus.COMPLETED)
                .map(activity -> ClinicalDates.localDate(activity.getDetail()
                        .getScheduledPeriod()
                        .getStartElement()
                        .getValueAsString()))
                .toList();
        return VisitStatusEvaluator.evaluate(planner.plannedVisits(dayZero), completed, asOf);
    }

    private static ParametersParameterComponent visitPart(Patient patient, EvaluatedVisit visit, LocalDate asOf) {
        ParametersParameterComponent part = new ParametersParameterComponent().setName("visit");
        part.addPart()
                .setName("patient")
                .setValue(new Reference(
                        patient.getIdElement().toUnqualifiedVersionless().getValue()));
        patient.getIdentifier().stream()
                .filter(identifier -> CarTIg.SID_HUB_MRN.equals(identifier.getSystem()))
                .findFirst()
                .ifPresent(mrn -> part.addPart().setName("hubMrn").setValue(new StringType(mrn.getValue())));
        part.addPart().setName("timepoint").setValue(new CodeType(visit.visit().timepointCode()));
        part.addPart()
                .setName("status")
                .setValue(new CodeType(visit.status().name().toLowerCase()));
        part.addPart()
                .setName("windowStart")
                .setValue(new DateType(visit.visit().windowStart().toString()));
        part.addPart()
                .setName("windowEnd")
                .setValue(new DateType(visit.visit().windowEnd().toString()));
        if (visit.status() == VisitStatus.OVERDUE) {
            part.addPart().setName("daysOverdue").setValue(new IntegerType((int)
                    ChronoUnit.DAYS.between(visit.visit().windowEnd(), asOf)));
        }
        return part;
    }

    private String siteCode(Patient patient) {
        String organization = SiteDirectory.organizationOf(patient);
        return organization == null ? "unassigned" : sites.siteOf(patient).orElse(organization);
    }
}
