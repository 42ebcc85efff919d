package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The caller of a FHIR request, read from the access token Spring Security checked, with the shipped claim names. */
class CallersTest {

    private final Callers callers = new Callers(ShippedSecurity.properties());

    @AfterEach
    void forgetToken() {
        SecurityContextHolder.clearContext();
    }

    private static void authenticated(Map<String, Object> claims) {
        Jwt.Builder jwt = Jwt.withTokenValue("token")
                .header("alg", "RS384")
                .subject("subject-of-token")
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(300));
        claims.forEach(jwt::claim);
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt.build()));
    }

    @Test
    void aSpokesTokenGivesItsClientRoleSiteAndScopes() {
        authenticated(Map.of(
                "client_id",
                "spoke-bachmai",
                "cart_role",
                "spoke",
                "cart_site",
                "vn-bachmai",
                "scope",
                "system/Patient.rs system/Observation.cu"));
        Caller caller = callers.of(new ServletRequestDetails()).orElseThrow();
        assertEquals(
                new Caller(
                        "spoke-bachmai",
                        Role.SPOKE,
                        "vn-bachmai",
                        List.of(
                                SmartScope.of("Patient", Permission.READ, Permission.SEARCH),
                                SmartScope.of("Observation", Permission.CREATE, Permission.UPDATE))),
                caller);
    }

    @Test
    void whatTheTokenDoesNotSayStaysUnknownRatherThanGuessed() {
        authenticated(
                Map.of("cart_role", "administrator", "scope", "  system/Patient.rs   bogus system/Observation.rc "));
        Caller caller = callers.of(new ServletRequestDetails()).orElseThrow();
        assertNull(caller.role(), "an unknown role is no role");
        assertNull(caller.site());
        assertEquals("subject-of-token", caller.clientId(), "without client_id, the subject");
        assertEquals(
                List.of(SmartScope.of("Patient", Permission.READ, Permission.SEARCH)),
                caller.scopes(),
                "malformed scopes grant nothing");

        authenticated(Map.of("cart_role", "SPOKE"));
        Caller shouting = callers.of(new ServletRequestDetails()).orElseThrow();
        assertNull(shouting.role(), "role names are matched as the hub writes them, in lower case");
        assertEquals(List.of(), shouting.scopes(), "no scope claim, no scopes");
    }

    @Test
    void theServersOwnWorkAndRequestsWithoutATokenHaveNoCaller() {
        authenticated(Map.of("client_id", "hub-sgh", "cart_role", "hub", "scope", "system/*.cruds"));
        assertEquals(Optional.empty(), callers.of(new SystemRequestDetails()));
        assertEquals(Optional.empty(), callers.of(null));
        SecurityContextHolder.getContext()
                .setAuthentication(new AnonymousAuthenticationToken(
                        "key", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
        assertEquals(Optional.empty(), callers.of(new ServletRequestDetails()));
    }

    @Test
    void withSecurityOffNobodyIsACaller() {
        authenticated(Map.of("client_id", "hub-sgh", "cart_role", "hub", "scope", "system/*.cruds"));
        Callers off = new Callers(ShippedSecurity.properties(Map.of("hub.security.enabled", "false")));
        assertEquals(Optional.empty(), off.of(new ServletRequestDetails()));
        assertTrue(!off.securityEnabled() && callers.securityEnabled());
    }

    @Test
    void aRequestKeepsTheCallerItWasFirstSeenWith() {
        ServletRequestDetails request = new ServletRequestDetails();
        authenticated(Map.of("client_id", "spoke-bachmai", "cart_role", "spoke", "cart_site", "vn-bachmai"));
        assertEquals("spoke-bachmai", callers.of(request).orElseThrow().clientId());
        authenticated(Map.of("client_id", "hub-sgh", "cart_role", "hub"));
        assertEquals("spoke-bachmai", callers.of(request).orElseThrow().clientId());
        assertEquals(
                "hub-sgh", callers.of(new ServletRequestDetails()).orElseThrow().clientId());
    }
}
