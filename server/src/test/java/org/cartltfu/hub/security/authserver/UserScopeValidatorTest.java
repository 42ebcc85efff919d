package org.cartltfu.hub.security.authserver;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** The scopes of a SMART App Launch request: the app's registration and the person's role both bound them. */
class UserScopeValidatorTest {

    private static final String CALLBACK = "https://app.example/callback";
    private static final String OTHER_CALLBACK = "https://app.example/other";

    /** A public app registered for reading and writing everything, with OpenID but without offline access. */
    private static final RegisteredClient APP = RegisteredClient.withId("web")
            .clientId("web")
            .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri(CALLBACK)
            .redirectUri(OTHER_CALLBACK)
            .scopes(scopes -> scopes.addAll(List.of("openid", "fhirUser", "user/*.cruds")))
            .build();
    /** An app for reading observations, at one redirect URI. */
    private static final RegisteredClient READER = RegisteredClient.from(APP)
            .id("reader")
            .clientId("reader")
            .redirectUris(uris -> {
                uris.clear();
                uris.add(CALLBACK);
            })
            .scopes(scopes -> {
                scopes.clear();
                scopes.addAll(List.of("openid", "user/Observation.rs"));
            })
            .build();

    private static final Authentication NOBODY_YET = new AnonymousAuthenticationToken(
            "key", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

    private static Authentication person(String... authorities) {
        return UsernamePasswordAuthenticationToken.authenticated(
                "someone", null, AuthorityUtils.createAuthorityList(authorities));
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationToken request(
            RegisteredClient app, Authentication principal, String redirectUri, String... scopes) {
        return new OAuth2AuthorizationCodeRequestAuthenticationToken(
                "https://hub.example/auth/authorize",
                app.getClientId(),
                principal,
                redirectUri,
                "state-1",
                new LinkedHashSet<>(List.of(scopes)),
                Map.of());
    }

    private static void validate(OAuth2AuthorizationCodeRequestAuthenticationToken request, RegisteredClient app) {
        UserScopeValidator.validate(OAuth2AuthorizationCodeRequestAuthenticationContext.with(request)
                .registeredClient(app)
                .build());
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationException refused(
            OAuth2AuthorizationCodeRequestAuthenticationToken request, RegisteredClient app) {
        return assertThrows(OAuth2AuthorizationCodeRequestAuthenticationException.class, () -> validate(request, app));
    }

    @Test
    void beforeTheLoginOnlyTheAppsRegistrationBoundsTheScopes() {
        assertDoesNotThrow(
                () -> validate(request(APP, NOBODY_YET, CALLBACK, "openid", "fhirUser", "user/*.cruds"), APP));
        assertDoesNotThrow(() -> validate(request(READER, NOBODY_YET, CALLBACK, "user/Observation.r"), READER));
    }

    @Test
    void aScopeTheAppDidNotRegisterIsRefusedWithInvalidScope() {
        for (String scope : List.of("offline_access", "user/Patient.rs", "user/*.rs", "user/Observation.c")) {
            OAuth2AuthorizationCodeRequestAuthenticationException refused =
                    refused(request(READER, NOBODY_YET, CALLBACK, "openid", scope), READER);
            assertEquals(OAuth2ErrorCodes.INVALID_SCOPE, refused.getError().getErrorCode(), scope);
            assertEquals(
                    "scope not allowed for this app or person: " + scope,
                    refused.getError().getDescription());
        }
    }

    @Test
    void systemAndMalformedScopesAreNeverAnAppsToAskFor() {
        for (String scope : List.of(
                "system/*.cruds",
                "system/Observation.rs",
                "patient/*.rs",
                "user/Observation",
                "user/*.rc",
                "launch",
                "")) {
            assertEquals(
                    OAuth2ErrorCodes.INVALID_SCOPE,
                    refused(request(APP, NOBODY_YET, CALLBACK, scope), APP)
                            .getError()
                            .getErrorCode(),
                    scope);
        }
    }

    @Test
    void afterTheLoginThePersonsRoleBoundsTheScopesToo() {
        Authentication analyst = person("ROLE_REGISTRY", "SITE_us-cibmtr");
        assertDoesNotThrow(() -> validate(request(APP, analyst, CALLBACK, "openid", "user/*.rs"), APP));
        OAuth2AuthorizationCodeRequestAuthenticationException refused =
                refused(request(APP, analyst, CALLBACK, "openid", "user/Observation.cu"), APP);
        assertEquals(OAuth2ErrorCodes.INVALID_SCOPE, refused.getError().getErrorCode());
        Authentication coordinator = person("ROLE_SPOKE", "SITE_vn-bachmai");
        assertDoesNotThrow(() -> validate(request(APP, coordinator, CALLBACK, "user/*.cruds"), APP));
    }

    @Test
    void aLoggedInAccountWithoutARoleIsDeniedWhateverItAsks() {
        OAuth2AuthorizationCodeRequestAuthenticationException refused =
                refused(request(APP, person("SITE_vn-bachmai"), CALLBACK, "openid"), APP);
        assertEquals(OAuth2ErrorCodes.ACCESS_DENIED, refused.getError().getErrorCode());
        assertEquals("this account has no role", refused.getError().getDescription());
    }

    @Test
    void theRefusalGoesBackToTheRedirectUriAskedForOrElseTheAppsOwn() {
        OAuth2AuthorizationCodeRequestAuthenticationToken asked = refused(
                        request(APP, NOBODY_YET, OTHER_CALLBACK, "system/*.rs"), APP)
                .getAuthorizationCodeRequestAuthentication();
        assertEquals(OTHER_CALLBACK, asked.getRedirectUri());
        assertEquals("state-1", asked.getState(), "the app can match the error to its request");
        assertTrue(asked.isAuthenticated(), "SAS sends an authenticated request's error to the app, not to the person");
        OAuth2AuthorizationCodeRequestAuthenticationToken unnamed = refused(
                        request(READER, NOBODY_YET, null, "system/*.rs"), READER)
                .getAuthorizationCodeRequestAuthentication();
        assertEquals(CALLBACK, unnamed.getRedirectUri());
        assertEquals(Set.of("system/*.rs"), unnamed.getScopes());
    }
}
