package org.cartltfu.hub.registry.views;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.r4.model.Resource;

/**
 * Measures the hub's ViewRunner against HL7's SQL-on-FHIR runners (the R4 one, and the R5 one after R4→R5
 * conversion) on the shipped views over the same synthetic R4 resources: rows/s of each runner and view, and whether
 * the rows are identical (same columns, same values of the same Java type), with the first differences spelled out.
 * A tool, not a test: nothing is asserted, the figures are printed. Run (after {@code ./mvnw -pl server
 * test-compile}):
 *
 * <pre>
 * ./mvnw -B -o -q -pl server org.codehaus.mojo:exec-maven-plugin:3.5.0:exec -Dexec.executable=java \
 *     -Dexec.classpathScope=test -Dexec.args="-Xmx1g -cp %classpath org.cartltfu.hub.registry.views.RunnerComparison --patients 10000"
 * </pre>
 *
 * Options: {@code --patients N} (10000), {@code --seed S} (2026), {@code --batch N} patients generated and run at a
 * time (250; the cohort is never held whole), {@code --warmup N} patients run untimed first (1000), {@code --views
 * a,b} (all shipped), {@code --view-file f.json} (a view of one's own, e.g. an R5 rewrite of a shipped one: run by
 * every runner like the shipped ones).
 */
public final class RunnerComparison {

    private static final int EXAMPLES = 5;
    private static final Map<String, String> TYPES = new LinkedHashMap<>();

    /** What one runner did on one view. */
    private static final class Tally {
        final String runner;
        long nanos;
        long convertNanos;
        long resources;
        long rows;
        long errors;
        long unconverted;
        String firstConversionError;
        String firstError;
        String prepareError;
        List<String> adapted = List.of();
        long differingResources;
        final Map<String, Long> differingColumns = new TreeMap<>();
        final List<String> examples = new ArrayList<>();

        Tally(String runner) {
            this.runner = runner;
        }
    }

    private RunnerComparison() {}

    public static void main(String[] args) throws IOException {
        int patients = 10_000;
        long seed = 2026;
        int batch = 250;
        int warmup = 1000;
        List<String> only = null;
        Map<String, String> extra = new LinkedHashMap<>();
        for (int a = 0; a < args.length; a += 2) {
            String value = args[a + 1];
            switch (args[a]) {
                case "--patients" -> patients = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--views" -> only = List.of(value.split(","));
                case "--view-file" -> {
                    String json = Files.readString(Path.of(value));
                    extra.put(
                            ViewCatalog.parse(json).name() + " ("
                                    + Path.of(value).getFileName() + ")",
                            json);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
        }

        Map<String, String> views = new LinkedHashMap<>();
        ViewCatalog catalog = ViewCatalog.shipped();
        for (String name : catalog.names()) {
            if (only == null || only.contains(name)) {
                views.put(name, shippedJson(name));
            }
        }
        views.putAll(extra);

        long start = System.nanoTime();
        ViewEngine engine = new ViewEngine(FhirContext.forR4Cached());
        Hl7ViewRunner.r4Context();
        Hl7ViewRunner.r5Context();
        System.out.printf(
                "engines and HL7 worker contexts (R4, R5) built in %.1f s%n", (System.nanoTime() - start) / 1e9);

        Map<String, ViewRunner> ours = new LinkedHashMap<>();
        Map<String, Hl7ViewRunner> hl7r4 = new LinkedHashMap<>();
        Map<String, Hl7ViewRunner> hl7r5 = new LinkedHashMap<>();
        Map<String, Tally[]> tallies = new LinkedHashMap<>();
        for (Map.Entry<String, String> view : views.entrySet()) {
            String name = view.getKey();
            Tally[] t = {new Tally("hub ViewRunner"), new Tally("HL7 R4 Runner"), new Tally("HL7 R5 Runner + 40_50")};
            tallies.put(name, t);
            ViewDefinition definition = ViewCatalog.parse(view.getValue());
            TYPES.put(name, definition.resource());
            ours.put(name, new ViewRunner(engine, definition));
            List<String> changes = new ArrayList<>();
            String forR4 = forHl7(view.getValue(), false, changes);
            List<String> r5Changes = new ArrayList<>();
            String forR5 = forHl7(view.getValue(), true, r5Changes);
            t[1].adapted = changes;
            t[2].adapted = r5Changes;
            try {
                hl7r4.put(name, Hl7ViewRunner.of(Hl7ViewRunner.Flavour.R4, forR4));
            } catch (RuntimeException e) {
                t[1].prepareError = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            try {
                hl7r5.put(name, Hl7ViewRunner.of(Hl7ViewRunner.Flavour.R5, forR5));
            } catch (RuntimeException e) {
                t[2].prepareError = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }

        System.out.printf("warm-up: %d patients, untimed%n", warmup);
        Map<String, Tally[]> scratch = new LinkedHashMap<>();
        views.keySet().forEach(n -> scratch.put(n, new Tally[] {new Tally(""), new Tally(""), new Tally("")}));
        for (int first = 0; first < warmup; first += batch) {
            runBatch(seed + 1, first, Math.min(warmup, first + batch), ours, hl7r4, hl7r5, scratch, false);
        }
        System.out.printf(
                "timed: %d patients, seed %d, batches of %d; load average before: %s%n",
                patients, seed, batch, loadAverage());
        for (int first = 0; first < patients; first += batch) {
            runBatch(seed, first, Math.min(patients, first + batch), ours, hl7r4, hl7r5, tallies, true);
        }
        System.out.printf("load average after: %s%n%n", loadAverage());
        report(tallies);
    }

    private static void runBatch(
            long seed,
            int first,
            int end,
            Map<String, ViewRunner> ours,
            Map<String, Hl7ViewRunner> hl7r4,
            Map<String, Hl7ViewRunner> hl7r5,
            Map<String, Tally[]> tallies,
            boolean compare) {
        List<Resource> resources = new ArrayList<>();
        for (int i = first; i < end; i++) {
            resources.addAll(SyntheticViewData.patient(seed, i));
        }
        for (Map.Entry<String, Tally[]> entry : tallies.entrySet()) {
            String name = entry.getKey();
            Tally[] t = entry.getValue();
            ViewRunner runner = ours.get(name);
            String type = TYPES.get(name);
            List<Resource> selected =
                    resources.stream().filter(r -> r.fhirType().equals(type)).toList();

            // Each runner over the whole batch, timed alone; rows kept per resource for the comparison.
            List<List<List<Object>>> ourRows = new ArrayList<>(selected.size());
            long t0 = System.nanoTime();
            for (Resource resource : selected) {
                ourRows.add(runner.rows(resource));
            }
            t[0].nanos += System.nanoTime() - t0;
            t[0].resources += selected.size();
            ourRows.forEach(rows -> t[0].rows += rows.size());

            List<List<List<Object>>> r4Rows = runHl7(hl7r4.get(name), selected, t[1], false);
            List<List<List<Object>>> r5Rows = runHl7(hl7r5.get(name), selected, t[2], true);
            if (compare) {
                List<String> columns = runner.columns().stream()
                        .map(ViewDefinition.Column::name)
                        .toList();
                compare(columns, hl7r4.get(name), selected, ourRows, r4Rows, t[1]);
                compare(columns, hl7r5.get(name), selected, ourRows, r5Rows, t[2]);
            }
        }
    }

    private static List<List<List<Object>>> runHl7(
            Hl7ViewRunner runner, List<Resource> selected, Tally tally, boolean toR5) {
        if (runner == null) {
            return null;
        }
        List<Object> input = new ArrayList<>(selected);
        if (toR5) {
            long c0 = System.nanoTime();
            for (int i = 0; i < input.size(); i++) {
                try {
                    input.set(i, VersionConvertorFactory_40_50.convertResource((Resource) input.get(i)));
                } catch (RuntimeException e) {
                    input.set(i, null);
                    tally.unconverted++;
                    if (tally.firstConversionError == null) {
                        tally.firstConversionError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                }
            }
            tally.convertNanos += System.nanoTime() - c0;
        }
        List<List<List<Object>>> all = new ArrayList<>(input.size());
        long t0 = System.nanoTime();
        for (Object resource : input) {
            if (resource == null) {
                all.add(null);
                continue;
            }
            try {
                all.add(runner.rows(resource));
            } catch (RuntimeException e) {
                runner.drain();
                all.add(null);
                tally.errors++;
                if (tally.firstError == null) {
                    tally.firstError =
                            ((org.hl7.fhir.instance.model.api.IAnyResource) resource)
                                            .getIdElement()
                                            .getIdPart() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
        }
        tally.nanos += System.nanoTime() - t0;
        tally.resources += input.size() - input.stream().filter(Objects::isNull).count();
        all.forEach(rows -> tally.rows += rows == null ? 0 : rows.size());
        return all;
    }

    private static void compare(
            List<String> columns,
            Hl7ViewRunner runner,
            List<Resource> selected,
            List<List<List<Object>>> ours,
            List<List<List<Object>>> theirs,
            Tally tally) {
        if (runner == null) {
            return;
        }
        if (!columns.equals(runner.columns)) {
            if (tally.examples.isEmpty()) {
                tally.examples.add("columns differ: hub " + columns + ", HL7 " + runner.columns);
            }
            return;
        }
        for (int r = 0; r < selected.size(); r++) {
            List<List<Object>> a = ours.get(r);
            List<List<Object>> b = theirs.get(r);
            if (b == null) {
                continue; // counted as an error
            }
            boolean differs = false;
            String id = selected.get(r).getIdElement().getIdPart();
            if (a.size() != b.size()) {
                differs = true;
                tally.differingColumns.merge("(row count)", 1L, Long::sum);
                example(tally, id + ": hub " + a.size() + " rows, HL7 " + b.size());
            } else {
                for (int row = 0; row < a.size(); row++) {
                    for (int c = 0; c < columns.size(); c++) {
                        Object x = a.get(row).get(c);
                        Object y = b.get(row).get(c);
                        if (!Objects.equals(x, y)) {
                            differs = true;
                            tally.differingColumns.merge(columns.get(c), 1L, Long::sum);
                            example(tally, id + " " + columns.get(c) + ": hub " + show(x) + ", HL7 " + show(y));
                        }
                    }
                }
            }
            if (differs) {
                tally.differingResources++;
            }
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    // R4 names of the shipped views' elements that R5 renamed: Encounter.period, AdverseEvent.event.
    private static final Map<String, String[]> R5_NAMES = Map.of(
            "Encounter", new String[] {"period", "actualPeriod"}, "AdverseEvent", new String[] {"event", "code"});

    /**
     * The view as HL7's runner takes it: HL7's Validator refuses {@code "type": "id"} on a key column (its
     * getResourceKey() and getReferenceKey() are typed string), so such a column gets {@code string}; for the R5 runner
     * the elements R5 renamed get their R5 names. Each change is recorded.
     */
    static String forHl7(String viewJson, boolean r5, List<String> changes) {
        try {
            var root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(viewJson);
            String[] rename = r5 ? R5_NAMES.get(root.path("resource").asText()) : null;
            adapt(root, rename, changes);
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void adapt(com.fasterxml.jackson.databind.JsonNode node, String[] rename, List<String> changes) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            String path = object.path("path").asText(null);
            if (path != null
                    && (path.contains("getResourceKey") || path.contains("getReferenceKey"))
                    && "id".equals(object.path("type").asText(null))) {
                object.put("type", "string");
                changes.add(object.path("name").asText() + ": type id → string");
            }
            if (path != null && rename != null) {
                String renamed = path.replaceAll("(?<![A-Za-z%.])" + rename[0] + "\\.", rename[1] + ".");
                if (!renamed.equals(path)) {
                    object.put("path", renamed);
                    changes.add((object.has("name") ? object.path("name").asText() : "where") + ": " + rename[0] + " → "
                            + rename[1]);
                }
            }
        }
        node.forEach(child -> adapt(child, rename, changes));
    }

    private static void example(Tally tally, String text) {
        if (tally.examples.size() < EXAMPLES) {
            tally.examples.add(text);
        }
    }

    private static String show(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }

    private static void report(Map<String, Tally[]> tallies) {
        System.out.printf(
                "%-22s %-24s %10s %10s %9s %12s %12s  %s%n",
                "view", "runner", "resources", "rows", "ms", "rows/s", "res/s", "rows identical to hub's");
        for (Map.Entry<String, Tally[]> entry : tallies.entrySet()) {
            Tally base = entry.getValue()[0];
            for (Tally t : entry.getValue()) {
                if (t.prepareError != null) {
                    System.out.printf("%-22s %-24s refused the view: %s%n", entry.getKey(), t.runner, t.prepareError);
                    if (!t.adapted.isEmpty()) {
                        System.out.printf("%-22s %-24s view adapted: %s%n", "", "", String.join("; ", t.adapted));
                    }
                    continue;
                }
                String same = t == base
                        ? "-"
                        : t.differingResources == 0 && t.errors == 0 && t.unconverted == 0 && t.examples.isEmpty()
                                ? "yes"
                                : "no: " + t.differingResources + " resources differ " + t.differingColumns
                                        + (t.errors > 0 ? ", " + t.errors + " errors" : "")
                                        + (t.unconverted > 0 ? ", " + t.unconverted + " not converted" : "");
                if (t.resources == 0) {
                    System.out.printf(
                            "%-22s %-24s %10d %10d %9s %12s %12s  %s%n",
                            entry.getKey(), t.runner, 0, 0, "-", "-", "-", same);
                } else {
                    System.out.printf(
                            "%-22s %-24s %10d %10d %9.0f %12.0f %12.0f  %s%n",
                            entry.getKey(),
                            t.runner,
                            t.resources,
                            t.rows,
                            t.nanos / 1e6,
                            t.rows / (t.nanos / 1e9),
                            t.resources / (t.nanos / 1e9),
                            same);
                }
                if (!t.adapted.isEmpty()) {
                    System.out.printf("%-22s %-24s view adapted: %s%n", "", "", String.join("; ", t.adapted));
                }
                if (t.convertNanos > 0 && t.resources > 0) {
                    System.out.printf(
                            "%-22s %-24s %10s %10s %9.0f %12s %12.0f  R4→R5 conversion alone; with it: %.0f rows/s%n",
                            "",
                            "  (conversion)",
                            "",
                            "",
                            t.convertNanos / 1e6,
                            "",
                            t.resources / (t.convertNanos / 1e9),
                            t.rows / ((t.nanos + t.convertNanos) / 1e9));
                }
                if (t.unconverted > 0) {
                    System.out.printf(
                            "%-22s %-24s %d resources not converted to R5: %s%n",
                            "", "", t.unconverted, t.firstConversionError);
                }
                if (t.firstError != null) {
                    System.out.printf("%-22s %-24s first error: %s%n", "", "", t.firstError);
                }
                for (String example : t.examples) {
                    System.out.printf("%-22s %-24s   %s%n", "", "", example);
                }
            }
        }
    }

    private static String shippedJson(String name) {
        try (InputStream in = RunnerComparison.class.getResourceAsStream("/registry/views/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
