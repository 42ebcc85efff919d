package org.cartltfu.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cartltfu.bench.cohort.Json;

/**
 * Server memory: JVM heap used from Spring Boot actuator ({@code /actuator/metrics/jvm.memory.used?tag=area:heap};
 * needs {@code --management.endpoints.web.exposure.include=health,info,metrics} on the server) and, when the pid is
 * given, resident set size and its peak from {@code /proc/<pid>/status}. Missing sources give null, not an error.
 */
final class ServerMetrics {

    private ServerMetrics() {}

    static Map<String, Object> snapshot(HttpClient http, URI actuator, Long pid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heapUsedMiB", metric(http, actuator.resolve("metrics/jvm.memory.used?tag=area:heap")));
        m.put("heapCommittedMiB", metric(http, actuator.resolve("metrics/jvm.memory.committed?tag=area:heap")));
        m.put("rssMiB", pid == null ? null : procStatus(pid, "VmRSS"));
        m.put("rssPeakMiB", pid == null ? null : procStatus(pid, "VmHWM"));
        return m;
    }

    private static Double metric(HttpClient http, URI uri) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            JsonNode body = Json.MAPPER.readTree(r.body());
            return Math.round(body.path("measurements").path(0).path("value").asDouble() / (1 << 20) * 10) / 10.0;
        } catch (Exception e) {
            return null;
        }
    }

    private static Double procStatus(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return Math.round(kib / 1024.0 * 10) / 10.0;
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }
}
