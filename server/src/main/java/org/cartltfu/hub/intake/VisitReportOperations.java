package org.cartltfu.hub.intake;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.cartltfu.hub.config.SearchResults;
import org.cartltfu.hub.security.Caller;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.hub.security.Role;
import org.cartltfu.hub.security.Visibility;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Follow-up visits from hospitals without a FHIR interface. {@code GET [base]/$visit-template?timepoint=D100&lang=vi}
 * gives the spreadsheet (CSV, with a help line in the person's language); {@code POST [base]/$report-visits} with
 * the filled-in file ({@code text/csv}, the encoding in its charset if not UTF-8) stores each line as the profiled
 * transaction a spoke EHR would send, in one transaction for the whole file: every check a FHIR push gets (access
 * policy, intake policy, provenance) applies, and a file with any error stores nothing and names every line and
 * column that is wrong. The web form sends its visit the same way.
 */
public class VisitReportOperations {

    private static final List<String> LANGUAGES = List.of("en", "zh", "vi", "ms");
    /** The language asked for (a key it lacks is read from its parent, English): never the server's own locale. */
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final DaoRegistry daos;
    private final IFhirSystemDao<Bundle, ?> systemDao;
    private final Callers callers;
    private final Visibility visibility;
    private final Vocabulary vocabulary;
    private final IValidationSupport support;
    private final Clock clock;
    private volatile Map<VisitLab, Coding> labCodes;

    @SuppressWarnings("unchecked")
    public VisitReportOperations(
            DaoRegistry daos,
            IFhirSystemDao<?, ?> systemDao,
            Callers callers,
            Visibility visibility,
            IValidationSupport support,
            Clock clock) {
        // The clock is the zone furthest ahead (UTC+14): "not in the future" must not refuse a visit dated today at a
        // spoke whose day has already begun where the server's has not.
        this.daos = daos;
        this.systemDao = (IFhirSystemDao<Bundle, ?>) systemDao;
        this.callers = callers;
        this.visibility = visibility;
        this.support = support;
        this.clock = clock;
        this.vocabulary = new Vocabulary(url -> (CodeSystem) support.fetchCodeSystem(url));
    }

    /** Which report (index) and columns a transaction entry came from. */
    private record Origin(int report, List<VisitColumn> columns) {}

    @Operation(name = "$report-visits", manualRequest = true)
    public Parameters reportVisits(RequestDetails request) {
        Charset declared = charset(request.getHeader("Content-Type"));
        List<VisitReport> reports;
        try {
            CsvTable table = CsvTable.read(request.loadRequestContents(), declared);
            reports = new VisitRowReader(vocabulary, LocalDate.now(clock)).read(table);
        } catch (CsvTable.Refused refused) {
            throw FileRefusals.refusal(refused.errors());
        }

        List<CellError> errors = new ArrayList<>();
        List<Patient> patients = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (VisitReport report : reports) {
            Optional<Patient> patient = patient(report, request, errors);
            patients.add(patient.orElse(null));
            if (patient.isPresent()) {
                Integer earlier = seen.putIfAbsent(patient.get().getIdPart() + "|" + report.timepoint(), report.line());
                if (earlier != null) {
                    errors.add(new CellError(
                            report.line(),
                            null,
                            "reports the same patient's " + report.timepoint() + " visit as line " + earlier
                                    + "; one line per patient and time point"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw FileRefusals.refusal(errors);
        }

        VisitTransaction builder = new VisitTransaction(labCodes());
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<Origin> origins = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            Patient patient = patients.get(i);
            for (VisitTransaction.Entry entry : builder.entries(
                    reports.get(i),
                    patient.getIdPart(),
                    patient.hasManagingOrganization() ? patient.getManagingOrganization() : null)) {
                transaction.addEntry(entry.entry());
                origins.add(new Origin(i, entry.columns()));
            }
        }
        Bundle response;
        try {
            response = systemDao.transaction(request, transaction);
        } catch (BaseServerResponseException refused) {
            throw FileRefusals.relocated(
                    refused,
                    transaction,
                    index -> index >= origins.size()
                            ? null
                            : "Line " + reports.get(origins.get(index).report()).line() + ", column "
                                    + String.join(
                                            ", ",
                                            origins.get(index).columns().stream()
                                                    .map(VisitColumn::header)
                                                    .toList()));
        }
        return summary(reports, patients, origins, response);
    }

    @Operation(name = "$visit-template", idempotent = true, manualResponse = true)
    public void visitTemplate(
            @OperationParam(name = "timepoint") CodeType timepoint,
            @OperationParam(name = "lang") CodeType lang,
            HttpServletResponse response)
            throws IOException {
        String point = timepoint == null || timepoint.isEmpty() ? "D100" : timepoint.getValue();
        List<String> timepoints = vocabulary.codes(CarTIg.CS_LTFU_TIMEPOINT);
        boolean yearly = "yearly".equals(point) || (point.startsWith("Y") && timepoints.contains(point));
        if (!yearly && !timepoints.contains(point)) {
            throw new InvalidRequestException(
                    "Parameter timepoint must be D100, M6 or yearly (or one of " + String.join(", ", timepoints) + ")");
        }
        String language = lang == null || lang.isEmpty() ? "en" : lang.getValue();
        if (!LANGUAGES.contains(language)) {
            throw new InvalidRequestException("Parameter lang must be one of " + String.join(", ", LANGUAGES));
        }
        List<VisitColumn> columns = VisitColumn.template(yearly ? "yearly" : point);
        ResourceBundle help =
                ResourceBundle.getBundle("intake.visit-columns", Locale.forLanguageTag(language), NO_FALLBACK);
        List<String> helpLine = new ArrayList<>();
        List<String> valuesLine = new ArrayList<>();
        for (VisitColumn column : columns) {
            helpLine.add(help.getString(column.header()));
            valuesLine.add(
                    column == VisitColumn.TIMEPOINT
                            ? (yearly
                                    ? String.join(
                                            " | ",
                                            timepoints.stream()
                                                    .filter(code -> code.startsWith("Y"))
                                                    .toList())
                                    : point)
                            : values(column, language, help));
        }
        helpLine.set(0, "# " + helpLine.get(0));
        valuesLine.set(0, "# " + valuesLine.get(0));

        response.setStatus(200);
        response.setContentType("text/csv;charset=utf-8");
        response.setHeader(
                "Content-Disposition",
                "attachment; filename=\"visit-report-" + (yearly ? "yearly" : point) + "-" + language + ".csv\"");
        try (Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            out.write('\uFEFF'); // Excel reads a CSV as UTF-8 only when it starts with the byte order mark
            csv.printRecord(columns.stream().map(VisitColumn::header).toList());
            csv.printRecord(helpLine);
            csv.printRecord(valuesLine);
        }
    }

    private String values(VisitColumn column, String language, ResourceBundle help) {
        return switch (column.kind) {
            case CODE ->
                String.join(
                        " | ",
                        vocabulary.codes(column.system).stream()
                                .map(code -> "en".equals(language)
                                        ? code
                                        : code + " (" + vocabulary.display(column.system, code, language) + ")")
                                .toList());
            case DATE -> "YYYY-MM-DD";
            case QUANTITY ->
                help.getString("format.number") + " " + column.lab().unit + " ("
                        + column.lab().acceptedUnits() + ")";
            case TEXT -> help.getString("format.text");
            case IDENTIFIER -> help.getString("format.identifier");
        };
    }

    /** The charset an upload names; absent means UTF-8 (or the byte order mark's). */
    private static Charset charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String part : contentType.split(";")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                String name = pair[1].trim().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
                    throw new InvalidRequestException("Content-Type names the encoding '" + name
                            + "', which the hub does not know; use UTF-8, GB18030 or windows-1258");
                }
            }
        }
        return null;
    }

    /**
     * The hub's patient a line names, if the caller may see it. Another site's patient reads exactly like one the hub
     * does not have.
     */
    private Optional<Patient> patient(VisitReport report, RequestDetails request, List<CellError> errors) {
        Caller caller = callers.of(request).orElse(null);
        Set<String> found = new LinkedHashSet<>();
        Patient match = null;
        for (Map.Entry<VisitColumn, String> key : report.patientKeys().entrySet()) {
            Optional<Patient> patient = switch (key.getKey()) {
                case PATIENT -> read(key.getValue());
                case HUB_MRN -> byIdentifier(CarTIg.SID_HUB_MRN, key.getValue());
                default ->
                    caller == null || caller.role() != Role.SPOKE
                            ? Optional.empty()
                            : byIdentifier(CarTIg.SID_SPOKE_MRN_PREFIX + caller.site(), key.getValue());
            };
            patient = patient.filter(candidate -> visibility.maySee(request, candidate));
            if (patient.isEmpty()) {
                String whose = caller != null && caller.role() == Role.SPOKE ? " of site " + caller.site() : "";
                errors.add(new CellError(
                        report.line(),
                        key.getKey().header(),
                        key.getKey() == VisitColumn.SPOKE_MRN && (caller == null || caller.role() != Role.SPOKE)
                                ? "a spoke MRN is read in the uploading spoke's numbering; the hub names patients by hub_mrn"
                                : "the hub has no patient" + whose + " with "
                                        + key.getKey().header() + " '" + key.getValue() + "'"));
                return Optional.empty();
            }
            found.add(patient.get().getIdPart());
            match = patient.get();
        }
        if (found.size() > 1) {
            errors.add(new CellError(report.line(), null, "its patient columns name different patients"));
            return Optional.empty();
        }
        return Optional.ofNullable(match);
    }

    private Optional<Patient> read(String id) {
        if (!id.matches("(Patient/)?[A-Za-z0-9\\-.]{1,64}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(daos.getResourceDao(Patient.class)
                    .read(
                            new org.hl7.fhir.r4.model.IdType("Patient", id.replace("Patient/", "")),
                            new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException absent) {
            return Optional.empty();
        }
    }

    private Optional<Patient> byIdentifier(String system, String value) {
        SearchParameterMap search =
                SearchParameterMap.newSynchronous().add(Patient.SP_IDENTIFIER, new TokenParam(system, value));
        List<Patient> patients =
                SearchResults.all(daos.getResourceDao(Patient.class).search(search, new SystemRequestDetails()))
                        .stream()
                        .map(Patient.class::cast)
                        .toList();
        return patients.size() == 1 ? Optional.of(patients.get(0)) : Optional.empty();
    }

    /**
     * Each lab's LOINC code, as its profile has it: the pattern on Observation.code, else the first code of the value
     * set Observation.code is bound to (the labs with several LOINC codes, e.g. ANC by automated or manual count).
     */
    private Map<VisitLab, Coding> labCodes() {
        if (labCodes == null) {
            Map<VisitLab, Coding> codes = new EnumMap<>(VisitLab.class);
            for (VisitLab lab : VisitLab.values()) {
                StructureDefinition profile = (StructureDefinition) support.fetchStructureDefinition(lab.profile);
                ElementDefinition code = profile.getDifferential().getElement().stream()
                        .filter(element -> "Observation.code".equals(element.getPath()))
                        .findFirst()
                        .orElseThrow();
                if (code.getPattern() instanceof CodeableConcept pattern) {
                    codes.put(lab, pattern.getCodingFirstRep().copy());
                } else {
                    ValueSet.ConceptSetComponent include = ((ValueSet)
                                    support.fetchValueSet(code.getBinding().getValueSet()))
                            .getCompose()
                            .getIncludeFirstRep();
                    codes.put(
                            lab,
                            new Coding(
                                    include.getSystem(),
                                    include.getConceptFirstRep().getCode(),
                                    include.getConceptFirstRep().getDisplay()));
                }
            }
            labCodes = codes;
        }
        return labCodes;
    }

    private static Parameters summary(
            List<VisitReport> reports, List<Patient> patients, List<Origin> origins, Bundle response) {
        Parameters summary = new Parameters();
        summary.addParameter().setName("visits").setValue(new IntegerType(reports.size()));
        int created = 0;
        List<ParametersParameterComponent> visits = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            ParametersParameterComponent visit = new ParametersParameterComponent().setName("visit");
            visit.addPart()
                    .setName("line")
                    .setValue(new IntegerType(reports.get(i).line()));
            visit.addPart()
                    .setName("patient")
                    .setValue(new Reference("Patient/" + patients.get(i).getIdPart()));
            visit.addPart()
                    .setName("timepoint")
                    .setValue(new CodeType(reports.get(i).timepoint()));
            visits.add(visit);
        }
        for (int index = 0; index < response.getEntry().size(); index++) {
            Bundle.BundleEntryResponseComponent stored =
                    response.getEntry().get(index).getResponse();
            boolean isNew = stored.getStatus() != null && stored.getStatus().startsWith("201");
            created += isNew ? 1 : 0;
            ParametersParameterComponent resource =
                    visits.get(origins.get(index).report()).addPart().setName("resource");
            resource.addPart()
                    .setName("reference")
                    .setValue(new Reference(new org.hl7.fhir.r4.model.IdType(stored.getLocation())
                            .toUnqualifiedVersionless()
                            .getValue()));
            resource.addPart().setName("outcome").setValue(new CodeType(isNew ? "created" : "existing"));
        }
        summary.addParameter().setName("created").setValue(new IntegerType(created));
        summary.addParameter()
                .setName("existing")
                .setValue(new IntegerType(response.getEntry().size() - created));
        visits.forEach(summary::addParameter);
        return summary;
    }
}
