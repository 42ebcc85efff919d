package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWK;
import com.zaxxer.hikari.HikariDataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.admin.AdminCommand;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Onboarding without code: the admin command, run against the running hub's database (as with an external
 * PostgreSQL), registers a new spoke; the private key it prints once is all the spoke needs to get a token and push
 * a transaction. The command refuses bad input without registering anything.
 */
class AdminOnboardingIT extends HubServerIT {

    @Autowired
    private DataSource dataSource;

    @Autowired
    private SiteDirectory sites;

    @Autowired
    private ClientRegistry clients;

    private record Run(int status, String output) {}

    private Run admin(String... args) {
        HikariDataSource database = (HikariDataSource) dataSource;
        String[] all = new String[args.length + 4];
        all[0] = "admin";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--spring.datasource.url=" + database.getJdbcUrl();
        all[args.length + 2] = "--spring.datasource.username=" + database.getUsername();
        all[args.length + 3] = "--hub-url=" + serverRoot();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = AdminCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void newSpokeGoesFromNothingToPushingATransaction() throws Exception {
        String site = "th-" + UUID.randomUUID().toString().substring(0, 8);
        String clientId = "spoke-" + site;
        Run run = admin("client", "--id=" + clientId, "--role=spoke", "--site=" + site);
        assertEquals(0, run.status(), run.output());
        assertTrue(run.output().contains(serverRoot() + "/auth/token"), run.output());
        Matcher printed = Pattern.compile("(\\{\"kty\":\"EC\".*\\})").matcher(run.output());
        assertTrue(printed.find(), run.output());
        JWK privateKey = JWK.parse(printed.group(1));
        assertTrue(privateKey.isPrivate());
        String stored =
                ClientRegistry.jwks(clients.find(clientId).orElseThrow()).orElseThrow();
        assertFalse(stored.contains("\"d\""), "the private key was stored: " + stored);

        // What the hub does at its next start for a new site (or a hub administrator over FHIR).
        String organization = "Organization/" + sites.provision(site);
        String tokenUrl = serverRoot() + "/auth/token";
        String token = TestClients.requestToken(
                        tokenUrl,
                        TestClients.assertion(
                                clientId,
                                privateKey,
                                tokenUrl,
                                Duration.ofMinutes(4),
                                UUID.randomUUID().toString()),
                        "system/*.cruds")
                .accessToken();

        Patient patient = Fixtures.patient("MRN-" + UUID.randomUUID(), "Onboarded", organization);
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setResource(patient)
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        HttpResponse<String> pushed = send(HttpRequest.newBuilder(URI.create(baseUrl()))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        fhirContext.newJsonParser().encodeResourceToString(transaction))));
        assertEquals(200, pushed.statusCode(), pushed.body());
    }

    @Test
    void userAndAppAreRegisteredAndSecretsPrintedOnce() {
        Run user = admin(
                "user",
                "--username=coordinator." + UUID.randomUUID().toString().substring(0, 6),
                "--role=spoke",
                "--site=vn-bachmai");
        assertEquals(0, user.status(), user.output());
        assertTrue(user.output().contains("Password (shown once"), user.output());
        Run app = admin(
                "app",
                "--id=app-" + UUID.randomUUID().toString().substring(0, 6),
                "--redirect-uri=https://app.example/callback");
        assertEquals(0, app.status(), app.output());
        assertTrue(app.output().contains("Client secret"), app.output());
    }

    @Test
    void badInputIsRefusedAndNothingRegistered() {
        for (String[] args : new String[][] {
            {"client", "--id=bad-role", "--role=doctor", "--site=x"},
            {"client", "--id=no-site", "--role=spoke"},
            {"client", "--id=bad-scope", "--role=spoke", "--site=x", "--scopes=patient/*.read"},
            {"client", "--id=user:alice", "--role=spoke", "--site=x"},
            {"user", "--username=short.pw", "--role=spoke", "--site=x", "--password=short"}
        }) {
            Run run = admin(args);
            assertEquals(2, run.status(), String.join(" ", args) + ": " + run.output());
            assertTrue(run.output().startsWith("Refused: "), run.output());
            if (args[0].equals("client")) {
                assertTrue(clients.find(args[1].substring("--id=".length())).isEmpty(), String.join(" ", args));
            }
        }
    }
}
