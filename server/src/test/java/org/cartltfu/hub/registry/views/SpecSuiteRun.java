package org.cartltfu.hub.registry.views;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs the SQL-on-FHIR v2 test suite (the JSON files of the specification's {@code tests/} folder, format
 * {@code tests.schema.json}) against the hub's ViewRunner and HL7's R4 and R5 runners, and prints pass/fail per test
 * and runner. A tool, not a test: the suite is not part of this repository (get the {@code tests/} folder of the
 * specification's source, MIT licence), give its folder:
 *
 * <pre>
 * ./mvnw -B -o -q -pl server org.codehaus.mojo:exec-maven-plugin:3.5.0:exec -Dexec.executable=java \
 *     -Dexec.classpathScope=test -Dexec.args="-cp %classpath org.cartltfu.hub.registry.views.SpecSuiteRun path/to/tests"
 * </pre>
 *
 * Comparison as the specification's reference runner (sof-js) does it: rows in any order, each with exactly the
 * expected columns, numbers equal by value; {@code expectError}: the view is refused or fails while running;
 * {@code expectColumns}: the column names in order. Views without {@code status} (a third of the suite; the element is
 * required, our parser refuses its absence) get {@code "status": "active"}, and views without {@code resourceType}
 * (all of them) get {@code "ViewDefinition"}, for every runner. Resources are parsed as R4 for the hub and HL7's R4
 * runner, as R5 for HL7's R5 runner. A fourth column runs HL7's R4 runner with every {@code "type": "id"} made
 * {@code "string"}: its Validator refuses {@code id} on the R4 {@code id} element (typed System.String there), which
 * fails most of the suite before anything runs.
 */
public final class SpecSuiteRun {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private record Outcome(boolean passed, String why) {}

    private SpecSuiteRun() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("give the folder of the suite's *.json files");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of(args[0]))) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        ViewEngine engine = new ViewEngine(FhirContext.forR4Cached());
        Hl7ViewRunner.r4Context();
        Hl7ViewRunner.r5Context();
        String[] runners = {"hub", "HL7 R4", "HL7 R5", "HL7 R4 id→string"};
        Map<String, int[]> passed = new LinkedHashMap<>();
        Map<String, List<String>> failures = new LinkedHashMap<>();
        for (String runner : runners) {
            passed.put(runner, new int[2]);
            failures.put(runner, new ArrayList<>());
        }
        int total = 0;
        for (Path file : files) {
            JsonNode suite = JSON.readTree(file.toFile());
            List<Object> r4 = resources(suite, FhirContext.forR4Cached());
            List<Object> r5 = resources(suite, FhirContext.forR5Cached());
            for (JsonNode test : suite.path("tests")) {
                total++;
                ObjectNode view = (ObjectNode) test.path("view").deepCopy();
                if (!view.has("status")) {
                    view.put("status", "active");
                }
                if (!view.has("resourceType")) {
                    view.put("resourceType", "ViewDefinition");
                }
                String viewJson = JSON.writeValueAsString(view);
                String idAsString = viewJson.replace("\"type\":\"id\"", "\"type\":\"string\"");
                String name = file.getFileName().toString().replace(".json", "") + " / "
                        + test.path("title").asText();
                boolean shareable = !test.path("tags").toString().contains("experimental");
                Outcome[] outcomes = {
                    check(test, () -> runOurs(engine, viewJson, r4)),
                    check(test, () -> runHl7(Hl7ViewRunner.Flavour.R4, viewJson, r4)),
                    check(test, () -> runHl7(Hl7ViewRunner.Flavour.R5, viewJson, r5)),
                    check(test, () -> runHl7(Hl7ViewRunner.Flavour.R4, idAsString, r4))
                };
                StringBuilder line =
                        new StringBuilder(String.format("%-70s", name + (shareable ? "" : " [experimental]")));
                for (int i = 0; i < runners.length; i++) {
                    line.append(String.format(" %s:%s", runners[i], outcomes[i].passed() ? "pass" : "FAIL"));
                    if (outcomes[i].passed()) {
                        passed.get(runners[i])[shareable ? 0 : 1]++;
                    } else {
                        failures.get(runners[i])
                                .add(name + (shareable ? "" : " [experimental]") + ": " + outcomes[i].why());
                    }
                }
                System.out.println(line);
            }
        }
        long shareableTotal = 0;
        for (Path file : files) {
            for (JsonNode test : JSON.readTree(file.toFile()).path("tests")) {
                if (!test.path("tags").toString().contains("experimental")) {
                    shareableTotal++;
                }
            }
        }
        System.out.printf(
                "%n%d tests in %d files (%d shareable, %d experimental)%n",
                total, files.size(), shareableTotal, total - shareableTotal);
        for (String runner : runners) {
            int[] p = passed.get(runner);
            System.out.printf(
                    "%-7s passed %d of %d (shareable %d of %d, experimental %d of %d)%n",
                    runner, p[0] + p[1], total, p[0], shareableTotal, p[1], total - shareableTotal);
        }
        for (String runner : runners) {
            System.out.printf("%n%s failures:%n", runner);
            failures.get(runner).forEach(f -> System.out.println("  " + f));
        }
    }

    /** Rows as column name → value, or an exception. */
    private interface Run {
        List<Map<String, Object>> rows() throws Exception;
    }

    private static Outcome check(JsonNode test, Run run) {
        List<Map<String, Object>> rows;
        try {
            rows = run.rows();
        } catch (Exception | StackOverflowError e) {
            if (test.path("expectError").asBoolean(false)) {
                return new Outcome(true, null);
            }
            String message = e.getMessage() == null ? "" : e.getMessage().replace('\n', ' ');
            return new Outcome(
                    false,
                    e.getClass().getSimpleName() + ": "
                            + (message.length() > 300 ? message.substring(0, 300) + "…" : message));
        }
        if (test.path("expectError").asBoolean(false)) {
            return new Outcome(false, "no error; rows " + rows);
        }
        if (test.has("expectCount")) {
            int expected = test.path("expectCount").asInt();
            return rows.size() == expected
                    ? new Outcome(true, null)
                    : new Outcome(false, "expected " + expected + " rows, got " + rows.size());
        }
        if (test.has("expectColumns")) {
            List<String> expected = new ArrayList<>();
            test.path("expectColumns").forEach(c -> expected.add(c.asText()));
            List<String> actual = columnsOfLastRun;
            if (!expected.equals(actual)) {
                return new Outcome(false, "expected columns " + expected + ", got " + actual);
            }
            if (!test.has("expect")) {
                return new Outcome(true, null);
            }
        }
        List<String> expected = new ArrayList<>();
        test.path("expect").forEach(row -> expected.add(canonical(row)));
        List<String> actual = new ArrayList<>();
        rows.forEach(row -> actual.add(canonical(JSON.valueToTree(row))));
        List<String> e = expected.stream().sorted().toList();
        List<String> a = actual.stream().sorted().toList();
        return e.equals(a) ? new Outcome(true, null) : new Outcome(false, "expected " + e + ", got " + a);
    }

    private static List<String> columnsOfLastRun = List.of();

    private static List<Map<String, Object>> runOurs(ViewEngine engine, String viewJson, List<Object> resources) {
        ViewRunner runner = new ViewRunner(engine, ViewCatalog.parse(viewJson));
        List<String> columns =
                runner.columns().stream().map(ViewDefinition.Column::name).toList();
        columnsOfLastRun = columns;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object resource : resources) {
            if (resource instanceof org.hl7.fhir.r4.model.Resource r) {
                runner.rows(r).forEach(row -> rows.add(named(columns, row)));
            }
        }
        return rows;
    }

    private static List<Map<String, Object>> runHl7(
            Hl7ViewRunner.Flavour flavour, String viewJson, List<Object> resources) {
        Hl7ViewRunner runner = Hl7ViewRunner.of(flavour, viewJson);
        columnsOfLastRun = List.copyOf(runner.columns);
        List<Map<String, Object>> rows = new ArrayList<>();
        runner.execute(resources).forEach(row -> rows.add(named(runner.columns, row)));
        return rows;
    }

    private static Map<String, Object> named(List<String> columns, List<Object> row) {
        Map<String, Object> named = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            named.put(columns.get(i), row.get(i));
        }
        return named;
    }

    // A row as text with its keys sorted and numbers by value (1, 1.0 and 1.00 alike), to compare rows as sets.
    private static String canonical(JsonNode row) {
        Map<String, String> sorted = new TreeMap<>();
        row.fields().forEachRemaining(f -> sorted.put(f.getKey(), value(f.getValue())));
        return sorted.toString();
    }

    private static String value(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isNumber()) {
            return "n:" + new BigDecimal(node.asText()).stripTrailingZeros().toPlainString();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(value(item)));
            return items.toString();
        }
        if (node.isBoolean()) {
            return "b:" + node.asBoolean();
        }
        if (node.isTextual()) {
            return "s:" + node.asText();
        }
        return "j:" + node;
    }

    private static List<Object> resources(JsonNode suite, FhirContext fhir) {
        List<Object> resources = new ArrayList<>();
        Function<String, Object> parse = json -> fhir.newJsonParser().parseResource(json);
        for (JsonNode resource : suite.path("resources")) {
            try {
                resources.add(parse.apply(resource.toString()));
            } catch (RuntimeException e) {
                System.out.println("  (" + fhir.getVersion().getVersion() + " cannot parse "
                        + resource.path("resourceType").asText() + "/"
                        + resource.path("id").asText() + ": " + e.getMessage()
                        + ")");
            }
        }
        return resources;
    }
}
