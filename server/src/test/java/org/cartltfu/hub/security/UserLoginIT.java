package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.security.authserver.HubUsers;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * People log in through the real login page (SMART App Launch, standalone: authorization code with PKCE S256 and
 * OpenID Connect), driven over HTTP as a browser would: cookies, the CSRF field, redirects followed by hand. Their
 * tokens read exactly what a system client of the same role and site reads; every bad input is refused.
 */
class UserLoginIT extends HubServerIT {

    private static final String REDIRECT = "http://127.0.0.1:9/callback";
    private static final String PASSWORD = "correct horse battery";
    private static final String APP = "test-web-app";
    private static final String APP_SECRET = "app-secret-" + UUID.randomUUID();
    private static final String PUBLIC_APP = "test-public-app";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private HubUsers users;

    @Autowired
    private ClientRegistry clients;

    @BeforeEach
    void registerPeopleAndApps() {
        users.save("clinician.sgh", PASSWORD, Role.HUB, "sg-hub", "Hub clinician");
        users.save("coordinator.bachmai", PASSWORD, Role.SPOKE, "vn-bachmai", "Spoke coordinator");
        users.save("coordinator.ummc", PASSWORD, Role.SPOKE, "my-ummc", "Spoke coordinator");
        users.save("analyst.cibmtr", PASSWORD, Role.REGISTRY, "us-cibmtr", "Registry analyst");
        Set<String> scopes = Set.of("openid", "fhirUser", "offline_access", "user/*.cruds", "user/*.rs");
        clients.saveApp(APP, APP_SECRET, Set.of(REDIRECT), scopes);
        clients.saveApp(PUBLIC_APP, null, Set.of(REDIRECT), scopes);
    }

    /** One browser: a cookie jar, redirects by hand. */
    private final class Browser {
        final HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        HttpResponse<String> get(String url) throws Exception {
            return http.send(
                    HttpRequest.newBuilder(URI.create(absolute(url)))
                            .header("Accept", "text/html")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> postForm(String url, Map<String, String> form) throws Exception {
            return http.send(
                    HttpRequest.newBuilder(URI.create(absolute(url)))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Accept", "text/html")
                            .POST(HttpRequest.BodyPublishers.ofString(form(form)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** Logs in on the login page the authorize request leads to; returns the response after the login post. */
        HttpResponse<String> login(String authorizeUrl, String username, String password) throws Exception {
            HttpResponse<String> toLogin = get(authorizeUrl);
            assertEquals(302, toLogin.statusCode(), toLogin.body());
            assertTrue(location(toLogin).endsWith("/login"), location(toLogin));
            HttpResponse<String> page = get(location(toLogin));
            assertEquals(200, page.statusCode());
            Matcher csrf =
                    Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
            assertTrue(csrf.find(), page.body());
            return postForm("/login", Map.of("username", username, "password", password, "_csrf", csrf.group(1)));
        }

        /** The whole launch up to the redirect back to the app; returns that redirect's URL. */
        String authorize(String clientId, String scope, String challenge, String username) throws Exception {
            HttpResponse<String> loggedIn =
                    login(authorizeUrl(clientId, scope, challenge, REDIRECT), username, PASSWORD);
            assertEquals(302, loggedIn.statusCode(), loggedIn.body());
            HttpResponse<String> back = get(location(loggedIn));
            assertEquals(302, back.statusCode(), back.body());
            return location(back);
        }
    }

    private String absolute(String url) {
        return url.startsWith("http") ? url : serverRoot() + url;
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElse("");
    }

    private String authorizeUrl(String clientId, String scope, String challenge, String redirect) {
        return serverRoot() + "/auth/authorize?response_type=code&client_id=" + enc(clientId)
                + "&redirect_uri=" + enc(redirect) + "&scope=" + enc(scope) + "&state=s123"
                + "&code_challenge=" + challenge + "&code_challenge_method=S256&aud=" + enc(baseUrl());
    }

    private static String verifier() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String parameter(String url, String name) {
        Matcher matcher = Pattern.compile("[?&]" + name + "=([^&]*)").matcher(url);
        return matcher.find() ? java.net.URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8) : null;
    }

    private record Tokens(int status, Map<String, Object> body) {
        String access() {
            assertEquals(200, status, body.toString());
            return (String) body.get("access_token");
        }
    }

    /** The token request of a confidential app (HTTP Basic) or, with a null secret, of a public one. */
    private Tokens token(String clientId, String secret, Map<String, String> form) throws Exception {
        Map<String, String> body = new LinkedHashMap<>(form);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(serverRoot() + "/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (secret == null) {
            body.put("client_id", clientId);
        } else {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = http.send(
                request.POST(HttpRequest.BodyPublishers.ofString(form(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = JSON.readValue(response.body(), Map.class);
        return new Tokens(response.statusCode(), json);
    }

    private Tokens loginTokens(String username, String scope) throws Exception {
        String verifier = verifier();
        String back = new Browser().authorize(APP, scope, challenge(verifier), username);
        assertEquals("s123", parameter(back, "state"), back);
        String code = parameter(back, "code");
        assertNotNull(code, back);
        return token(
                APP,
                APP_SECRET,
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        code,
                        "redirect_uri",
                        REDIRECT,
                        "code_verifier",
                        verifier));
    }

    @Test
    void hubClinicianLogsInAndReadsWhatTheHubReads() throws Exception {
        String patient = client.create()
                .resource(Fixtures.patient("MRN-" + UUID.randomUUID(), "Login", Fixtures.spokeOrganization(client)))
                .execute()
                .getId()
                .getIdPart();
        Tokens tokens = loginTokens("clinician.sgh", "openid fhirUser offline_access user/*.rs");
        JWTClaimsSet access = SignedJWT.parse(tokens.access()).getJWTClaimsSet();
        assertEquals("hub", access.getStringClaim("cart_role"));
        assertEquals("sg-hub", access.getStringClaim("cart_site"));
        assertEquals("user:clinician.sgh", access.getStringClaim("client_id"));
        assertEquals(APP, access.getStringClaim("azp"));
        assertTrue(access.getStringClaim("scope").contains("user/*.rs"), access.toString());
        JWTClaimsSet id =
                SignedJWT.parse((String) tokens.body().get("id_token")).getJWTClaimsSet();
        assertEquals("clinician.sgh", id.getSubject());
        assertTrue(id.getStringClaim("fhirUser").endsWith("/fhir/Practitioner/clinician.sgh"), id.toString());
        assertNotNull(tokens.body().get("refresh_token"));

        String system = TestClients.token(TestClients.HUB, serverRoot(), "system/*.rs");
        assertEquals(200, read(tokens.access(), "/Patient/" + patient));
        assertEquals(patientSearch(system), patientSearch(tokens.access()));
    }

    @Test
    void spokeCoordinatorsReadExactlyWhatTheirSiteReads() throws Exception {
        String patient = client.create()
                .resource(Fixtures.patient("MRN-" + UUID.randomUUID(), "Login", Fixtures.spokeOrganization(client)))
                .execute()
                .getId()
                .getIdPart();
        String bachmai =
                loginTokens("coordinator.bachmai", "openid user/*.cruds").access();
        assertEquals("spoke", SignedJWT.parse(bachmai).getJWTClaimsSet().getStringClaim("cart_role"));
        assertEquals("vn-bachmai", SignedJWT.parse(bachmai).getJWTClaimsSet().getStringClaim("cart_site"));
        String ummc = loginTokens("coordinator.ummc", "openid user/*.cruds").access();
        String systemVn = TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.rs");
        String systemMy = TestClients.token(TestClients.SPOKE_MY, serverRoot(), "system/*.rs");

        assertEquals(200, read(bachmai, "/Patient/" + patient));
        assertEquals(read(systemMy, "/Patient/" + patient), read(ummc, "/Patient/" + patient));
        assertTrue(read(ummc, "/Patient/" + patient) >= 400);
        assertEquals(patientSearch(systemVn), patientSearch(bachmai));
        assertEquals(patientSearch(systemMy), patientSearch(ummc));
    }

    @Test
    void publicAppLogsInWithPkceButGetsNoRefreshToken() throws Exception {
        String verifier = verifier();
        String back = new Browser().authorize(PUBLIC_APP, "openid user/*.rs", challenge(verifier), "clinician.sgh");
        Tokens tokens = token(
                PUBLIC_APP,
                null,
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        parameter(back, "code"),
                        "redirect_uri",
                        REDIRECT,
                        "code_verifier",
                        verifier));
        assertNotNull(tokens.access());
        assertNull(tokens.body().get("refresh_token"));
    }

    @Test
    void wrongPasswordAndUnknownUserGetNoCodeAndRepeatedFailuresLockTheAccount() throws Exception {
        java.time.Instant since = java.time.Instant.now().minusSeconds(2);
        users.save("locked.out", PASSWORD, Role.SPOKE, "vn-bachmai", null);
        String authorize = authorizeUrl(APP, "openid user/*.rs", challenge(verifier()), REDIRECT);
        HttpResponse<String> unknown = new Browser().login(authorize, "nobody.here", PASSWORD);
        assertEquals(302, unknown.statusCode());
        assertTrue(location(unknown).endsWith("/login?error"), location(unknown));
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> wrong = new Browser().login(authorize, "locked.out", "not the password");
            assertTrue(location(wrong).endsWith("/login?error"), location(wrong));
        }
        HttpResponse<String> locked = new Browser().login(authorize, "locked.out", PASSWORD);
        assertTrue(location(locked).endsWith("/login?error"), "locked account logged in: " + location(locked));
        // Every refusal is an AuditEvent (written in the background, so polled).
        for (String user : List.of("nobody.here", "locked.out")) {
            awaitAudit(since, "login refused for user '" + user + "'");
        }
    }

    @Test
    void refusedTokenRequestsAreAudited() throws Exception {
        java.time.Instant since = java.time.Instant.now().minusSeconds(2);
        Tokens refused = token(
                APP,
                APP_SECRET,
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        "no-such-code",
                        "redirect_uri",
                        REDIRECT,
                        "code_verifier",
                        verifier()));
        assertEquals(400, refused.status(), refused.body().toString());
        assertEquals("invalid_grant", refused.body().get("error"));
        // The event names the client of the Basic credentials, as asserted (the request was refused).
        String text = "400 token request refused (grant_type authorization_code)";
        awaitAudit(
                since,
                event -> event.getOutcomeDesc() != null
                        && event.getOutcomeDesc().contains(text)
                        && APP.equals(event.getAgentFirstRep()
                                .getWho()
                                .getIdentifier()
                                .getValue()),
                text);
    }

    private void awaitAudit(java.time.Instant since, String text) throws Exception {
        awaitAudit(
                since,
                event ->
                        event.getOutcomeDesc() != null && event.getOutcomeDesc().contains(text),
                text);
    }

    @Test
    void pkceMismatchAndUnregisteredRedirectAreRefused() throws Exception {
        String verifier = verifier();
        String back = new Browser().authorize(APP, "openid user/*.rs", challenge(verifier), "clinician.sgh");
        Tokens wrongVerifier = token(
                APP,
                APP_SECRET,
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        parameter(back, "code"),
                        "redirect_uri",
                        REDIRECT,
                        "code_verifier",
                        verifier()));
        assertEquals(400, wrongVerifier.status());
        assertEquals("invalid_grant", wrongVerifier.body().get("error"));

        Browser browser = new Browser();
        HttpResponse<String> unregistered = browser.get(
                authorizeUrl(APP, "openid user/*.rs", challenge(verifier), "https://evil.example/callback"));
        assertEquals(400, unregistered.statusCode());
        assertFalse(location(unregistered).contains("evil.example"));

        HttpResponse<String> noPkce = browser.get(serverRoot() + "/auth/authorize?response_type=code&client_id=" + APP
                + "&redirect_uri=" + enc(REDIRECT) + "&scope=openid&state=s1");
        assertTrue(
                location(noPkce).startsWith(REDIRECT) && location(noPkce).contains("error=invalid_request"),
                location(noPkce));
    }

    @Test
    void scopeEscalationIsRefusedAndNoCodeIssued() throws Exception {
        for (String[] attempt : new String[][] {
            {"coordinator.bachmai", "openid system/*.rs"},
            {"analyst.cibmtr", "openid user/*.cruds"},
            {"coordinator.bachmai", "openid user/*.rs launch/patient"}
        }) {
            // A scope no app may ask for is refused at once; one beyond the person's role after the login.
            Browser browser = new Browser();
            String authorize = authorizeUrl(APP, attempt[1], challenge(verifier()), REDIRECT);
            String back = location(browser.get(authorize));
            if (back.endsWith("/login")) {
                HttpResponse<String> page = browser.get(back);
                Matcher csrf =
                        Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
                assertTrue(csrf.find(), page.body());
                HttpResponse<String> loggedIn = browser.postForm(
                        "/login", Map.of("username", attempt[0], "password", PASSWORD, "_csrf", csrf.group(1)));
                back = location(browser.get(location(loggedIn)));
            }
            assertTrue(back.startsWith(REDIRECT), back);
            assertEquals("invalid_scope", parameter(back, "error"), String.join(" ", attempt) + ": " + back);
            assertNull(parameter(back, "code"));
        }
    }

    @Test
    void refreshTokensRotateAndAreDeadOnceUsedOrRevoked() throws Exception {
        Tokens first = loginTokens("coordinator.bachmai", "openid offline_access user/*.rs");
        String refresh = (String) first.body().get("refresh_token");
        Tokens second = token(APP, APP_SECRET, Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        assertEquals(
                "vn-bachmai", SignedJWT.parse(second.access()).getJWTClaimsSet().getStringClaim("cart_site"));
        Tokens reused = token(APP, APP_SECRET, Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        assertEquals(400, reused.status());
        assertEquals("invalid_grant", reused.body().get("error"));

        String current = (String) second.body().get("refresh_token");
        HttpResponse<String> revoke = http.send(
                HttpRequest.newBuilder(URI.create(serverRoot() + "/auth/revoke"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        (APP + ":" + APP_SECRET).getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "token=" + enc(current) + "&token_type_hint=refresh_token"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, revoke.statusCode(), revoke.body());
        Tokens afterRevoke = token(APP, APP_SECRET, Map.of("grant_type", "refresh_token", "refresh_token", current));
        assertEquals(400, afterRevoke.status());
        assertEquals("invalid_grant", afterRevoke.body().get("error"));
    }

    @Test
    void smartConfigurationDescribesTheLogin() throws Exception {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(serverRoot() + "/fhir/.well-known/smart-configuration")));
        @SuppressWarnings("unchecked")
        Map<String, Object> configuration = JSON.readValue(response.body(), Map.class);
        assertEquals(serverRoot() + "/auth/authorize", configuration.get("authorization_endpoint"));
        assertEquals(java.util.List.of("S256"), configuration.get("code_challenge_methods_supported"));
        assertTrue(configuration.get("capabilities").toString().contains("launch-standalone"));
        assertTrue(configuration.get("capabilities").toString().contains("sso-openid-connect"));
        assertNotNull(configuration.get("issuer"));
        assertNotNull(configuration.get("revocation_endpoint"));
    }

    private int read(String token, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/fhir+json"))
                .statusCode();
    }

    /** What a token's Patient search gets: the status, and with 200 the total (a spoke's search is narrowed). */
    private String patientSearch(String token) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient?_summary=count"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+json"));
        return response.statusCode() != 200
                ? String.valueOf(response.statusCode())
                : "200 total " + ((Bundle) fhirContext.newJsonParser().parseResource(response.body())).getTotal();
    }

    private static String form(Map<String, String> values) {
        StringBuilder form = new StringBuilder();
        values.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&")
                .append(enc(name))
                .append('=')
                .append(enc(value)));
        return form.toString();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
