package org.cartltfu.ig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import ca.uhn.hapi.converters.canonical.VersionCanonicalizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.ProfileKnowledgeWorkerR5;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Offline validation of the built FHIR package (target/classes/cart-ltfu-ig/package.tgz): snapshots, terminology
 * designations, the journey example (0 errors) and the invalid examples (expected error at the expected path).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IgPackageValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LANGUAGES = Set.of("en", "zh", "vi", "ms");

    private FhirContext ctx;
    private ValidationSupportChain chain;
    private FhirValidator validator;
    private NpmPackage npm;
    private final Map<String, JsonNode> packageResources = new LinkedHashMap<>();

    @BeforeAll
    void setUp() throws IOException {
        long start = System.nanoTime();
        ctx = FhirContext.forR4Cached();
        NpmPackageValidationSupport npmSupport = new NpmPackageValidationSupport(ctx);
        npmSupport.loadPackageFromClasspath(CarTIg.PACKAGE_CLASSPATH_URL);
        chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(ctx),
                npmSupport,
                new SnapshotGeneratingValidationSupport(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                new CommonCodeSystemsTerminologyService(ctx));
        validator = ctx.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));

        npm = BuiltPackage.open();
        for (Map.Entry<String, byte[]> file : BuiltPackage.resourceFiles(npm).entrySet()) {
            packageResources.put(file.getKey(), JSON.readTree(file.getValue()));
        }
        System.out.printf(
                "[ig-test] setup %.1f s, %d conformance resources in the package%n",
                (System.nanoTime() - start) / 1e9, packageResources.size());
    }

    // ------------------------------------------------------------------------------------------- package layout

    @Test
    void packageManifestAndContents() throws IOException {
        assertEquals(CarTIg.PACKAGE_ID, npm.name());
        assertEquals(CarTIg.PACKAGE_VERSION, npm.version());
        assertEquals("4.0.1", npm.fhirVersion());
        assertTrue(npm.dependencies().contains("hl7.fhir.r4.core#4.0.1"), "dependencies: " + npm.dependencies());
        assertTrue(npm.list("example").contains("Bundle-journey-example.json"), "journey example missing");

        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : packageResources.entrySet()) {
            JsonNode r = e.getValue();
            String type = r.path("resourceType").asText();
            String id = r.path("id").asText();
            assertEquals(type + "-" + id + ".json", e.getKey(), "file name must be <ResourceType>-<id>.json");
            assertTrue(ids.add(type + "/" + id), "duplicate " + type + "/" + id);
            if (!type.equals("NamingSystem")) {
                assertEquals(
                        CarTIg.CANONICAL_BASE + "/" + type + "/" + id,
                        r.path("url").asText(),
                        "url of " + e.getKey());
                assertEquals(CarTIg.PACKAGE_VERSION, r.path("version").asText(), "version of " + e.getKey());
            }
        }
        // that every URL and code the Java constants name exists in the package: VocabularyTest
    }

    // ------------------------------------------------------------------------------------------- snapshots

    @TestFactory
    Stream<DynamicTest> everyStructureDefinitionGeneratesASnapshot() {
        WorkerContextValidationSupportAdapter worker = new WorkerContextValidationSupportAdapter(chain);
        VersionCanonicalizer canonicalizer = new VersionCanonicalizer(ctx);
        return packageResources.entrySet().stream()
                .filter(e -> e.getValue().path("resourceType").asText().equals("StructureDefinition"))
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    StructureDefinition sd = ctx.newJsonParser()
                            .parseResource(
                                    StructureDefinition.class, e.getValue().toString());
                    assertFalse(sd.hasSnapshot(), "package holds differentials only");

                    // 1. with the same generator HAPI uses, collecting the generator's messages
                    org.hl7.fhir.r5.model.StructureDefinition input =
                            canonicalizer.structureDefinitionToCanonical(sd.copy());
                    org.hl7.fhir.r5.model.StructureDefinition base = worker.fetchResource(
                            org.hl7.fhir.r5.model.StructureDefinition.class, input.getBaseDefinition());
                    assertNotNull(base, "base " + input.getBaseDefinition());
                    if (!base.hasSnapshot()) {
                        IBaseResource baseR4 = chain.fetchStructureDefinition(input.getBaseDefinition());
                        base = canonicalizer.structureDefinitionToCanonical(chain.generateSnapshot(
                                new ValidationSupportContext(chain),
                                baseR4,
                                input.getBaseDefinition(),
                                CarTIg.CANONICAL_BASE,
                                null));
                    }
                    List<ValidationMessage> messages = new ArrayList<>();
                    new ProfileUtilities(worker, messages, new ProfileKnowledgeWorkerR5(ctx))
                            .generateSnapshot(base, input, input.getUrl(), CarTIg.CANONICAL_BASE, input.getName());
                    List<String> problems = messages.stream()
                            .filter(m -> m.getLevel() == ValidationMessage.IssueSeverity.ERROR
                                    || m.getLevel() == ValidationMessage.IssueSeverity.FATAL)
                            .map(m -> m.getLocation() + ": " + m.getMessage())
                            .collect(Collectors.toList());
                    assertTrue(problems.isEmpty(), "snapshot errors: " + problems);

                    // 2. through the validation support chain (what the server does at run time)
                    StructureDefinition snap = (StructureDefinition) chain.generateSnapshot(
                            new ValidationSupportContext(chain),
                            sd.copy(),
                            sd.getUrl(),
                            CarTIg.CANONICAL_BASE,
                            sd.getName());
                    assertNotNull(snap);
                    assertTrue(snap.getSnapshot().getElement().size()
                            > sd.getDifferential().getElement().size());
                    Set<String> snapIds = snap.getSnapshot().getElement().stream()
                            .map(ElementDefinition::getId)
                            .collect(Collectors.toSet());
                    for (ElementDefinition d : sd.getDifferential().getElement()) {
                        assertTrue(
                                snapIds.contains(d.getId()), "differential element " + d.getId() + " not in snapshot");
                    }
                    // 3. the StructureDefinition itself is a valid resource. Skipped for extension definitions: for
                    // those the
                    // core validator also checks the elements against other FHIR versions and tries to download those
                    // core
                    // packages (packages.fhir.org, ~/.fhir/packages), which fails offline with "Unable to resolve
                    // package id
                    // hl7.fhir.r4.core#null" - an environment issue, not a defect of the definition.
                    if (!"Extension".equals(sd.getType())) {
                        assertNoErrors(e.getKey(), validator.validateWithResult(sd));
                    }
                }));
    }

    // ------------------------------------------------------------------------------------------- terminology

    @Test
    void everyConceptHasDefinitionAndDesignationsInFourLanguages() {
        int concepts = 0;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : packageResources.entrySet()) {
            if (!e.getValue().path("resourceType").asText().equals("CodeSystem")) {
                continue;
            }
            for (JsonNode c : e.getValue().path("concept")) {
                concepts++;
                String code = e.getKey() + "#" + c.path("code").asText();
                if (c.path("definition").asText().isBlank()) {
                    problems.add(code + ": no definition");
                }
                Set<String> langs = new HashSet<>();
                for (JsonNode d : c.path("designation")) {
                    if (!d.path("value").asText().isBlank()) {
                        langs.add(d.path("language").asText());
                    }
                }
                if (!langs.containsAll(LANGUAGES)) {
                    problems.add(code + ": designations " + langs);
                }
            }
        }
        assertTrue(concepts > 100, "only " + concepts + " concepts");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @TestFactory
    Stream<DynamicTest> everyTerminologyResourceIsValid() {
        return packageResources.entrySet().stream()
                .filter(e -> !e.getValue().path("resourceType").asText().equals("StructureDefinition"))
                .map(e -> DynamicTest.dynamicTest(
                        e.getKey(),
                        () -> assertNoErrors(
                                e.getKey(),
                                validator.validateWithResult(e.getValue().toString()))));
    }

    // ------------------------------------------------------------------------------------------- examples

    @Test
    void journeyBundleValidates() throws IOException {
        String json = exampleJson("Bundle-journey-example.json");
        long t0 = System.nanoTime();
        ValidationResult result = validator.validateWithResult(json);
        System.out.printf("[ig-test] journey bundle validated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertNoErrors("Bundle-journey-example.json", result);

        Bundle bundle = ctx.newJsonParser().parseResource(Bundle.class, json);
        assertEquals(Bundle.BundleType.TRANSACTION, bundle.getType());
        Bundle.BundleEntryComponent patientEntry = bundle.getEntry().stream()
                .filter(en -> en.getResource().fhirType().equals("Patient"))
                .findFirst()
                .orElseThrow();
        assertTrue(
                patientEntry.getRequest().getIfNoneExist().startsWith("identifier=" + CarTIg.SID_HUB_MRN + "|"),
                "conditional create on the hub MRN");
        Set<String> profiles = new HashSet<>();
        for (Bundle.BundleEntryComponent en : bundle.getEntry()) {
            assertTrue(en.getFullUrl().startsWith("urn:uuid:"), en.getFullUrl());
            assertFalse(en.getResource().getMeta().getProfile().isEmpty(), "no meta.profile on " + en.getFullUrl());
            en.getResource().getMeta().getProfile().forEach(p -> profiles.add(p.getValue()));
        }
        for (String p : List.of(
                CarTIg.PROFILE_PATIENT,
                CarTIg.PROFILE_SPOKE_ORGANIZATION,
                CarTIg.PROFILE_PRODUCT,
                CarTIg.PROFILE_INFUSION,
                CarTIg.PROFILE_CRS_EVENT,
                CarTIg.PROFILE_ICANS_EVENT,
                CarTIg.PROFILE_CRS_ASSESSMENT,
                CarTIg.PROFILE_ICE_SCORE,
                CarTIg.PROFILE_FOLLOWUP_VISIT,
                CarTIg.PROFILE_RESEARCH_CONSENT,
                CarTIg.PROFILE_PROVENANCE)) {
            assertTrue(profiles.contains(p), "journey has no resource with profile " + p);
        }
    }

    /** Each resource of the journey on its own, with the urn:uuid references rewritten to Type/id as a server would. */
    @TestFactory
    Stream<DynamicTest> everyJourneyResourceValidatesOnItsOwn() throws IOException {
        Bundle bundle = ctx.newJsonParser().parseResource(Bundle.class, exampleJson("Bundle-journey-example.json"));
        Map<String, String> idByFullUrl = new HashMap<>();
        int n = 0;
        for (Bundle.BundleEntryComponent en : bundle.getEntry()) {
            String id = en.getResource().fhirType() + "/ex" + (++n);
            idByFullUrl.put(en.getFullUrl(), id);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Bundle.BundleEntryComponent en : bundle.getEntry()) {
            Resource r = en.getResource().copy();
            r.setId(idByFullUrl.get(en.getFullUrl()));
            for (Reference ref : ctx.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class)) {
                if (ref.getReference() != null && idByFullUrl.containsKey(ref.getReference())) {
                    ref.setReference(idByFullUrl.get(ref.getReference()));
                }
            }
            String name = r.getIdElement().getValue() + " "
                    + r.getMeta().getProfile().get(0).getValue().substring(CarTIg.SD.length());
            tests.add(DynamicTest.dynamicTest(name, () -> assertNoErrors(name, validator.validateWithResult(r))));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyInvalidExampleFailsAsExpected() throws IOException {
        Path dir = Path.of("src/test/resources/invalid");
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        try (Stream<Path> files = Files.list(dir)) {
            Set<String> present = files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".json") && !f.equals("expected.json"))
                    .collect(Collectors.toSet());
            Set<String> listed = new HashSet<>();
            expected.fieldNames().forEachRemaining(listed::add);
            assertEquals(present, listed, "every invalid example needs an entry in expected.json and vice versa");
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = e.getValue().path("path").asText();
            String fragment = e.getValue().path("messageContains").asText();
            // "error" (default): the example must fail validation; "warning": a warning-level invariant must fire
            String severity = e.getValue().path("severity").asText("error");
            tests.add(DynamicTest.dynamicTest(e.getKey() + " -> " + path, () -> {
                String json = Files.readString(dir.resolve(e.getKey()), StandardCharsets.UTF_8);
                ValidationResult result = validator.validateWithResult(json);
                List<SingleValidationMessage> candidates = severity.equals("warning")
                        ? result.getMessages().stream()
                                .filter(m -> m.getSeverity() == ResultSeverityEnum.WARNING)
                                .collect(Collectors.toList())
                        : errors(result);
                if (Boolean.getBoolean("ig.showWarnings")) {
                    System.out.println("[ig-test] " + e.getKey() + ":\n" + format(candidates));
                }
                boolean found = candidates.stream()
                        .anyMatch(m -> path.equals(m.getLocationString())
                                && m.getMessage().contains(fragment));
                assertTrue(
                        found,
                        "expected a " + severity + " at '" + path + "' containing '" + fragment + "', got:\n"
                                + format(candidates));
            }));
        }
        return tests.stream();
    }

    // ------------------------------------------------------------------------------------------- helpers

    private String exampleJson(String name) throws IOException {
        try (InputStream in = npm.load("example", name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<SingleValidationMessage> errors(ValidationResult result) {
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .collect(Collectors.toList());
    }

    private static String format(List<SingleValidationMessage> messages) {
        return messages.stream()
                .map(m -> "  " + m.getSeverity() + " " + m.getLocationString() + " | " + m.getMessage())
                .collect(Collectors.joining("\n"));
    }

    private static void assertNoErrors(String what, ValidationResult result) {
        List<SingleValidationMessage> errors = errors(result);
        List<SingleValidationMessage> warnings = result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.WARNING)
                .collect(Collectors.toList());
        if (!warnings.isEmpty() && Boolean.getBoolean("ig.showWarnings")) {
            System.out.println("[ig-test] warnings for " + what + ":\n" + format(warnings));
        }
        assertTrue(errors.isEmpty(), what + " has " + errors.size() + " error(s):\n" + format(errors));
    }
}
