package org.cartltfu.hub.registry;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.cartltfu.hub.config.SearchResults;
import org.cartltfu.hub.registry.release.RegistryRecipients;
import org.cartltfu.hub.registry.release.RegistryRelease;
import org.cartltfu.hub.registry.release.ReleaseSession;
import org.cartltfu.hub.security.Caller;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.hub.security.Role;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StringType;

/**
 * What the directly answered extracts ({@code $viewdefinition-run}, {@code $registry-summary}) share: whose release
 * session a request runs in, the format asked for, reading a resource type a page at a time, and answering from a
 * buffer file, so that an extract failing half-way answers with an error rather than a cut-off 200.
 */
class ExtractRequests {

    private final Callers callers;
    private final RegistryRecipients recipients;
    private final RegistryRelease release;
    private final DaoRegistry daos;

    ExtractRequests(Callers callers, RegistryRecipients recipients, RegistryRelease release, DaoRegistry daos) {
        this.callers = callers;
        this.recipients = recipients;
        this.release = release;
        this.daos = daos;
    }

    /** The release session for this caller: a registry's own, or the hub's (identified, or previewing a registry). */
    ReleaseSession session(StringType recipient, RequestDetails request) {
        Optional<Caller> caller = callers.of(request);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (caller.isPresent() && caller.get().role() == Role.REGISTRY) {
            if (recipient != null && !recipient.getValue().equals(caller.get().clientId())) {
                throw new ForbiddenOperationException("recipient: a registry receives only its own extracts");
            }
            return release.open(
                    recipients
                            .forClient(caller.get().clientId())
                            .orElseThrow(() -> new ForbiddenOperationException(
                                    "registry client " + caller.get().clientId()
                                            + " has no extract configuration (hub.registry.recipients)")),
                    today);
        }
        if (recipient == null) {
            return release.open(null, today);
        }
        return release.open(
                recipients
                        .forClient(recipient.getValue())
                        .orElseThrow(() -> new InvalidRequestException(
                                "recipient: no registry with client id '" + recipient.getValue() + "' is configured")),
                today);
    }

    String clientId(RequestDetails request) {
        return callers.of(request).map(Caller::clientId).orElse("development");
    }

    /** Every stored resource of a type, read as the server a page at a time. */
    void forEachPage(String type, Consumer<List<IBaseResource>> consumer) {
        SearchResults.forEachPage(
                daos.getResourceDao(type).search(new SearchParameterMap(), new SystemRequestDetails()), consumer);
    }

    /** CSV or NDJSON/JSON, from {@code format}, then {@code _format}, then the Accept header. */
    static boolean csv(StringType format, RequestDetails request) {
        String requested = format != null ? format.getValue() : first(request, "_format");
        if (requested == null) {
            String accept = request.getHeader("Accept");
            return accept != null && accept.contains("text/csv");
        }
        return switch (requested.toLowerCase(Locale.ROOT)) {
            case "csv", "text/csv" -> true;
            case "ndjson", "json", "application/x-ndjson", "application/ndjson", "application/fhir+json" -> false;
            default ->
                throw new InvalidRequestException("format: '" + requested + "' is not offered; use csv or ndjson");
        };
    }

    /** Answers 200 with the buffered extract. */
    static void answer(HttpServletResponse response, String contentType, Path buffer) throws IOException {
        response.setStatus(200);
        response.setContentType(contentType + ";charset=utf-8");
        try (InputStream in = Files.newInputStream(buffer);
                OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }

    private static String first(RequestDetails request, String name) {
        String[] values = request.getParameters().get(name);
        return values == null || values.length == 0 ? null : values[0];
    }
}
