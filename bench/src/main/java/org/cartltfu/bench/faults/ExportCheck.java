package org.cartltfu.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.cartltfu.bench.cohort.Json;
import org.cartltfu.bench.push.FhirHttp;

/**
 * A Bulk Data export kicked off through one hub instance, then (after an optional fault, e.g. that instance killed)
 * polled and downloaded through another (the balancer): the job and its files must not belong to the instance that
 * started it. Clean when the status ends 200 and every file of the manifest downloads, with at least one resource.
 */
public final class ExportCheck {

    public record Result(
            boolean clean,
            int kickOffStatus,
            int finalStatus,
            int polls,
            int files,
            int filesFailed,
            long resources,
            double seconds,
            String note) {

        public String summary() {
            return String.format(
                    Locale.ROOT,
                    "export-check %s: kick-off %d, %d polls, status %d after %.1f s, %d files (%d failed),"
                            + " %d resources%s",
                    clean ? "clean" : "NOT CLEAN",
                    kickOffStatus,
                    polls,
                    finalStatus,
                    seconds,
                    files,
                    filesFailed,
                    resources,
                    note.isEmpty() ? "" : "; " + note);
        }
    }

    private static final long POLL_MILLIS = 1000;

    private ExportCheck() {}

    /**
     * @param starter the instance the export is kicked off through
     * @param finisher where it is polled and downloaded (URLs in answers are re-based onto it)
     * @param between run after the kick-off (the fault), or null
     */
    public static Result run(FhirHttp starter, FhirHttp finisher, String site, Runnable between, Duration budget)
            throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> kickOff = starter.exchange(
                site,
                starter.base().resolve("$export?_type=Patient,Observation,AdverseEvent"),
                Map.of("Prefer", "respond-async", "Accept", "application/fhir+json"));
        if (kickOff.statusCode() != 202) {
            return new Result(false, kickOff.statusCode(), 0, 0, 0, 0, 0, seconds(t0), excerpt(kickOff.body()));
        }
        URI status = rebased(kickOff.headers().firstValue("Content-Location").orElseThrow(), finisher.base());
        if (between != null) {
            between.run();
        }
        long deadline = t0 + budget.toNanos();
        int polls = 0;
        HttpResponse<String> poll;
        do {
            Thread.sleep(POLL_MILLIS);
            poll = finisher.exchange(site, status, Map.of("Accept", "application/json"));
            polls++;
            // 502/503 while the balancer notices the instance is gone: a Bulk Data client polls on.
        } while ((poll.statusCode() == 202 || poll.statusCode() >= 500) && System.nanoTime() < deadline);
        if (poll.statusCode() != 200) {
            return new Result(false, 202, poll.statusCode(), polls, 0, 0, 0, seconds(t0), excerpt(poll.body()));
        }
        JsonNode manifest = Json.MAPPER.readTree(poll.body());
        int files = 0;
        int failed = 0;
        long resources = 0;
        for (JsonNode output : manifest.get("output")) {
            files++;
            HttpResponse<String> file = finisher.exchange(
                    site,
                    rebased(output.get("url").asText(), finisher.base()),
                    Map.of("Accept", "application/fhir+ndjson"));
            if (file.statusCode() != 200) {
                failed++;
                continue;
            }
            resources += file.body().lines().filter(line -> !line.isBlank()).count();
        }
        boolean clean = failed == 0 && resources > 0;
        return new Result(clean, 202, 200, polls, files, failed, resources, seconds(t0), "");
    }

    /** The same path and query on the other base (an instance's own address in an answer, replaced by the balancer). */
    static URI rebased(String url, URI base) {
        URI u = URI.create(url);
        String path = u.getRawPath();
        int fhir = path.indexOf("/fhir/");
        String relative = fhir >= 0 ? path.substring(fhir + "/fhir/".length()) : path;
        return base.resolve(relative + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String excerpt(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
