package org.cartltfu.hub.config;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** The OperationOutcome (JSON) of an error answered outside HAPI: by the container, a filter or Spring. */
public final class OperationOutcomes {

    private OperationOutcomes() {}

    public static String json(int status, String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(issueType(status))
                .setDiagnostics(diagnostics);
        // The cached context: Tomcat's error valve is made by reflection, outside Spring.
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(outcome);
    }

    public static void write(HttpServletResponse response, int status, String diagnostics) throws IOException {
        response.setStatus(status);
        response.setContentType(Constants.CT_FHIR_JSON_NEW);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(json(status, diagnostics));
    }

    static IssueType issueType(int status) {
        return switch (status) {
            case 400 -> IssueType.INVALID;
            case 401 -> IssueType.LOGIN;
            case 403 -> IssueType.FORBIDDEN;
            case 404 -> IssueType.NOTFOUND;
            case 405, 406, 415 -> IssueType.NOTSUPPORTED;
            case 408 -> IssueType.TIMEOUT;
            case 413, 414, 431 -> IssueType.TOOLONG;
            case 429 -> IssueType.THROTTLED;
            default -> status < 500 ? IssueType.INVALID : IssueType.EXCEPTION;
        };
    }
}
