package org.cartltfu.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cartltfu.bench.cohort.Json;
import org.cartltfu.bench.cohort.Site;

/**
 * Bulk Data {@code $export} of the whole server as a Bulk Data client does it: kick-off with
 * {@code Prefer: respond-async}, poll the status URL, download every NDJSON file. Timed from kick-off to the last byte
 * of the last file; resources/s counts NDJSON lines. {@code bulk-export} runs as the hub (identified, ungated);
 * {@code registry-export} runs as the site {@value #REGISTRY_SITE} (a registry client: consent-gated and
 * de-identified), so the two rows side by side give the cost of gating and de-identification.
 */
final class BulkExportWorkload implements Workload {

    /** Token-source site code of the registry identity (keys/registry.pem, keys/registry.client-id). */
    static final String REGISTRY_SITE = "registry";
    /** Polls this often to see when the server is done; a real client would obey Retry-After. */
    private static final long POLL_MILLIS = 250;

    private final String name;
    private final String site;

    private BulkExportWorkload(String name, String site) {
        this.name = name;
        this.site = site;
    }

    static BulkExportWorkload hub() {
        return new BulkExportWorkload("bulk-export", Site.HUB.code());
    }

    static BulkExportWorkload registry() {
        return new BulkExportWorkload("registry-export", REGISTRY_SITE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Row> run(BenchContext ctx) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + ctx.budget().toNanos();
        HttpResponse<String> kickOff = ctx.fhir()
                .exchange(
                        site,
                        ctx.fhir().base().resolve("$export"),
                        Map.of("Prefer", "respond-async", "Accept", "application/fhir+json"));
        if (kickOff.statusCode() != 202) {
            return List.of(
                    failed(ctx, t0, 1, "kick-off answered " + kickOff.statusCode() + ": " + excerpt(kickOff.body())));
        }
        URI status = URI.create(kickOff.headers().firstValue("Content-Location").orElseThrow());
        long requests = 1;
        HttpResponse<String> poll;
        do {
            Thread.sleep(POLL_MILLIS);
            poll = ctx.fhir().exchange(site, status, Map.of("Accept", "application/json"));
            requests++;
        } while (poll.statusCode() == 202 && System.nanoTime() < deadline);
        if (poll.statusCode() != 200) {
            return List.of(failed(ctx, t0, requests, "status " + poll.statusCode() + ": " + excerpt(poll.body())));
        }
        double ready = (System.nanoTime() - t0) / 1e9;
        JsonNode manifest = Json.MAPPER.readTree(poll.body());
        long resources = 0;
        long bytes = 0;
        long failures = 0;
        int files = 0;
        for (JsonNode output : manifest.get("output")) {
            HttpResponse<String> file = ctx.fhir()
                    .exchange(
                            site, URI.create(output.get("url").asText()), Map.of("Accept", "application/fhir+ndjson"));
            requests++;
            files++;
            if (file.statusCode() != 200) {
                failures++;
                continue;
            }
            bytes += file.body().length();
            resources += file.body().lines().filter(line -> !line.isBlank()).count();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return List.of(new Row(
                name,
                ctx.validation(),
                1,
                requests,
                failures,
                resources,
                seconds,
                null,
                resources / seconds,
                null,
                null,
                null,
                null,
                String.format(
                        Locale.ROOT,
                        "%d files, %.1f MiB, job ready after %.1f s, download %.1f s",
                        files,
                        bytes / 1048576.0,
                        ready,
                        seconds - ready)));
    }

    private Row failed(BenchContext ctx, long t0, long requests, String why) {
        return new Row(
                name,
                ctx.validation(),
                1,
                requests,
                1,
                0,
                (System.nanoTime() - t0) / 1e9,
                null,
                null,
                null,
                null,
                null,
                null,
                why);
    }

    private static String excerpt(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
