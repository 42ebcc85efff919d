package org.cartltfu.bench.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every transaction of a small cohort validates with 0 errors against the IG package, offline (the same validation
 * chain as profiles' IgPackageValidationTest), and the cohort covers what the brief asks for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CohortConformanceTest {

    private static final List<String> OWN_WARNINGS = List.of("crs-grade-1", "crs-fever-1", "surv-cause-1");

    private FhirValidator validator;

    @BeforeAll
    void setUp() throws Exception {
        FhirContext ctx = FhirContext.forR4Cached();
        NpmPackageValidationSupport npm = new NpmPackageValidationSupport(ctx);
        npm.loadPackageFromClasspath(CarTIg.PACKAGE_CLASSPATH_URL);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(ctx),
                npm,
                new SnapshotGeneratingValidationSupport(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                new CommonCodeSystemsTerminologyService(ctx));
        validator = ctx.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    @Test
    void everyBundleOfASmallCohortValidates() {
        // Seed and size chosen so that the cohort has CRS and ICANS of several grades, deaths and missed visits.
        CohortGenerator generator = new CohortGenerator(CohortGenerator.Spec.of(7, 24));
        List<String> failures = new ArrayList<>();
        Map<String, Integer> profiles = new HashMap<>();
        int bundles = 0;
        for (CohortGenerator.PatientJourney journey : generator.stream().toList()) {
            for (CohortGenerator.Push push : journey.pushes()) {
                bundles++;
                push.bundle()
                        .get("entry")
                        .forEach(e -> e.at("/resource/meta/profile/0")
                                .asText()
                                .transform(p -> profiles.merge(p.substring(p.lastIndexOf('/') + 1), 1, Integer::sum)));
                ValidationResult result =
                        validator.validateWithResult(push.bundle().toString());
                // Errors, and the IG's warning-level invariants (grade consistent with the axes, fever, cause of
                // death):
                // the generator knows the truth, so it must never need a clinician's review.
                List<SingleValidationMessage> errors = result.getMessages().stream()
                        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                                || m.getSeverity() == ResultSeverityEnum.FATAL
                                || OWN_WARNINGS.stream().anyMatch(m.getMessage()::contains))
                        .toList();
                if (!errors.isEmpty()) {
                    failures.add(journey.hubMrn() + " " + push.label() + ":\n"
                            + errors.stream()
                                    .map(m -> "  " + m.getLocationString() + " | " + m.getMessage())
                                    .collect(Collectors.joining("\n")));
                }
            }
        }
        System.out.printf("[cohort-test] %d bundles validated; profiles: %s%n", bundles, profiles);
        assertTrue(failures.isEmpty(), failures.size() + " bundles with errors:\n" + String.join("\n", failures));
        for (String p : List.of(
                "cart-patient",
                "spoke-organization",
                "cart-product",
                "cart-infusion",
                "crs-event",
                "icans-event",
                "crs-assessment",
                "ice-score",
                "icans-assessment",
                "lab-ferritin",
                "lab-crp",
                "lab-anc",
                "lab-platelets",
                "lab-igg",
                "disease-response",
                "survival-status",
                "cart-persistence",
                "followup-visit",
                "research-consent",
                "cart-provenance")) {
            assertTrue(profiles.containsKey(p), "cohort has no " + p + ": " + profiles);
        }
    }

    @Test
    void sameSeedSameOutput() {
        String a = render(new CohortGenerator(CohortGenerator.Spec.of(42, 30)));
        String b = render(new CohortGenerator(CohortGenerator.Spec.of(42, 30)));
        String c = render(new CohortGenerator(CohortGenerator.Spec.of(43, 30)));
        assertEquals(a, b);
        assertTrue(!a.equals(c), "another seed must give another cohort");
        // A patient does not depend on its neighbours: generated alone it is the same.
        CohortGenerator g = new CohortGenerator(CohortGenerator.Spec.of(42, 30));
        assertEquals(
                g.stream().toList().get(17).pushes().get(0).bundle(),
                g.patient(17).pushes().get(0).bundle());
    }

    private static String render(CohortGenerator g) {
        StringBuilder b = new StringBuilder();
        g.stream()
                .forEach(j -> j.pushes()
                        .forEach(p ->
                                b.append(p.site().code()).append(p.bundle()).append('\n')));
        return b.toString();
    }
}
