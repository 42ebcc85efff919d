package org.cartltfu.hub.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 for a missing, malformed, expired or foreign-signed token: the standard {@code WWW-Authenticate: Bearer ...}
 * header (RFC 6750) plus an OperationOutcome body, as every other FHIR error has.
 */
class OperationOutcomeEntryPoint implements AuthenticationEntryPoint {

    /** Why authentication failed, for the audit of the refusal ({@link RequestRateLimit} reports it). */
    static final String FAILURE_ATTRIBUTE = OperationOutcomeEntryPoint.class.getName() + ".failure";

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
    private final FhirContext fhirContext;

    OperationOutcomeEntryPoint(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        bearer.commence(request, response, exception);
        request.setAttribute(FAILURE_ATTRIBUTE, "401 " + exception.getMessage());
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.LOGIN)
                .setDiagnostics("Authentication required: " + exception.getMessage()
                        + ". Send an access token from the token endpoint as 'Authorization: Bearer <token>'.");
        response.setContentType(Constants.CT_FHIR_JSON_NEW);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(outcome));
    }
}
