package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.ProfiledResources;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.UriType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/** The token endpoint, SMART discovery, and 401 for every request without a usable token. */
class AuthenticationIT extends HubServerIT {

    @org.springframework.beans.factory.annotation.Autowired
    private ca.uhn.fhir.jpa.util.ResourceCountCache resourceCounts;

    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Unauthorised\"}]}";

    @Autowired
    private HubSigningKey hubKey;

    @Autowired
    private SecurityProperties properties;

    private String tokenUrl() {
        return serverRoot() + "/auth/token";
    }

    @Test
    void registeredClientGetsAShortLivedTokenWithItsRoleSiteAndScopes() throws Exception {
        TestClients.TokenResponse response = TestClients.requestToken(
                tokenUrl(),
                TestClients.assertion(TestClients.SPOKE_VN, tokenUrl()),
                "system/Observation.cu system/Patient.rs");
        assertEquals(200, response.status(), response.body().toString());
        assertTrue(
                "bearer".equalsIgnoreCase((String) response.body().get("token_type")),
                response.body().toString());
        // 5 minutes; SAS counts whole seconds between issue and expiry instants, so 299 or 300.
        int expiresIn = ((Number) response.body().get("expires_in")).intValue();
        assertTrue(expiresIn == 299 || expiresIn == 300, "expires_in " + expiresIn);
        // scope is a space-separated set (RFC 6749 3.3): its order carries nothing.
        assertEquals(
                Set.of("system/Observation.cu", "system/Patient.rs"),
                Set.of(response.body().get("scope").toString().split(" ")));
        JWTClaimsSet claims = SignedJWT.parse(response.accessToken()).getJWTClaimsSet();
        assertEquals("spoke", claims.getStringClaim("cart_role"));
        assertEquals("vn-bachmai", claims.getStringClaim("cart_site"));
        assertEquals("spoke-bachmai", claims.getStringClaim("client_id"));
    }

    @Test
    void scopesNotRegisteredForTheClientAreNotGranted() {
        TestClients.TokenResponse response = TestClients.requestToken(
                tokenUrl(), TestClients.assertion(TestClients.REGISTRY, tokenUrl()), "system/*.rs system/Patient.c");
        assertEquals(200, response.status(), response.body().toString());
        assertEquals("system/*.rs", response.body().get("scope"));
    }

    static Stream<Arguments> refusedAssertions() {
        return Stream.of(
                Arguments.of(
                        "unknown client",
                        "nobody",
                        TestClients.HUB.privateKey(),
                        null,
                        Duration.ofMinutes(4),
                        401,
                        "invalid_client"),
                Arguments.of(
                        "signed by a key that is not registered",
                        TestClients.HUB.id(),
                        TestClients.FOREIGN_KEY,
                        null,
                        Duration.ofMinutes(4),
                        401,
                        "invalid_client"),
                Arguments.of(
                        "another client's key",
                        TestClients.HUB.id(),
                        TestClients.SPOKE_MY.privateKey(),
                        null,
                        Duration.ofMinutes(4),
                        401,
                        "invalid_client"),
                Arguments.of(
                        "audience is not the token URL",
                        TestClients.HUB.id(),
                        TestClients.HUB.privateKey(),
                        "https://elsewhere.example/token",
                        Duration.ofMinutes(4),
                        401,
                        "invalid_client"),
                Arguments.of(
                        "expires more than 5 minutes ahead",
                        TestClients.HUB.id(),
                        TestClients.HUB.privateKey(),
                        null,
                        Duration.ofMinutes(30),
                        401,
                        "invalid_client"),
                Arguments.of(
                        "already expired",
                        TestClients.HUB.id(),
                        TestClients.HUB.privateKey(),
                        null,
                        Duration.ofMinutes(-10),
                        401,
                        "invalid_client"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedAssertions")
    void badAssertionsGetNoToken(
            String description,
            String clientId,
            com.nimbusds.jose.jwk.JWK key,
            String audience,
            Duration lifetime,
            int status,
            String error) {
        String assertion = TestClients.assertion(
                clientId,
                key,
                audience == null ? tokenUrl() : audience,
                lifetime,
                UUID.randomUUID().toString());
        TestClients.TokenResponse response = TestClients.requestToken(tokenUrl(), assertion, "system/*.rs");
        assertEquals(status, response.status(), description + ": " + response.body());
        assertEquals(error, response.body().get("error"), description);
        assertTrue(response.body().get("error_description") != null);
    }

    @Test
    void replayedAssertionIsRefused() {
        String assertion = TestClients.assertion(TestClients.SPOKE_MY, tokenUrl());
        assertEquals(
                200,
                TestClients.requestToken(tokenUrl(), assertion, "system/*.rs").status());
        TestClients.TokenResponse replay = TestClients.requestToken(tokenUrl(), assertion, "system/*.rs");
        assertEquals(401, replay.status());
        assertTrue(
                replay.body().get("error_description").toString().contains("jti"),
                replay.body().toString());
    }

    @Test
    void issuerDifferentFromSubjectIsRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(TestClients.SPOKE_MY.id())
                .subject(TestClients.HUB.id())
                .audience(tokenUrl())
                .expirationTime(Date.from(Instant.now().plusSeconds(120)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS384), claims);
        jwt.sign(new RSASSASigner((RSAKey) TestClients.SPOKE_MY.privateKey()));
        assertEquals(
                401,
                TestClients.requestToken(tokenUrl(), jwt.serialize(), "system/*.rs")
                        .status());
    }

    @Test
    void malformedTokenRequestsAre400() throws Exception {
        HttpResponse<String> wrongGrant = post("grant_type=password&username=a&password=b");
        assertEquals(400, wrongGrant.statusCode());
        assertTrue(wrongGrant.body().contains("unsupported_grant_type"), wrongGrant.body());
        HttpResponse<String> noAssertion = post("grant_type=client_credentials&scope=system%2F*.rs");
        assertEquals(400, noAssertion.statusCode());
        assertTrue(noAssertion.body().contains("invalid_request"), noAssertion.body());
        HttpResponse<String> garbage = post(
                "grant_type=client_credentials&client_assertion_type="
                        + "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=xyz&scope=system%2F*.rs");
        assertEquals(400, garbage.statusCode());
        TestClients.TokenResponse badScope = TestClients.requestToken(
                tokenUrl(), TestClients.assertion(TestClients.HUB, tokenUrl()), "patient/*.read");
        assertEquals(400, badScope.status());
        assertEquals("invalid_scope", badScope.body().get("error"));
    }

    private HttpResponse<String> post(String form) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** Tokens that must not open the FHIR API, each signed or shaped wrongly in one way. */
    private Map<String, String> unusableTokens() throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder valid = new JWTClaimsSet.Builder()
                .issuer(properties.token().issuer())
                .subject(TestClients.HUB.id())
                .claim("client_id", TestClients.HUB.id())
                .claim("cart_role", "hub")
                .claim("cart_site", "sg-hub")
                .claim("scope", "system/*.cruds")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("not a JWT", "not-a-token");
        tokens.put("signed by a foreign key", sign(valid.build(), (RSAKey) TestClients.FOREIGN_KEY));
        tokens.put("a client assertion instead of an access token", TestClients.assertion(TestClients.HUB, tokenUrl()));
        tokens.put("another issuer", sign(valid.issuer("https://evil.example").build(), hubKey.privateKey()));
        tokens.put(
                "expired",
                sign(
                        valid.issuer(properties.token().issuer())
                                .issueTime(Date.from(now.minusSeconds(900)))
                                .expirationTime(Date.from(now.minusSeconds(600)))
                                .build(),
                        hubKey.privateKey()));
        return tokens;
    }

    private static String sign(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void unusableTokenGets401WithChallengeAndOperationOutcomeAndStoresNothing() throws Exception {
        for (Map.Entry<String, String> unusable : unusableTokens().entrySet()) {
            refusedEverywhere(unusable.getKey(), unusable.getValue());
        }
    }

    private void refusedEverywhere(String description, String token) throws Exception {
        int patientsBefore = count("Patient");
        for (String[] call : new String[][] {
            {"GET", "/Patient"},
            {"GET", "/Patient/abc"},
            {"POST", "/Patient"},
            {"PUT", "/Patient/abc"},
            {"DELETE", "/Patient/abc"},
            {"POST", ""},
            {"GET", "/AuditEvent"}
        }) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(baseUrl() + call[1])).header("Accept", "application/fhir+json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            String body = call[1].isEmpty()
                    ? "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":" + PATIENT
                            + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}"
                    : PATIENT.replace(
                            "{\"resourceType\":\"Patient\",", "{\"resourceType\":\"Patient\",\"id\":\"abc\",");
            if (call[0].equals("GET") || call[0].equals("DELETE")) {
                request.method(call[0], HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/fhir+json")
                        .method(call[0], HttpRequest.BodyPublishers.ofString(body));
            }
            HttpResponse<String> response = send(request);
            String what = description + " " + call[0] + " " + call[1];
            assertEquals(401, response.statusCode(), what + ": " + response.body());
            assertTrue(
                    response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), what);
            OperationOutcome outcome = parseOutcome(response.body());
            assertEquals(
                    OperationOutcome.IssueSeverity.ERROR,
                    outcome.getIssueFirstRep().getSeverity(),
                    what);
        }
        assertEquals(patientsBefore, count("Patient"), description + " stored a Patient");
    }

    @Test
    void smartConfigurationIsPublishedAtRootAndUnderFhir() throws Exception {
        for (String path : new String[] {"/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration"}) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(serverRoot() + path)));
            assertEquals(200, response.statusCode(), path);
            @SuppressWarnings("unchecked")
            Map<String, Object> configuration = new ObjectMapper().readValue(response.body(), Map.class);
            assertEquals(tokenUrl(), configuration.get("token_endpoint"), path);
            assertTrue(configuration
                    .get("token_endpoint_auth_methods_supported")
                    .toString()
                    .contains("private_key_jwt"));
            assertTrue(configuration
                    .get("token_endpoint_auth_signing_alg_values_supported")
                    .toString()
                    .contains("ES384"));
            assertTrue(configuration.get("grant_types_supported").toString().contains("client_credentials"));
        }
    }

    @Test
    void capabilityStatementIsPublicAndAdvertisesSmart() throws Exception {
        // Asked first at the other name of the loopback address (as a browser at 127.0.0.1 does): each caller gets
        // the token URL under the name it used, not the first caller's.
        send(HttpRequest.newBuilder(URI.create(baseUrl().replace("localhost", "127.0.0.1") + "/metadata"))
                .header("Accept", "application/fhir+json"));
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/metadata")).header("Accept", "application/fhir+json"));
        assertEquals(200, response.statusCode());
        CapabilityStatement capabilities =
                (CapabilityStatement) fhirContext.newJsonParser().parseResource(response.body());
        CapabilityStatement.CapabilityStatementRestSecurityComponent security =
                capabilities.getRestFirstRep().getSecurity();
        assertEquals(
                "SMART-on-FHIR",
                security.getServiceFirstRep().getCodingFirstRep().getCode());
        UriType token = (UriType)
                security.getExtensionByUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris")
                        .getExtensionByUrl("token")
                        .getValue();
        assertEquals(tokenUrl(), token.getValue());
        assertNotNull(security.getDescription());
    }

    /** HAPI's per-type resource counts (across all sites) would tell anyone how much data each type holds, and how fast it grows. */
    @Test
    void capabilityStatementCarriesNoResourceCounts() throws Exception {
        client.create()
                .resource(org.cartltfu.hub.Fixtures.patient(
                        "COUNT-" + java.util.UUID.randomUUID(),
                        "Count",
                        org.cartltfu.hub.Fixtures.spokeOrganization(client)))
                .execute();
        resourceCounts.update(); // what HAPI's scheduled job does: the counts a CapabilityStatement would carry
        assertFalse(resourceCounts.get().isEmpty(), "the count cache is filled");
        for (String token : new String[] {null, hubToken}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/metadata"))
                    .header("Accept", "application/fhir+json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = send(request);
            assertEquals(200, response.statusCode());
            assertFalse(response.body().contains("extdefs.html#resourceCount"), response.body());
        }
    }

    @Test
    void narrowScopeLimitsWhatATokenMayDo() throws Exception {
        String readOnly = TestClients.token(TestClients.HUB, serverRoot(), "system/Observation.rs");
        int before = count("Patient");
        String conformantPatient = fhirContext
                .newJsonParser()
                .encodeResourceToString(
                        ProfiledResources.of("Patient", null, Fixtures.spokeOrganization(client), null, null));
        HttpResponse<String> create = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient"))
                .header("Authorization", "Bearer " + readOnly)
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(conformantPatient)));
        assertEquals(403, create.statusCode(), create.body());
        parseOutcome(create.body());
        HttpResponse<String> readPatients = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient"))
                .header("Authorization", "Bearer " + readOnly));
        assertEquals(403, readPatients.statusCode(), readPatients.body());
        HttpResponse<String> readObservations = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Observation"))
                .header("Authorization", "Bearer " + readOnly));
        assertEquals(200, readObservations.statusCode(), readObservations.body());
        assertEquals(before, count("Patient"));

        String createOnly = TestClients.token(TestClients.HUB, serverRoot(), "system/Patient.c");
        String id = client.create()
                .resource(ProfiledResources.of("Patient", null, Fixtures.spokeOrganization(client), null, null))
                .execute()
                .getId()
                .getIdPart();
        HttpResponse<String> update = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/Patient/" + id))
                .header("Authorization", "Bearer " + createOnly)
                .header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(fhirContext
                        .newJsonParser()
                        .encodeResourceToString(
                                ProfiledResources.of("Patient", null, Fixtures.spokeOrganization(client), null, null)
                                        .setId(id)))));
        assertEquals(403, update.statusCode(), update.body());
        assertEquals(
                "1",
                client.read()
                        .resource(org.hl7.fhir.r4.model.Patient.class)
                        .withId(id)
                        .execute()
                        .getMeta()
                        .getVersionId());
    }
}
