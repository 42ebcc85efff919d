package org.cartltfu.bench.harness;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the server's CPU time went, from a JFR recording (method samples of jdk.ExecutionSample): the share of
 * samples whose stack passes through each component (inclusive, so shares overlap), and the hottest methods by
 * self time. Record with {@code -XX:StartFlightRecording=filename=server.jfr,settings=profile}.
 */
public final class JfrSummary {

    /** Components by package prefix, checked on every frame of a sample's stack. */
    static final Map<String, List<String>> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put(
                "profile validation (HAPI/HL7 validator)",
                List.of(
                        "org.hl7.fhir.validation.",
                        "org.hl7.fhir.common.hapi.validation.",
                        "ca.uhn.fhir.validation.",
                        "org.hl7.fhir.r5.utils.validation.",
                        "ca.uhn.fhir.jpa.interceptor.validation."));
        COMPONENTS.put("FHIRPath (invariants)", List.of("org.hl7.fhir.r5.fhirpath.", "org.hl7.fhir.r5.utils.FHIRPath"));
        COMPONENTS.put(
                "snapshot/structure lookups", List.of("org.hl7.fhir.r5.conformance.", "org.hl7.fhir.r5.context."));
        COMPONENTS.put("FHIR parse/serialise", List.of("ca.uhn.fhir.parser."));
        COMPONENTS.put("search-parameter indexing", List.of("ca.uhn.fhir.jpa.searchparam.extractor."));
        COMPONENTS.put("Hibernate ORM", List.of("org.hibernate.", "jakarta.persistence."));
        COMPONENTS.put("PostgreSQL JDBC", List.of("org.postgresql."));
        COMPONENTS.put("Hibernate Search / Lucene", List.of("org.hibernate.search.", "org.apache.lucene."));
        COMPONENTS.put(
                "transaction processing (HAPI)",
                List.of("ca.uhn.fhir.jpa.dao.BaseTransactionProcessor", "ca.uhn.fhir.jpa.dao.TransactionProcessor"));
        // Not org.cartltfu.hub.config: its servlet filter wraps every request.
        COMPONENTS.put("our clinical hooks and operations", List.of("org.cartltfu.hub.clinical."));
    }

    private JfrSummary() {}

    public static void print(Path recording, int top, PrintStream out) throws Exception {
        long samples = 0;
        Map<String, Long> inclusive = new LinkedHashMap<>();
        Map<String, Long> self = new HashMap<>();
        // JDK frames (HashMap, String.split …) say little: also attribute each sample to its first non-JDK frame.
        Map<String, Long> firstOwnFrame = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                RecordedFrame f = frames.get(0);
                self.merge(
                        f.getMethod().getType().getName() + "." + f.getMethod().getName(), 1L, Long::sum);
            }
            frames.stream()
                    .filter(f -> !isJdk(f.getMethod().getType().getName()))
                    .findFirst()
                    .ifPresent(f -> firstOwnFrame.merge(
                            f.getMethod().getType().getName() + "."
                                    + f.getMethod().getName(),
                            1L,
                            Long::sum));
            for (Map.Entry<String, List<String>> c : COMPONENTS.entrySet()) {
                boolean hit = frames.stream().anyMatch(f -> {
                    String name = f.getMethod().getType().getName();
                    return c.getValue().stream().anyMatch(name::startsWith);
                });
                if (hit) {
                    inclusive.merge(c.getKey(), 1L, Long::sum);
                }
            }
        }
        out.printf(
                "%d CPU samples in %s%n%nshare of samples passing through (inclusive, overlapping):%n",
                samples, recording);
        for (String c : COMPONENTS.keySet()) {
            out.printf("  %5.1f %%  %s%n", 100.0 * inclusive.getOrDefault(c, 0L) / Math.max(1, samples), c);
        }
        long total = samples;
        out.printf("%nhottest methods (self):%n");
        self.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(en -> out.printf("  %5.1f %%  %s%n", 100.0 * en.getValue() / Math.max(1, total), en.getKey()));
        out.printf("%nhottest first non-JDK frames (self time of the JDK code they call included):%n");
        firstOwnFrame.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(en -> out.printf("  %5.1f %%  %s%n", 100.0 * en.getValue() / Math.max(1, total), en.getKey()));
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.");
    }
}
