package org.cartltfu.hub.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The clients the tests register (keys generated once per test JVM, never stored) and what a real client does to get
 * a token: sign a SMART Backend Services assertion with its private key and post it to the token endpoint.
 */
public final class TestClients {

    public static final String SITE_SYSTEM = "https://cart-ltfu.org/fhir/sid/site";

    /** A registered client and its private key. */
    public record TestClient(String id, Role role, String site, String scopes, JWK privateKey) {}

    public static final TestClient HUB = new TestClient("hub-sgh", Role.HUB, "sg-hub", "system/*.cruds", rsa());
    public static final TestClient SPOKE_VN =
            new TestClient("spoke-bachmai", Role.SPOKE, "vn-bachmai", "system/*.cruds", ec());
    public static final TestClient SPOKE_MY =
            new TestClient("spoke-ummc", Role.SPOKE, "my-ummc", "system/*.cruds", rsa());
    public static final TestClient REGISTRY =
            new TestClient("registry-cibmtr", Role.REGISTRY, "us-cibmtr", "system/*.rs", ec());
    public static final TestClient REGISTRY_EBMT =
            new TestClient("registry-ebmt", Role.REGISTRY, "nl-ebmt", "system/*.rs", rsa());
    public static final List<TestClient> ALL = List.of(HUB, SPOKE_VN, SPOKE_MY, REGISTRY, REGISTRY_EBMT);

    /** The two registries' pseudonymisation keys, generated for this run. */
    public static final String CIBMTR_KEY = randomHex();

    public static final String EBMT_KEY = randomHex();

    /** A key nobody registered: what an attacker holding the right client id but the wrong key has. */
    public static final JWK FOREIGN_KEY = rsa();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestClients() {}

    /** Registers every test client as Spring properties (e.g. through {@code DynamicPropertySource}). */
    public static void register(BiConsumer<String, String> property) {
        for (int i = 0; i < ALL.size(); i++) {
            TestClient client = ALL.get(i);
            String prefix = "hub.security.clients[" + i + "].";
            property.accept(prefix + "id", client.id());
            property.accept(prefix + "role", client.role().name());
            property.accept(prefix + "site", client.site());
            property.accept(prefix + "scopes", client.scopes());
            property.accept(prefix + "jwks", new JWKSet(client.privateKey().toPublicJWK()).toString());
        }
        registerRecipients(property);
    }

    /**
     * The registries' extract settings: CIBMTR gets study days, the year of birth and its own research id; EBMT gets
     * shifted dates and the age at infusion. Both hold the transfer bases the default jurisdiction rules ask for.
     */
    private static void registerRecipients(BiConsumer<String, String> property) {
        String cibmtr = "hub.registry.recipients[0].";
        property.accept(cibmtr + "client-id", REGISTRY.id());
        property.accept(cibmtr + "name", "CIBMTR");
        property.accept(cibmtr + "country", "US");
        property.accept(cibmtr + "key", CIBMTR_KEY);
        property.accept(cibmtr + "dates", "STUDY_DAY");
        property.accept(cibmtr + "birth-dates", "YEAR");
        property.accept(cibmtr + "purposes", "HRESCH");
        property.accept(
                cibmtr + "transfer-bases",
                "vn-transfer-impact-dossier,cn-standard-contract,my-transfer-impact-assessment");
        property.accept(cibmtr + "identifier-systems", "https://cart-ltfu.org/fhir/sid/cibmtr-crid");
        String ebmt = "hub.registry.recipients[1].";
        property.accept(ebmt + "client-id", REGISTRY_EBMT.id());
        property.accept(ebmt + "name", "EBMT");
        property.accept(ebmt + "country", "NL");
        property.accept(ebmt + "key", EBMT_KEY);
        property.accept(ebmt + "dates", "SHIFT");
        property.accept(ebmt + "max-shift-days", "60");
        property.accept(ebmt + "birth-dates", "AGE_AT_INFUSION");
        property.accept(ebmt + "purposes", "HRESCH");
        property.accept(
                ebmt + "transfer-bases",
                "vn-transfer-impact-dossier,cn-standard-contract,my-transfer-impact-assessment");
    }

    private static String randomHex() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.HexFormat.of().formatHex(key);
    }

    /** The same registration as command-line arguments, for tests that start the application themselves. */
    public static List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        register((name, value) -> arguments.add("--" + name + "=" + value));
        return arguments;
    }

    /** A fresh assertion, signed with the client's own key. */
    public static String assertion(TestClient client, String tokenUrl) {
        return assertion(
                client.id(),
                client.privateKey(),
                tokenUrl,
                Duration.ofMinutes(4),
                UUID.randomUUID().toString());
    }

    public static String assertion(String clientId, JWK key, String audience, Duration lifetime, String jti) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(jti)
                .build();
        try {
            SignedJWT jwt;
            if (key instanceof RSAKey rsa) {
                jwt = new SignedJWT(header(JWSAlgorithm.RS384, key), claims);
                jwt.sign(new RSASSASigner(rsa));
            } else {
                jwt = new SignedJWT(header(JWSAlgorithm.ES384, key), claims);
                jwt.sign(new ECDSASigner((ECKey) key));
            }
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSHeader header(JWSAlgorithm algorithm, JWK key) {
        return new JWSHeader.Builder(algorithm)
                .type(JOSEObjectType.JWT)
                .keyID(key.getKeyID())
                .build();
    }

    /** Posts a token request; returns the status and the JSON body. */
    public static TokenResponse requestToken(String tokenUrl, String assertion, String scope) {
        String form = "grant_type=client_credentials"
                + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=" + enc(assertion)
                + "&scope=" + enc(scope);
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(tokenUrl))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            @SuppressWarnings("unchecked")
            Map<String, Object> body = JSON.readValue(response.body(), Map.class);
            return new TokenResponse(response.statusCode(), body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public record TokenResponse(int status, Map<String, Object> body) {
        public String accessToken() {
            if (status != 200) {
                throw new IllegalStateException("token request refused: " + status + " " + body);
            }
            return (String) body.get("access_token");
        }
    }

    /** An access token for a client, obtained the way a real client does. */
    public static String token(TestClient client, String serverRoot, String scope) {
        String tokenUrl = serverRoot + "/auth/token";
        return requestToken(tokenUrl, assertion(client, tokenUrl), scope).accessToken();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static RSAKey rsa() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey ec() {
        try {
            return new ECKeyGenerator(Curve.P_384)
                    .keyID(UUID.randomUUID().toString())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
