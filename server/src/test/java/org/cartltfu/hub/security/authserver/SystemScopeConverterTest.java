package org.cartltfu.hub.security.authserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** A client_credentials request after its client was authenticated: the scopes it is granted. */
class SystemScopeConverterTest {

    private static final RegisteredClient LAB = RegisteredClient.withId("lab")
            .clientId("lab")
            .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .scopes(scopes -> scopes.addAll(List.of("system/Observation.cu", "system/Patient.rs")))
            .build();

    private final SystemScopeConverter converter = new SystemScopeConverter();

    @AfterEach
    void forgetClient() {
        SecurityContextHolder.clearContext();
    }

    private static OAuth2ClientAuthenticationToken authenticatedAs(RegisteredClient client) {
        OAuth2ClientAuthenticationToken token =
                new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.PRIVATE_KEY_JWT, "assertion");
        SecurityContextHolder.getContext().setAuthentication(token);
        return token;
    }

    private static MockHttpServletRequest request(String grantType, String scope) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/auth/token");
        request.setParameter("grant_type", grantType);
        if (scope != null) {
            request.setParameter("scope", scope);
        }
        return request;
    }

    @Test
    void theRequestedScopesWithinTheRegistrationAreGranted() {
        OAuth2ClientAuthenticationToken client = authenticatedAs(LAB);
        OAuth2ClientCredentialsAuthenticationToken granted =
                (OAuth2ClientCredentialsAuthenticationToken) converter.convert(
                        request("client_credentials", "system/Observation.c system/Patient.rs system/AuditEvent.rs"));
        assertEquals(Set.of("system/Observation.c", "system/Patient.rs"), granted.getScopes(), "AuditEvent left out");
        assertSame(client, granted.getPrincipal());
    }

    @Test
    void nothingGrantableOrAMalformedScopeIsInvalidScope() {
        authenticatedAs(LAB);
        for (String scope : new String[] {"system/AuditEvent.rs", "system/Observation.cu user/Patient.rs", "", "  "}) {
            OAuth2AuthenticationException refused = assertThrows(
                    OAuth2AuthenticationException.class,
                    () -> converter.convert(request("client_credentials", scope)),
                    scope);
            assertEquals(OAuth2ErrorCodes.INVALID_SCOPE, refused.getError().getErrorCode(), scope);
        }
        OAuth2AuthenticationException missing = assertThrows(
                OAuth2AuthenticationException.class, () -> converter.convert(request("client_credentials", null)));
        assertEquals("scope is missing", missing.getError().getDescription());
    }

    @Test
    void otherGrantsAndUnauthenticatedClientsAreNotThisConvertersToAnswer() {
        authenticatedAs(LAB);
        assertNull(converter.convert(request("authorization_code", "system/Patient.rs")));
        assertNull(converter.convert(request("refresh_token", "system/Patient.rs")));
        SecurityContextHolder.clearContext();
        assertNull(
                converter.convert(request("client_credentials", "system/Patient.rs")),
                "no authenticated client: SAS answers invalid_client");
    }
}
