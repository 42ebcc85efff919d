package org.cartltfu.hub.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.Role;
import org.cartltfu.hub.security.TestClients;
import org.cartltfu.hub.security.authserver.HubUsers;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;

/**
 * The web app in a real browser: Debian's Chromium driven by playwright-core ({@code src/test/browser/app.spec.mjs})
 * against this running hub, logging in through the real login page as a hub clinician and a spoke coordinator.
 * Needs {@code /usr/bin/chromium}, Node.js and {@code npm ci} in {@code src/test/browser}; {@code .ci/run} installs
 * them and sets {@code WEB_APP_TESTS=required}, without which a machine lacking them skips this test.
 */
class WebAppIT extends HubServerIT {

    private static final String PASSWORD = "web app test password";
    private static final Path BROWSER_TESTS = Path.of("src/test/browser");

    @Autowired
    private HubUsers users;

    @Autowired
    private SiteDirectory sites;

    @Test
    void clinicianAndCoordinatorUseTheAppInABrowser() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        boolean ready = Files.isExecutable(chromium)
                && Files.isDirectory(BROWSER_TESTS.resolve("node_modules/playwright-core"));
        if (!ready) {
            String missing = "needs " + chromium + " and `npm ci` in server/src/test/browser (.ci/run installs both)";
            assertTrue(!"required".equals(System.getenv("WEB_APP_TESTS")), missing);
            Assumptions.abort(missing);
        }
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        users.save("clinician.app", PASSWORD, Role.HUB, TestClients.HUB.site(), "Hub clinician");
        users.save("coordinator.app", PASSWORD, Role.SPOKE, TestClients.SPOKE_VN.site(), "Spoke coordinator");

        Journey journey = Journey.post(client, fhirContext); // Nguyễn Văn An at Bach Mai, CRS and ICANS episodes
        String formPatient = infusedDaysAgo(100, "Trần", "Thị Bích " + suffix, suffix);
        String otherName = "Tanmeiling" + suffix;
        Patient other = Fixtures.patient(
                "MY-" + suffix,
                otherName,
                "Organization/"
                        + sites.organizationId(TestClients.SPOKE_MY.site()).orElseThrow());
        String otherPatient = client.create().resource(other).execute().getId().getIdPart();

        Path shots = Path.of("..", "docs", "screenshots").toAbsolutePath().normalize();
        ProcessBuilder node = new ProcessBuilder("node", "app.spec.mjs")
                .directory(BROWSER_TESTS.toFile())
                .redirectErrorStream(true);
        Map<String, String> environment = node.environment();
        environment.put("BASE", "http://127.0.0.1:" + port);
        environment.put("PASSWORD", PASSWORD);
        environment.put("CLINICIAN", "clinician.app");
        environment.put("COORDINATOR", "coordinator.app");
        environment.put("PATIENT", new org.hl7.fhir.r4.model.IdType(journey.patient()).getIdPart());
        environment.put("VN_NAME", "Nguyễn Văn");
        environment.put("LOT", journey.lot());
        environment.put("AS_OF", LocalDate.now().toString());
        environment.put("OTHER_PATIENT", otherPatient);
        environment.put("OTHER_NAME", otherName);
        environment.put("FORM_PATIENT", formPatient);
        environment.put("FORM_SPOKE_MRN", "BM-F-" + suffix);
        environment.put("BAD_DATE", LocalDate.now().getYear() + "-02-30");
        environment.put("VISIT_DATE", LocalDate.now().toString());
        environment.put("SHOTS", shots.toString());
        environment.put("CHROMIUM", chromium.toString());
        Process run = node.start();
        // Read through this JVM's System.out: the test fork's own stdout is Surefire's channel, not a terminal.
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> new java.io.BufferedReader(
                        new java.io.InputStreamReader(run.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
                .lines()
                .forEach(line -> {
                    System.out.println("[browser] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }));
        reader.start();
        if (!run.waitFor(8, TimeUnit.MINUTES)) {
            run.destroyForcibly();
            throw new AssertionError("the browser tests did not finish within 8 minutes:\n" + output);
        }
        reader.join(10_000);
        assertEquals(0, run.exitValue(), "browser tests failed:\n" + output);
    }

    /** A Bach Mai patient of the example journey's shape (product, consent, infusion) infused {@code days} ago. */
    private String infusedDaysAgo(int days, String family, String given, String suffix) throws Exception {
        String example = new String(
                        new ClassPathResource(CarTIg.JOURNEY_BUNDLE_CLASSPATH)
                                .getInputStream()
                                .readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8)
                .replace("SGH-2024-000731", "SGH-F-" + suffix)
                .replace("BM-23-558812", "BM-F-" + suffix)
                .replace("KT24A0193", "KTF-" + suffix)
                .replace("COI-KTE-24-0042-SGH", "COI-F-" + suffix)
                .replace("C1234567", "F" + suffix)
                .replace("4821937705", "48" + Math.abs(suffix.hashCode()));
        Bundle bundle = (Bundle) fhirContext.newJsonParser().parseResource(example);
        bundle.getEntry()
                .removeIf(entry -> !Set.of(
                                "Organization", "Patient", "Consent", "BiologicallyDerivedProduct", "Procedure")
                        .contains(entry.getResource().fhirType()));
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof Procedure infusion) {
                infusion.setPerformed(
                        new DateTimeType(LocalDate.now().minusDays(days).toString()));
            } else if (entry.getResource() instanceof Patient patient) {
                patient.getName().clear();
                patient.addName().setFamily(family).addGiven(given).setText(family + " " + given);
            }
        }
        Bundle response = client.transaction().withBundle(bundle).execute();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            if (bundle.getEntry().get(i).getResource() instanceof Patient) {
                return new org.hl7.fhir.r4.model.IdType(
                                response.getEntry().get(i).getResponse().getLocation())
                        .getIdPart();
            }
        }
        throw new AssertionError("no patient in the bundle");
    }
}
