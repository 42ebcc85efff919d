package org.cartltfu.bench.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

/**
 * Streams a cohort to files without holding it in memory. Patients are generated in parallel and written in order,
 * so the files are the same for the same seed whatever the number of cores.
 *
 * <ul>
 *   <li>{@code bundles}: {@code bundles-<site>.ndjson.gz}, one transaction per line, for replay under each site's
 *       identity (a patient's hub line precedes its spoke lines in file order of index).
 *   <li>{@code resources}: {@code <Type>.ndjson.gz} as a bulk export would look: conditional-create duplicates
 *       (sites, the patient repeated in every transaction) kept once, urn:uuid references rewritten to
 *       {@code Type/id}, where a repeated entry's id is its first occurrence's.
 * </ul>
 */
public final class CohortWriter {

    public enum Format {
        BUNDLES,
        RESOURCES
    }

    public record Summary(int patients, long bundles, long resources, Map<String, Long> byType) {}

    private static final int CHUNK = 256;

    private CohortWriter() {}

    public static Summary write(CohortGenerator generator, Path dir, Format format) throws IOException {
        Files.createDirectories(dir);
        Map<String, Writer> writers = new HashMap<>();
        Map<String, Long> byType = new TreeMap<>();
        Set<String> seenConditional = new HashSet<>();
        Map<String, String> idOfConditional = new HashMap<>();
        long[] counts = new long[2];
        try {
            // Chunks generated in parallel, written in order: bounded memory, same bytes on any number of cores.
            for (int start = 0; start < generator.spec().patients(); start += CHUNK) {
                List<CohortGenerator.PatientJourney> chunk = IntStream.range(
                                start, Math.min(generator.spec().patients(), start + CHUNK))
                        .parallel()
                        .mapToObj(generator::patient)
                        .toList();
                for (CohortGenerator.PatientJourney journey : chunk) {
                    for (CohortGenerator.Push push : journey.pushes()) {
                        counts[0]++;
                        if (format == Format.BUNDLES) {
                            writer(writers, dir, "bundles-" + push.site().code())
                                    .write(push.bundle() + "\n");
                            counts[1] += push.entries();
                            push.bundle()
                                    .get("entry")
                                    .forEach(e -> byType.merge(
                                            e.at("/resource/resourceType").asText(), 1L, Long::sum));
                        } else {
                            counts[1] += writeResources(push, writers, dir, byType, seenConditional, idOfConditional);
                        }
                    }
                }
            }
        } finally {
            for (Writer w : writers.values()) {
                w.close();
            }
        }
        return new Summary(generator.spec().patients(), counts[0], counts[1], byType);
    }

    private static long writeResources(
            CohortGenerator.Push push,
            Map<String, Writer> writers,
            Path dir,
            Map<String, Long> byType,
            Set<String> seen,
            Map<String, String> idOfConditional)
            throws IOException {
        Map<String, String> local = new HashMap<>();
        for (JsonNode e : push.bundle().get("entry")) {
            String type = e.at("/resource/resourceType").asText();
            String fullUrl = e.get("fullUrl").asText();
            String condition = e.at("/request/ifNoneExist").asText(null);
            String id = fullUrl.substring("urn:uuid:".length());
            if (condition != null) {
                id = idOfConditional.computeIfAbsent(
                        type + "?" + condition, k -> fullUrl.substring("urn:uuid:".length()));
            }
            local.put(fullUrl, type + "/" + id);
        }
        long written = 0;
        for (JsonNode e : push.bundle().get("entry")) {
            String condition = e.at("/request/ifNoneExist").asText(null);
            String type = e.at("/resource/resourceType").asText();
            if (condition != null && !seen.add(type + "?" + condition)) {
                continue;
            }
            ObjectNode r = e.get("resource").deepCopy();
            rewrite(r, local);
            String ref = local.get(e.get("fullUrl").asText());
            ObjectNode out = Json.obj().put("resourceType", type).put("id", ref.substring(ref.indexOf('/') + 1));
            r.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("resourceType")) {
                    out.set(f.getKey(), f.getValue());
                }
            });
            writer(writers, dir, type).write(out + "\n");
            byType.merge(type, 1L, Long::sum);
            written++;
        }
        return written;
    }

    private static void rewrite(JsonNode node, Map<String, String> local) {
        if (node instanceof ObjectNode o) {
            JsonNode ref = o.get("reference");
            if (ref != null && ref.isTextual() && local.containsKey(ref.asText())) {
                o.put("reference", local.get(ref.asText()));
            }
            o.elements().forEachRemaining(child -> rewrite(child, local));
        } else if (node.isArray()) {
            node.forEach(child -> rewrite(child, local));
        }
    }

    private static Writer writer(Map<String, Writer> writers, Path dir, String name) throws IOException {
        Writer w = writers.get(name);
        if (w == null) {
            w = new BufferedWriter(
                    new OutputStreamWriter(
                            new GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".ndjson.gz")), 1 << 16),
                            StandardCharsets.UTF_8),
                    1 << 16);
            writers.put(name, w);
        }
        return w;
    }
}
