package org.cartltfu.hub.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/** Finds the {@link Caller} of a FHIR request from the access token Spring Security checked. */
@Component
public class Callers {

    private static final String KEY = Caller.class.getName();

    private final SecurityProperties properties;

    public Callers(SecurityProperties properties) {
        this.properties = properties;
    }

    public boolean securityEnabled() {
        return properties.enabled();
    }

    /**
     * The caller of a client request; empty for the server's own work ({@link SystemRequestDetails}), for requests
     * without a token (only {@code metadata} gets that far) and when security is off.
     */
    public Optional<Caller> of(RequestDetails request) {
        if (!properties.enabled() || request == null || request instanceof SystemRequestDetails) {
            return Optional.empty();
        }
        Object cached = request.getUserData().get(KEY);
        if (cached instanceof Caller caller) {
            return Optional.of(caller);
        }
        Optional<Caller> caller = fromToken(SecurityContextHolder.getContext().getAuthentication());
        caller.ifPresent(found -> request.getUserData().put(KEY, found));
        return caller;
    }

    private Optional<Caller> fromToken(Authentication authentication) {
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            return Optional.empty();
        }
        Jwt jwt = token.getToken();
        SecurityProperties.Claims names = properties.claims();
        String roleName = jwt.getClaimAsString(names.role());
        Role role = null;
        for (Role candidate : Role.values()) {
            if (candidate.name().toLowerCase(Locale.ROOT).equals(roleName)) {
                role = candidate;
            }
        }
        String scope = jwt.getClaimAsString(names.scope());
        List<SmartScope> scopes = scope == null
                ? List.of()
                : Arrays.stream(scope.trim().split("\\s+"))
                        .map(SmartScope::parse)
                        .flatMap(Optional::stream)
                        .toList();
        String client = jwt.getClaimAsString(names.client());
        return Optional.of(new Caller(
                client == null ? jwt.getSubject() : client, role, jwt.getClaimAsString(names.site()), scopes));
    }
}
