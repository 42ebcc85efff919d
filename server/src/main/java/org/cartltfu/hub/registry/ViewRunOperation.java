package org.cartltfu.hub.registry;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cartltfu.hub.exchange.AuditTrail;
import org.cartltfu.hub.registry.audit.ExtractAudit;
import org.cartltfu.hub.registry.release.ReleaseSession;
import org.cartltfu.hub.registry.views.CsvRows;
import org.cartltfu.hub.registry.views.NdjsonRows;
import org.cartltfu.hub.registry.views.RowSink;
import org.cartltfu.hub.registry.views.ViewCatalog;
import org.cartltfu.hub.registry.views.ViewDefinition;
import org.cartltfu.hub.registry.views.ViewEngine;
import org.cartltfu.hub.registry.views.ViewEvaluationException;
import org.cartltfu.hub.registry.views.ViewRunner;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code $viewdefinition-run}: a shipped SQL-on-FHIR view as CSV or NDJSON, under the same gating and
 * de-identification as a registry's bulk export. A registry gets its own pseudonymised rows; the hub gets identified
 * rows, or previews a registry's with {@code recipient}.
 */
public class ViewRunOperation {

    private final ExtractRequests requests;
    private final ExtractAudit audit;
    private final ViewEngine views;
    private final ViewCatalog catalog;

    ViewRunOperation(ExtractRequests requests, ExtractAudit audit, FhirContext fhirContext) {
        this.requests = requests;
        this.audit = audit;
        this.views = new ViewEngine(fhirContext);
        this.catalog = ViewCatalog.shipped();
    }

    @Operation(name = "$viewdefinition-run", manualResponse = true, idempotent = true)
    public void runView(
            @OperationParam(name = "view", min = 1, max = 1) StringType view,
            @OperationParam(name = "format", max = 1) StringType format,
            @OperationParam(name = "header", max = 1) BooleanType header,
            @OperationParam(name = "recipient", max = 1) StringType recipient,
            ServletRequestDetails request)
            throws IOException {
        // Its ledger entry (ExtractAudit) says who received what; the generic operation event would repeat it.
        AuditTrail.auditedByLedger(request);
        if (view == null || !view.hasValue()) {
            throw new InvalidRequestException(
                    "view: required (the name of a view); the hub offers " + String.join(", ", catalog.names()));
        }
        ViewDefinition definition = catalog.named(view.getValue())
                .orElseThrow(() -> new InvalidRequestException("view: no view named '" + view.getValue()
                        + "'; the hub offers " + String.join(", ", catalog.names())));
        boolean csv = ExtractRequests.csv(format, request);
        ViewRunner runner = new ViewRunner(views, definition);
        ReleaseSession session = requests.session(recipient, request);
        Path buffer = Files.createTempFile("view-", csv ? ".csv" : ".ndjson");
        try {
            long[] rows = {0};
            try (Writer out = Files.newBufferedWriter(buffer, StandardCharsets.UTF_8)) {
                RowSink sink = csv
                        ? new CsvRows(out, runner.columns(), header == null || header.booleanValue())
                        : new NdjsonRows(out, runner.columns());
                List<Resource> released = new ArrayList<>();
                requests.forEachPage(definition.resource(), page -> {
                    released.clear();
                    page.stream()
                            .map(Resource.class::cast)
                            .filter(session::release)
                            .forEach(released::add);
                    try {
                        rows[0] += runner.run(released, sink);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (ViewEvaluationException e) {
                throw new UnprocessableEntityException("view " + definition.name() + ": " + e.getMessage());
            }
            audit.recordRun(
                    request.getCompleteUrl(),
                    "view " + definition.name() + " as " + (csv ? "csv" : "ndjson") + ": " + rows[0] + " rows",
                    requests.clientId(request),
                    session);
            ExtractRequests.answer(request.getServletResponse(), csv ? "text/csv" : "application/x-ndjson", buffer);
        } finally {
            Files.deleteIfExists(buffer);
        }
    }
}
