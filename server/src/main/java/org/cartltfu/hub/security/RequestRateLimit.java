package org.cartltfu.hub.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.cartltfu.hub.config.OperationOutcomes;
import org.cartltfu.hub.config.RateLimiter;
import org.cartltfu.hub.config.RefusedRequest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-client request rates, before Spring Security spends anything on a request: on {@code /fhir} per client (the
 * client id of a valid access token; without one, the remote address), on the token endpoint per remote address and
 * client id (a client's id can only throttle itself from its own address). Over the rate: 429 with
 * {@code Retry-After} and an OperationOutcome, audited (see {@link RefusedRequest}). Also reports every 401 that
 * Spring Security answered, every refused token request (400/401: invalid_grant, invalid_scope, a bad assertion …)
 * and every refused password at the login page, so that those are audited too. The login page counts against the
 * token endpoint's rate per remote address (guessing passwords of many accounts is slowed, not only one account's).
 */
class RequestRateLimit extends OncePerRequestFilter {

    static final String LOGIN_PATH = "/login";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RateLimiter fhir;
    private final RateLimiter token;
    private final Optional<JwtDecoder> decoder;
    private final String clientClaim;
    private final ApplicationEventPublisher events;

    RequestRateLimit(
            RateLimiter fhir,
            RateLimiter token,
            Optional<JwtDecoder> decoder,
            String clientClaim,
            ApplicationEventPublisher events) {
        this.fhir = fhir;
        this.token = token;
        this.decoder = decoder;
        this.clientClaim = clientClaim;
        this.events = events;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean login = path.equals(LOGIN_PATH);
        boolean tokenEndpoint = path.equals(Endpoints.TOKEN_PATH) || login;
        Optional<String> client = tokenEndpoint ? assertedClient(request) : tokenClient(request);
        String source = request.getRemoteAddr();
        String key = tokenEndpoint
                ? source + " " + client.orElse("")
                : client.map(id -> "client " + id).orElse(source);
        RateLimiter.Decision decision = (tokenEndpoint ? token : fhir).tryAcquire(key);
        if (!decision.allowed()) {
            String message = "Too many requests from " + (client.isPresent() ? "client " + client.get() : source)
                    + (tokenEndpoint ? " to the token endpoint" : "") + ": retry after "
                    + decision.retryAfterSeconds() + " s";
            response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
            OperationOutcomes.write(response, 429, message);
            events.publishEvent(
                    new RefusedRequest(source, client.orElse(null), request.getMethod(), path, 429, message));
            return;
        }
        chain.doFilter(request, response);
        if (login) {
            String location = response.getHeader("Location");
            if ("POST".equals(request.getMethod()) && location != null && location.contains("?error")) {
                events.publishEvent(new RefusedRequest(
                        source,
                        null,
                        "POST",
                        path,
                        401,
                        "login refused for user '" + request.getParameter("username") + "' (wrong password, unknown"
                                + " user or locked account)"));
            }
        } else if (tokenEndpoint && response.getStatus() == 400) {
            events.publishEvent(new RefusedRequest(
                    source,
                    client.orElse(null),
                    request.getMethod(),
                    path,
                    400,
                    "token request refused (grant_type " + request.getParameter("grant_type") + ")"));
        } else if (response.getStatus() == 401) {
            Object reason = request.getAttribute(OperationOutcomeEntryPoint.FAILURE_ATTRIBUTE);
            events.publishEvent(new RefusedRequest(
                    source,
                    null,
                    request.getMethod(),
                    path,
                    401,
                    reason == null ? "Authentication required" : reason.toString()));
        }
    }

    /** The client of a valid access token: checked here as Spring Security will, so that a forged id counts for nothing. */
    private Optional<String> tokenClient(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (decoder.isEmpty() || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        try {
            Jwt jwt = decoder.get().decode(header.substring(7).trim());
            return Optional.ofNullable(jwt.getClaimAsString(clientClaim))
                    .or(() -> Optional.ofNullable(jwt.getSubject()));
        } catch (JwtException e) {
            return Optional.empty();
        }
    }

    /**
     * The client a token request names (not yet checked): {@code client_id}, else the user of its HTTP Basic
     * credentials (form-encoded, RFC 6749 2.3.1), else the issuer of its assertion.
     */
    private static Optional<String> assertedClient(HttpServletRequest request) {
        String id = request.getParameter("client_id");
        if (id != null) {
            return Optional.of(id);
        }
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String credentials = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = credentials.indexOf(':');
                return colon <= 0
                        ? Optional.empty()
                        : Optional.of(URLDecoder.decode(credentials.substring(0, colon), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        String assertion = request.getParameter("client_assertion");
        if (assertion == null) {
            return Optional.empty();
        }
        String[] parts = assertion.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            JsonNode claims =
                    JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return Optional.ofNullable(claims.path("iss").textValue());
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
