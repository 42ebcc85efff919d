package org.cartltfu.hub.registry;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.cartltfu.hub.clinical.FollowUpProperties;
import org.cartltfu.hub.exchange.AuditTrail;
import org.cartltfu.hub.record.PatientRecords;
import org.cartltfu.hub.registry.audit.ExtractAudit;
import org.cartltfu.hub.registry.release.ReleaseSession;
import org.cartltfu.hub.registry.summary.PeriodSummary;
import org.cartltfu.hub.registry.summary.RegistrySummaries;
import org.cartltfu.hub.registry.summary.ReportingPeriod;
import org.cartltfu.hub.registry.summary.SummaryFacts;
import org.cartltfu.hub.registry.summary.SummaryParameters;
import org.cartltfu.hub.registry.summary.SummaryRows;
import org.cartltfu.hub.registry.views.CsvRows;
import org.cartltfu.hub.registry.views.ViewDefinition;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code $registry-summary}: the per-period follow-up summary (CIBMTR 4100 / EBMT MED-A) of every released patient,
 * as CSV or as a Parameters resource, gated and pseudonymised like a registry's bulk export. Rows are written to a
 * buffer file patient by patient, so memory does not grow with the cohort.
 */
public class RegistrySummaryOperation {

    /** What a registry summary reads of each patient. */
    private static final List<String> SUMMARY_TYPES =
            List.of("Procedure", "AdverseEvent", "Observation", "Condition", "Encounter");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExtractRequests requests;
    private final ExtractAudit audit;
    private final DaoRegistry daos;
    private final PatientRecords records;
    private final FollowUpProperties followUp;
    private final FhirContext fhirContext;

    RegistrySummaryOperation(
            ExtractRequests requests,
            ExtractAudit audit,
            DaoRegistry daos,
            PatientRecords records,
            FollowUpProperties followUp,
            FhirContext fhirContext) {
        this.requests = requests;
        this.audit = audit;
        this.daos = daos;
        this.records = records;
        this.followUp = followUp;
        this.fhirContext = fhirContext;
    }

    @Operation(name = "$registry-summary", manualResponse = true, idempotent = true)
    public void summary(
            @OperationParam(name = "asOf", max = 1) DateType asOf,
            @OperationParam(name = "period", max = 1) StringType period,
            @OperationParam(name = "format", max = 1) StringType format,
            @OperationParam(name = "recipient", max = 1) StringType recipient,
            ServletRequestDetails request)
            throws IOException {
        // Its ledger entry (ExtractAudit) says who received what; the generic operation event would repeat it.
        AuditTrail.auditedByLedger(request);
        LocalDate day = asOf == null ? LocalDate.now(ZoneOffset.UTC) : fullDate(asOf);
        if (period != null) {
            List<String> codes = ReportingPeriod.of(followUp.track(), day).stream()
                    .map(ReportingPeriod::timepointCode)
                    .toList();
            if (!codes.contains(period.getValue())) {
                throw new InvalidRequestException(
                        "period: '" + period.getValue() + "' is not a reporting period of the " + followUp.track()
                                + " track; use one of " + String.join(", ", codes));
            }
        }
        boolean csv = ExtractRequests.csv(format, request);
        ReleaseSession session = requests.session(recipient, request);
        Path buffer = Files.createTempFile("summary-", csv ? ".csv" : ".json");
        try {
            int[] counts = {0, 0};
            try (Writer out = Files.newBufferedWriter(buffer, StandardCharsets.UTF_8)) {
                PatientWriter writer = csv ? new CsvPatients(out) : new ParametersPatients(out, fhirContext);
                requests.forEachPage("Patient", page -> {
                    for (IBaseResource patient : page) {
                        String id = patient.getIdElement().getIdPart();
                        if (session.recipient().isPresent()
                                && !session.decision(id).decision().released()) {
                            continue;
                        }
                        List<PeriodSummary> summaries;
                        try {
                            summaries = RegistrySummaries.summarize(
                                    SummaryFacts.from(record((Patient) patient)), followUp.track(), day);
                        } catch (IllegalArgumentException notSummarisable) {
                            counts[1]++;
                            continue;
                        }
                        if (period != null) {
                            summaries = summaries.stream()
                                    .filter(summary ->
                                            summary.period().timepointCode().equals(period.getValue()))
                                    .toList();
                        }
                        counts[0]++;
                        try {
                            writer.patient(
                                    session.recipient()
                                            .map(r -> r.deidentifier().pseudonym("Patient", id))
                                            .orElse(id),
                                    summaries);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
                writer.finish();
            }
            audit.recordRun(
                    request.getCompleteUrl(),
                    "registry summary as of " + day + ": " + counts[0]
                            + " patients summarised, " + counts[1]
                            + " not summarisable (no infusion with a full date, or"
                            + " contradictory episode data)",
                    requests.clientId(request),
                    session);
            ExtractRequests.answer(request.getServletResponse(), csv ? "text/csv" : "application/fhir+json", buffer);
        } finally {
            Files.deleteIfExists(buffer);
        }
    }

    private List<Resource> record(Patient patient) {
        List<Resource> record = new ArrayList<>(List.of(patient));
        for (String type : SUMMARY_TYPES) {
            SearchParameterMap search = SearchParameterMap.newSynchronous()
                    .add(
                            "subject",
                            new ReferenceParam(
                                    "Patient/" + patient.getIdElement().getIdPart()));
            records.search(daos.getResourceDao(type).getResourceType(), search)
                    .forEach(resource -> record.add((Resource) resource));
        }
        return record;
    }

    private static LocalDate fullDate(DateType date) {
        if (date.getValue() == null || date.getValueAsString().length() != 10) {
            throw new InvalidRequestException("asOf: a full date (YYYY-MM-DD) is needed");
        }
        return LocalDate.parse(date.getValueAsString());
    }

    /** Writes one patient's summaries at a time. */
    private interface PatientWriter {
        void patient(String key, List<PeriodSummary> summaries) throws IOException;

        void finish() throws IOException;
    }

    /** One CSV row per patient and period, the patient's key first. */
    private static final class CsvPatients implements PatientWriter {
        private final CsvRows sink;

        CsvPatients(Writer out) throws IOException {
            List<ViewDefinition.Column> columns = new ArrayList<>();
            columns.add(new ViewDefinition.Column("patient", null, null, false, null));
            SummaryRows.COLUMNS.forEach(name -> columns.add(new ViewDefinition.Column(name, null, null, false, null)));
            this.sink = new CsvRows(out, columns, true);
        }

        @Override
        public void patient(String key, List<PeriodSummary> summaries) throws IOException {
            for (List<String> row : SummaryRows.rows(summaries)) {
                List<Object> withPatient = new ArrayList<>(row.size() + 1);
                withPatient.add(key);
                withPatient.addAll(row);
                sink.accept(withPatient);
            }
        }

        @Override
        public void finish() {}
    }

    /**
     * One Parameters resource with a {@code patient} parameter per patient: HAPI encodes each patient's parameter,
     * Jackson writes the surrounding resource as it goes.
     */
    private static final class ParametersPatients implements PatientWriter {
        private final JsonGenerator json;
        private final IParser parser;
        /** FHIR JSON has no empty arrays: the array opens with its first patient. */
        private boolean any;

        ParametersPatients(Writer out, FhirContext fhirContext) throws IOException {
            this.parser = fhirContext.newJsonParser();
            this.json = JSON.getFactory().createGenerator(out);
            json.writeStartObject();
            json.writeStringField("resourceType", "Parameters");
        }

        @Override
        public void patient(String key, List<PeriodSummary> summaries) throws IOException {
            Parameters one = new Parameters();
            Parameters.ParametersParameterComponent entry = one.addParameter().setName("patient");
            entry.addPart().setName("id").setValue(new StringType(key));
            SummaryParameters.of(summaries).getParameter().forEach(entry::addPart);
            if (!any) {
                json.writeArrayFieldStart("parameter");
                any = true;
            }
            json.writeTree(JSON.readTree(parser.encodeResourceToString(one))
                    .get("parameter")
                    .get(0));
        }

        @Override
        public void finish() throws IOException {
            if (any) {
                json.writeEndArray();
            }
            json.writeEndObject();
            json.flush();
        }
    }
}
