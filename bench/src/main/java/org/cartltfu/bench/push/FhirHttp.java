package org.cartltfu.bench.push;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** The FHIR REST calls the loader and the benchmark make, each under a site's identity. Loopback servers only. */
public final class FhirHttp {

    public record Response(int status, String body, long nanos) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final URI base;
    private final TokenSource tokens;
    private final HttpClient http;
    private final Duration timeout;

    public FhirHttp(URI base, TokenSource tokens, HttpClient http, Duration timeout) {
        this.base = URI.create(base.toString().replaceAll("/$", "") + "/");
        this.tokens = tokens;
        this.http = http;
        this.timeout = timeout;
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** This tool generates load: it refuses anything but this machine (localhost, 127.0.0.0/8, ::1). */
    public static URI requireLoopback(String url) {
        URI uri = URI.create(url);
        String host = uri.getHost();
        boolean loopback = host != null && (LOOPBACK_NAMES.contains(host) || isLoopbackAddress(host));
        if (!loopback) {
            throw new IllegalArgumentException(
                    "only servers on this machine (localhost/127.0.0.1) are allowed: " + url);
        }
        return uri;
    }

    private static boolean isLoopbackAddress(String host) {
        try {
            return host.matches("[0-9.]+") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    public URI base() {
        return base;
    }

    public Response transaction(String site, byte[] bundle) throws Exception {
        return send(
                site,
                request("")
                        .header("Content-Type", "application/fhir+json")
                        .header("Prefer", "return=minimal")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bundle)));
    }

    public Response get(String site, String relative) throws Exception {
        return send(site, request(relative).GET());
    }

    /**
     * A GET of any URL on the server (e.g. a status URL or an export file) with the given headers, returning the
     * response with its headers; the site's token is sent as for every call.
     */
    public HttpResponse<String> exchange(String site, URI uri, Map<String, String> headers) throws Exception {
        requireLoopback(uri.toString());
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(uri).timeout(timeout).GET();
        headers.forEach(builder::header);
        var token = tokens.bearer(site);
        if (token.isPresent()) {
            builder.header("Authorization", "Bearer " + token.get());
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String relative) {
        // FHIR token searches use '|', which java.net.URI refuses unencoded.
        return HttpRequest.newBuilder(base.resolve(relative.replace("|", "%7C")))
                .timeout(timeout)
                .header("Accept", "application/fhir+json");
    }

    private Response send(String site, HttpRequest.Builder builder) throws Exception {
        var token = tokens.bearer(site);
        if (token.isPresent()) {
            builder.header("Authorization", "Bearer " + token.get());
        }
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), System.nanoTime() - t0);
    }
}
