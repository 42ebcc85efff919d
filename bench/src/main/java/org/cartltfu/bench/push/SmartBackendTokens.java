package org.cartltfu.bench.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SMART Backend Services (client_credentials grant with a private_key_jwt client assertion), one client per site.
 *
 * <p>Keys folder layout: {@code <site>.pem} (PKCS#8 private key, RSA → RS384, EC P-384 → ES384) and optionally
 * {@code <site>.kid} (key id of the registered JWKS entry). The client id is the site code unless a
 * {@code <site>.client-id} file says otherwise. The token endpoint is read from
 * {@code [base]/.well-known/smart-configuration} when not given. Tokens are cached until 30 s before they expire.
 */
public final class SmartBackendTokens implements TokenSource {

    public record Config(URI fhirBase, URI tokenEndpoint, Path keysDir, String scope) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private record Cached(String token, Instant expires) {}

    private final Config config;
    private final HttpClient http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile URI tokenEndpoint;

    public SmartBackendTokens(Config config, HttpClient http) {
        this.config = config;
        this.http = http;
        this.tokenEndpoint = config.tokenEndpoint();
    }

    @Override
    public Optional<String> bearer(String site) throws Exception {
        Cached c = cache.get(site);
        if (c == null || Instant.now().isAfter(c.expires())) {
            c = fetch(site);
            cache.put(site, c);
        }
        return Optional.of(c.token());
    }

    private synchronized Cached fetch(String site) throws Exception {
        URI endpoint = endpoint();
        String clientId = read(site + ".client-id").orElse(site);
        // A balancer answers 502/503 while an instance behind it dies: ask again, as a spoke's client does, with a
        // new assertion (its jti is single-use across instances, and the dead one may have recorded it).
        HttpResponse<String> r = null;
        for (int attempt = 0; attempt < 5 && (r == null || r.statusCode() >= 500); attempt++) {
            if (attempt > 0) {
                Thread.sleep(1000L * attempt);
            }
            String form = "grant_type=client_credentials"
                    + "&scope=" + URLEncoder.encode(config.scope(), StandardCharsets.UTF_8)
                    + "&client_assertion_type="
                    + URLEncoder.encode(
                            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
                    + "&client_assertion=" + assertion(site, clientId, endpoint);
            r = http.send(
                    HttpRequest.newBuilder(endpoint)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException(
                    "token request for " + site + " failed: " + r.statusCode() + " " + r.body());
        }
        JsonNode body = JSON.readTree(r.body());
        long seconds = body.path("expires_in").asLong(300);
        return new Cached(body.path("access_token").asText(), Instant.now().plusSeconds(Math.max(0, seconds - 30)));
    }

    private URI endpoint() throws Exception {
        if (tokenEndpoint == null) {
            URI wellKnown =
                    URI.create(config.fhirBase().toString().replaceAll("/$", "") + "/.well-known/smart-configuration");
            HttpResponse<String> r =
                    http.send(HttpRequest.newBuilder(wellKnown).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("no SMART configuration at " + wellKnown + ": " + r.statusCode());
            }
            tokenEndpoint =
                    URI.create(JSON.readTree(r.body()).path("token_endpoint").asText());
        }
        return tokenEndpoint;
    }

    private String assertion(String site, String clientId, URI audience) throws Exception {
        PrivateKey key = privateKey(site);
        boolean ec = key instanceof ECPrivateKey;
        String alg = ec ? "ES384" : "RS384";
        StringBuilder header = new StringBuilder("{\"alg\":\"").append(alg).append("\",\"typ\":\"JWT\"");
        read(site + ".kid").ifPresent(kid -> header.append(",\"kid\":").append(quote(kid)));
        header.append('}');
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":" + quote(clientId) + ",\"sub\":" + quote(clientId) + ",\"aud\":"
                + quote(audience.toString()) + ",\"exp\":" + (now + 240) + ",\"jti\":"
                + quote(UUID.randomUUID().toString())
                + "}";
        String signingInput = B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        // JWS wants ECDSA signatures as raw R||S, which is Java's P1363 format.
        Signature signer = Signature.getInstance(ec ? "SHA384withECDSAinP1363Format" : "SHA384withRSA");
        signer.initSign(key);
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64.encodeToString(signer.sign());
    }

    private PrivateKey privateKey(String site) throws Exception {
        String pem = read(site + ".pem")
                .orElseThrow(() ->
                        new IllegalStateException("no key " + config.keysDir().resolve(site + ".pem")));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (java.security.spec.InvalidKeySpecException notRsa) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }

    private Optional<String> read(String file) throws java.io.IOException {
        Path p = config.keysDir().resolve(file);
        return Files.exists(p) ? Optional.of(Files.readString(p).trim()) : Optional.empty();
    }

    private static String quote(String s) {
        return JSON.getNodeFactory().textNode(s).toString();
    }
}
