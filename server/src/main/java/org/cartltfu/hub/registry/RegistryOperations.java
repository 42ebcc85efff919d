package org.cartltfu.hub.registry;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.cartltfu.hub.clinical.FollowUpProperties;
import org.cartltfu.hub.config.SearchResults;
import org.cartltfu.hub.record.PatientRecords;
import org.cartltfu.hub.registry.export.ExtractAudit;
import org.cartltfu.hub.registry.summary.PeriodSummary;
import org.cartltfu.hub.registry.summary.RegistrySummaries;
import org.cartltfu.hub.registry.summary.ReportingPeriod;
import org.cartltfu.hub.registry.summary.SummaryFacts;
import org.cartltfu.hub.registry.summary.SummaryParameters;
import org.cartltfu.hub.registry.summary.SummaryRows;
import org.cartltfu.hub.registry.views.CsvRows;
import org.cartltfu.hub.registry.views.NdjsonRows;
import org.cartltfu.hub.registry.views.RowSink;
import org.cartltfu.hub.registry.views.ViewCatalog;
import org.cartltfu.hub.registry.views.ViewDefinition;
import org.cartltfu.hub.registry.views.ViewEngine;
import org.cartltfu.hub.registry.views.ViewEvaluationException;
import org.cartltfu.hub.registry.views.ViewRunner;
import org.cartltfu.hub.security.Caller;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.hub.security.Role;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Flat extracts answered directly, under the same gating and de-identification as a registry's bulk export:
 * {@code $viewdefinition-run} runs a shipped SQL-on-FHIR view to CSV or NDJSON, {@code $registry-summary} gives the
 * per-period follow-up summary (CIBMTR 4100 / EBMT MED-A) of every released patient. A registry gets its own
 * pseudonymised view; the hub gets identified data, or previews a registry's extract with {@code recipient}.
 */
public class RegistryOperations {

	/** What a registry summary reads of each patient. */
	private static final List<String> SUMMARY_TYPES =
			List.of("Procedure", "AdverseEvent", "Observation", "Condition", "Encounter");

	private final Callers callers;
	private final RegistryRecipients recipients;
	private final RegistryRelease release;
	private final ExtractAudit audit;
	private final DaoRegistry daos;
	private final PatientRecords records;
	private final FollowUpProperties followUp;
	private final ViewEngine views;
	private final ViewCatalog catalog;
	private final FhirContext fhirContext;

	public RegistryOperations(Callers callers, RegistryRecipients recipients, RegistryRelease release,
			ExtractAudit audit, DaoRegistry daos, PatientRecords records, FollowUpProperties followUp,
			FhirContext fhirContext) {
		this.callers = callers;
		this.recipients = recipients;
		this.release = release;
		this.audit = audit;
		this.daos = daos;
		this.records = records;
		this.followUp = followUp;
		this.fhirContext = fhirContext;
		this.views = new ViewEngine(fhirContext);
		this.catalog = ViewCatalog.shipped();
	}

	@Operation(name = "$viewdefinition-run", manualResponse = true, idempotent = true)
	public void runView(
			@OperationParam(name = "view", min = 1, max = 1) StringType view,
			@OperationParam(name = "format", max = 1) StringType format,
			@OperationParam(name = "header", max = 1) BooleanType header,
			@OperationParam(name = "recipient", max = 1) StringType recipient,
			ServletRequestDetails request) throws IOException {
		if (view == null || !view.hasValue()) {
			throw new InvalidRequestException("view: required (the name of a view); the hub offers "
					+ String.join(", ", catalog.names()));
		}
		ViewDefinition definition = catalog.named(view.getValue()).orElseThrow(() -> new InvalidRequestException(
				"view: no view named '" + view.getValue() + "'; the hub offers " + String.join(", ", catalog.names())));
		boolean csv = csv(format, request);
		ViewRunner runner = new ViewRunner(views, definition);
		ReleaseSession session = session(recipient, request);
		Path buffer = Files.createTempFile("view-", csv ? ".csv" : ".ndjson");
		try {
			long rows;
			// Buffered in a file: a view that fails on one resource must answer 422, not a cut-off 200.
			try (Writer out = Files.newBufferedWriter(buffer, StandardCharsets.UTF_8)) {
				RowSink sink = csv ? new CsvRows(out, runner.columns(), header == null || header.booleanValue())
						: new NdjsonRows(out, runner.columns());
				List<Resource> released = new ArrayList<>();
				long[] count = {0};
				forEachPage(definition.resource(), page -> {
					released.clear();
					page.stream().map(Resource.class::cast).filter(session::release).forEach(released::add);
					try {
						count[0] += runner.run(released, sink);
					} catch (IOException e) {
						throw new java.io.UncheckedIOException(e);
					}
				});
				rows = count[0];
			} catch (ViewEvaluationException e) {
				throw new UnprocessableEntityException("view " + definition.name() + ": " + e.getMessage());
			}
			audit.recordRun(request.getCompleteUrl(), "view " + definition.name() + " as " + (csv ? "csv" : "ndjson")
					+ ": " + rows + " rows", clientId(request), session);
			HttpServletResponse response = request.getServletResponse();
			response.setStatus(200);
			response.setContentType((csv ? "text/csv" : "application/x-ndjson") + ";charset=utf-8");
			try (InputStream in = Files.newInputStream(buffer); OutputStream out = response.getOutputStream()) {
				in.transferTo(out);
			}
		} finally {
			Files.deleteIfExists(buffer);
		}
	}

	@Operation(name = "$registry-summary", manualResponse = true, idempotent = true)
	public void summary(
			@OperationParam(name = "asOf", max = 1) DateType asOf,
			@OperationParam(name = "period", max = 1) StringType period,
			@OperationParam(name = "format", max = 1) StringType format,
			@OperationParam(name = "recipient", max = 1) StringType recipient,
			ServletRequestDetails request) throws IOException {
		LocalDate day = asOf == null ? LocalDate.now(ZoneOffset.UTC) : fullDate(asOf);
		if (period != null) {
			List<String> codes = ReportingPeriod.of(followUp.track(), day).stream()
					.map(ReportingPeriod::timepointCode).toList();
			if (!codes.contains(period.getValue())) {
				throw new InvalidRequestException("period: '" + period.getValue() + "' is not a reporting period of the "
						+ followUp.track() + " track; use one of " + String.join(", ", codes));
			}
		}
		boolean csv = csv(format, request);
		ReleaseSession session = session(recipient, request);
		Parameters json = new Parameters();
		List<List<String>> rows = new ArrayList<>();
		int[] counts = {0, 0};
		forEachPage("Patient", page -> {
			for (IBaseResource patient : page) {
				String id = patient.getIdElement().getIdPart();
				if (session.recipient().isPresent() && !session.decision(id).decision().released()) {
					continue;
				}
				List<Resource> record = record((Patient) patient);
				List<PeriodSummary> summaries;
				try {
					summaries = RegistrySummaries.summarize(SummaryFacts.from(record), followUp.track(), day);
				} catch (IllegalArgumentException notSummarisable) {
					counts[1]++;
					continue;
				}
				if (period != null) {
					summaries = summaries.stream()
							.filter(summary -> summary.period().timepointCode().equals(period.getValue())).toList();
				}
				String key = session.recipient().map(r -> r.deidentifier().pseudonym("Patient", id)).orElse(id);
				counts[0]++;
				if (csv) {
					SummaryRows.rows(summaries).forEach(row -> {
						List<String> withPatient = new ArrayList<>(row.size() + 1);
						withPatient.add(key);
						withPatient.addAll(row);
						rows.add(withPatient);
					});
				} else {
					Parameters.ParametersParameterComponent entry = json.addParameter().setName("patient");
					entry.addPart().setName("id").setValue(new StringType(key));
					SummaryParameters.of(summaries).getParameter().forEach(entry::addPart);
				}
			}
		});
		audit.recordRun(request.getCompleteUrl(), "registry summary as of " + day + ": " + counts[0]
				+ " patients summarised, " + counts[1] + " not summarisable (no infusion with a full date, or"
				+ " contradictory episode data)", clientId(request), session);
		HttpServletResponse response = request.getServletResponse();
		response.setStatus(200);
		if (csv) {
			response.setContentType("text/csv;charset=utf-8");
			List<ViewDefinition.Column> columns = new ArrayList<>();
			columns.add(new ViewDefinition.Column("patient", null, null, false, null));
			SummaryRows.COLUMNS.forEach(name -> columns.add(new ViewDefinition.Column(name, null, null, false, null)));
			try (Writer out = new BufferedWriter(response.getWriter())) {
				CsvRows sink = new CsvRows(out, columns, true);
				for (List<String> row : rows) {
					sink.accept(new ArrayList<>(row));
				}
			}
		} else {
			response.setContentType("application/fhir+json;charset=utf-8");
			fhirContext.newJsonParser().encodeResourceToWriter(json, response.getWriter());
			response.getWriter().close();
		}
	}

	private List<Resource> record(Patient patient) {
		List<Resource> record = new ArrayList<>(List.of(patient));
		for (String type : SUMMARY_TYPES) {
			SearchParameterMap search = SearchParameterMap.newSynchronous()
					.add("subject", new ReferenceParam("Patient/" + patient.getIdElement().getIdPart()));
			records.search(daos.getResourceDao(type).getResourceType(), search)
					.forEach(resource -> record.add((Resource) resource));
		}
		return record;
	}

	/** The release session for this caller: a registry's own, or the hub's (identified, or previewing a registry). */
	private ReleaseSession session(StringType recipient, RequestDetails request) {
		Optional<Caller> caller = callers.of(request);
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		if (caller.isPresent() && caller.get().role() == Role.REGISTRY) {
			if (recipient != null && !recipient.getValue().equals(caller.get().clientId())) {
				throw new ForbiddenOperationException("recipient: a registry receives only its own extracts");
			}
			return release.open(recipients.forClient(caller.get().clientId())
					.orElseThrow(() -> new ForbiddenOperationException("registry client " + caller.get().clientId()
							+ " has no extract configuration (hub.registry.recipients)")), today);
		}
		if (recipient == null) {
			return release.open(null, today);
		}
		return release.open(recipients.forClient(recipient.getValue()).orElseThrow(() -> new InvalidRequestException(
				"recipient: no registry with client id '" + recipient.getValue() + "' is configured")), today);
	}

	private String clientId(RequestDetails request) {
		return callers.of(request).map(Caller::clientId).orElse("development");
	}

	/** Every stored resource of a type, read as the server a page at a time. */
	private void forEachPage(String type, Consumer<List<IBaseResource>> consumer) {
		SearchResults.forEachPage(
				daos.getResourceDao(type).search(new SearchParameterMap(), new SystemRequestDetails()), consumer);
	}

	private static boolean csv(StringType format, RequestDetails request) {
		String requested = format != null ? format.getValue() : first(request, "_format");
		if (requested == null) {
			String accept = request.getHeader("Accept");
			return accept != null && accept.contains("text/csv");
		}
		return switch (requested.toLowerCase(Locale.ROOT)) {
			case "csv", "text/csv" -> true;
			case "ndjson", "json", "application/x-ndjson", "application/ndjson", "application/fhir+json" -> false;
			default -> throw new InvalidRequestException("format: '" + requested + "' is not offered; use csv or ndjson");
		};
	}

	private static String first(RequestDetails request, String name) {
		String[] values = request.getParameters().get(name);
		return values == null || values.length == 0 ? null : values[0];
	}

	private static LocalDate fullDate(DateType date) {
		if (date.getValue() == null || date.getValueAsString().length() != 10) {
			throw new InvalidRequestException("asOf: a full date (YYYY-MM-DD) is needed");
		}
		return LocalDate.parse(date.getValueAsString());
	}
}
