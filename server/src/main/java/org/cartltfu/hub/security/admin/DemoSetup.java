package org.cartltfu.hub.security.admin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.cartltfu.hub.security.ClientRegistry;
import org.cartltfu.hub.security.Role;
import org.cartltfu.hub.security.authserver.HubUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The demo profile ({@code java -jar cart-ltfu-server.jar demo}): demo sites, people, apps and clients so that a
 * newcomer has something to log into. Demo only: fixed, printed passwords and client keys written to a folder, so it
 * refuses to listen anywhere but on the loopback address. The 20-patient demo cohort comes from the bench module's
 * loader (the server does not depend on it): started in the background when its jar is there, else its command printed.
 */
@Component
@Profile("demo")
public class DemoSetup {

    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);
    static final String PASSWORD = "demo-password-not-for-real-use";

    /** The demo cohort's sites (bench's {@code Site}), the hub first; each gets a client whose id is its code. */
    private static final List<String> SPOKES = List.of("vn-bachmai", "in-aiims", "my-hkl", "cn-pumch");

    private static final String HUB_SITE = "sg-sgh";

    private final Path keys;
    private final String appSecret;
    private final ClientRegistry clients;

    public DemoSetup(Environment environment, ClientRegistry clients, HubUsers users) throws IOException {
        String address = environment.getProperty("server.address", "");
        if (address.isBlank() || !InetAddress.getByName(address).isLoopbackAddress()) {
            throw new IllegalStateException("The demo profile has printed passwords and keys on disk: it listens on "
                    + "127.0.0.1 only (server.address is '" + address + "'). Use the admin command for a real hub.");
        }
        keys = Path.of(environment.getProperty("hub.demo.keys-dir", "data/demo-keys"));
        Files.createDirectories(keys);
        client(clients, HUB_SITE, Role.HUB, HUB_SITE);
        for (String spoke : SPOKES) {
            client(clients, spoke, Role.SPOKE, spoke);
        }
        users.save("clinician", PASSWORD, Role.HUB, HUB_SITE, "Demo hub clinician");
        users.save("coordinator", PASSWORD, Role.SPOKE, "vn-bachmai", "Demo spoke coordinator (Bach Mai)");
        users.save("analyst", PASSWORD, Role.REGISTRY, "us-cibmtr", "Demo registry analyst");
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        appSecret = HexFormat.of().formatHex(secret);
        this.clients = clients;
    }

    /** A demo client with a new P-384 key pair; the private key goes to {@code <site>.pem} for the cohort loader. */
    private void client(ClientRegistry clients, String id, Role role, String site) throws IOException {
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_384)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES384)
                    .keyID(id + "-demo")
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        Files.writeString(keys.resolve(id + ".pem"), AdminCommand.pem(key) + "\n");
        Files.writeString(keys.resolve(id + ".kid"), key.getKeyID());
        clients.saveSystem(id, role, site, Set.of("system/*.cruds"), new JWKSet(key.toPublicJWK()).toString(), null);
    }

    String appSecret() {
        return appSecret;
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce(ApplicationReadyEvent ready) {
        int port = ((WebServerApplicationContext) ready.getApplicationContext())
                .getWebServer()
                .getPort();
        String root = "http://127.0.0.1:" + port;
        // The demo pages' own app (confidential, its secret only in memory), at both names of the loopback address.
        clients.saveApp(
                DemoPages.APP,
                appSecret,
                Set.of(root + DemoPages.CALLBACK, "http://localhost:" + port + DemoPages.CALLBACK),
                Set.of("openid", "fhirUser", "offline_access", "user/*.cruds", "user/*.rs"));
        Path loader = Path.of(ready.getApplicationContext()
                .getEnvironment()
                .getProperty("hub.demo.loader-jar", "bench/target/cart-ltfu-bench.jar"));
        List<String> load = List.of(
                "java",
                "-jar",
                loader.toString(),
                "demo",
                "--server",
                root + "/fhir",
                "--patients",
                "20",
                "--auth-keys",
                keys.toString());
        StringBuilder banner = new StringBuilder(
                        "\n\n==================== DEMO HUB (not for real data) ====================\n")
                .append("Web app:     ")
                .append(root)
                .append("/app/")
                .append('\n')
                .append("Token page:  ")
                .append(root)
                .append(DemoPages.PATH)
                .append(" (a token and curl queries)\n")
                .append("People:      clinician (hub, sg-sgh), coordinator (spoke, vn-bachmai), analyst (registry)\n")
                .append("Password:    ")
                .append(PASSWORD)
                .append('\n')
                .append("Client keys: ")
                .append(keys.toAbsolutePath())
                .append(" (one per demo site, id = site code)\n");
        if (Files.isRegularFile(loader)) {
            banner.append("Cohort:      loading 20 demo patients in the background (")
                    .append(loader)
                    .append(")\n");
            startLoader(load);
        } else {
            banner.append(
                            "Cohort:      build the bench module (./mvnw -DskipTests package), then load it with\n             ")
                    .append(String.join(" ", load))
                    .append('\n');
        }
        log.warn(banner.append("=====================================================================\n")
                .toString());
    }

    private static void startLoader(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .start();
            process.onExit()
                    .thenAccept(done -> log.warn("Demo cohort loader finished with exit code {}", done.exitValue()));
        } catch (IOException e) {
            log.warn("Could not start the demo cohort loader {}: {}", command, e.getMessage());
        }
    }
}
