package org.cartltfu.hub.security.admin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.cartltfu.hub.config.EmbeddedPostgresConfig;
import org.cartltfu.hub.config.HubProperties;
import org.cartltfu.hub.security.AuthSchema;
import org.cartltfu.hub.security.ClientRegistry;
import org.cartltfu.hub.security.Endpoints;
import org.cartltfu.hub.security.Role;
import org.cartltfu.hub.security.SecurityProperties;
import org.cartltfu.hub.security.authserver.HubUsers;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * {@code java -jar cart-ltfu-server.jar admin <client|app|user> --name=value ...}: onboarding without code. It opens
 * the hub's database only (no FHIR server), registers what it is asked to, and prints what to hand over. A client's
 * key pair is made here: the private key is printed once and never stored; only its public JWK is. The running hub
 * sees new clients and users at once; a new site gets its Organization at the hub's next start.
 */
public final class AdminCommand {

    private static final String USAGE = """
			Usage: java -jar cart-ltfu-server.jar admin <command> [--option=value ...] [--spring.datasource.url=...]
			  client  --id=ID --role=hub|spoke|registry --site=SITE [--scopes="system/*.cruds"] [--jwks-uri=URL] [--key=ec|rsa]
			          a SMART Backend Services client; without --jwks-uri a key pair is made (EC P-384, or RSA 2048)
			          and its private key printed once as JWK and PEM (only the public key is stored)
			  app     --id=ID --redirect-uri=URL[,URL] [--public] [--scopes="openid fhirUser offline_access user/*.cruds"]
			          an app people log in through (SMART App Launch); a confidential app's secret is printed once
			  user    --username=NAME --role=hub|spoke|registry --site=SITE [--password=...] [--name="Display name"]
			          a person; without --password one is generated and printed once
			  --hub-url=URL  the hub's public address, for the printed instructions (default http://localhost:8080)
			The embedded database can be opened by one process at a time: stop the hub first, or use an external
			PostgreSQL (spring.datasource.url/username/password), which the running hub and this command share.
			""";

    private AdminCommand() {}

    /** Runs one admin command; returns the exit status. */
    public static int run(String[] args, PrintStream out) {
        if (args.length < 2 || !Set.of("client", "app", "user").contains(args[1])) {
            out.print(USAGE);
            return args.length >= 2 && args[1].equals("help") ? 0 : 2;
        }
        Map<String, String> options = options(Arrays.copyOfRange(args, 2, args.length));
        String[] springArgs = Arrays.stream(args)
                .filter(arg -> arg.startsWith("--spring.") || arg.startsWith("--hub."))
                .toArray(String[]::new);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Database.class)
                .web(WebApplicationType.NONE)
                .bannerMode(org.springframework.boot.Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("logging.level.root=WARN")
                .run(springArgs)) {
            String hubUrl =
                    options.getOrDefault("hub-url", "http://localhost:8080").replaceAll("/$", "");
            switch (args[1]) {
                case "client" -> client(context.getBean(ClientRegistry.class), options, hubUrl, out);
                case "app" -> app(context.getBean(ClientRegistry.class), options, hubUrl, out);
                default -> user(context.getBean(HubUsers.class), options, hubUrl, out);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            out.println("Refused: " + e.getMessage());
            return 2;
        }
    }

    private static void client(ClientRegistry clients, Map<String, String> options, String hubUrl, PrintStream out) {
        String id = required(options, "id");
        Role role = role(required(options, "role"));
        String site = required(options, "site");
        Set<String> scopes =
                Set.of(options.getOrDefault("scopes", role == Role.REGISTRY ? "system/*.rs" : "system/*.cruds")
                        .trim()
                        .split("\\s+"));
        String jwksUri = options.get("jwks-uri");
        JWK key = null;
        String jwks = null;
        if (jwksUri == null) {
            key = newKey(id, options.getOrDefault("key", "ec"));
            jwks = new JWKSet(key.toPublicJWK()).toString();
        }
        clients.saveSystem(id, role, site, scopes, jwks, jwksUri);
        out.println("Registered client " + id + " (" + role.name().toLowerCase(Locale.ROOT) + ", site " + site
                + ", scopes " + String.join(" ", scopes) + ").");
        out.println();
        out.println("Give the other hospital:");
        out.println("  FHIR base URL:  " + hubUrl + "/fhir");
        out.println("  Token URL:      " + hubUrl + Endpoints.TOKEN_PATH + "   (the 'aud' of every client assertion)");
        out.println("  Client id:      " + id + "   ('iss' and 'sub' of every client assertion)");
        out.println("  Scopes:         " + String.join(" ", scopes));
        if (key != null) {
            out.println("  Signing:        " + key.getAlgorithm() + ", key id " + key.getKeyID()
                    + ", with this private key (shown once, not stored by the hub), as a JWK and as PKCS#8 PEM:");
            out.println(key.toJSONString());
            out.println(pem(key));
        } else {
            out.println("  Signing:        RS384 or ES384 with a key published at " + jwksUri);
        }
        out.println("Discovery: " + hubUrl + "/fhir/.well-known/smart-configuration");
    }

    private static void app(ClientRegistry clients, Map<String, String> options, String hubUrl, PrintStream out) {
        String id = required(options, "id");
        Set<String> redirects = Set.of(required(options, "redirect-uri").split(","));
        Set<String> scopes =
                Set.of(options.getOrDefault("scopes", "openid fhirUser offline_access user/*.cruds user/*.rs")
                        .trim()
                        .split("\\s+"));
        String secret = options.containsKey("public") ? null : randomSecret();
        clients.saveApp(id, secret, redirects, scopes);
        out.println("Registered " + (secret == null ? "public" : "confidential") + " app " + id + ".");
        out.println("  Authorize URL:  " + hubUrl + Endpoints.AUTHORIZE_PATH + "   (PKCE S256 required)");
        out.println("  Token URL:      " + hubUrl + Endpoints.TOKEN_PATH);
        out.println("  Redirect URIs:  " + String.join(" ", redirects));
        if (secret != null) {
            out.println("  Client secret (HTTP Basic; shown once, stored only as a hash): " + secret);
        }
    }

    private static void user(HubUsers users, Map<String, String> options, String hubUrl, PrintStream out) {
        String username = required(options, "username");
        Role role = role(required(options, "role"));
        String site = required(options, "site");
        String password = options.get("password");
        boolean generated = password == null;
        if (generated) {
            password = randomSecret();
        }
        users.save(username, password, role, site, options.get("name"));
        out.println(
                "Registered user " + username + " (" + role.name().toLowerCase(Locale.ROOT) + ", site " + site + ").");
        out.println("  Logs in at " + hubUrl + "/login when an app sends them there.");
        if (generated) {
            out.println("  Password (shown once, stored only as a hash): " + password);
        }
    }

    /** A new key pair: EC P-384 (ES384) by default, RSA 2048 (RS384, which openssl can sign with) on request. */
    private static JWK newKey(String id, String type) {
        String kid = id + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            return switch (type) {
                case "ec" ->
                    new ECKeyGenerator(Curve.P_384)
                            .keyUse(KeyUse.SIGNATURE)
                            .algorithm(JWSAlgorithm.ES384)
                            .keyID(kid)
                            .generate();
                case "rsa" ->
                    new RSAKeyGenerator(2048)
                            .keyUse(KeyUse.SIGNATURE)
                            .algorithm(JWSAlgorithm.RS384)
                            .keyID(kid)
                            .generate();
                default -> throw new IllegalArgumentException("--key must be ec or rsa, not " + type);
            };
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as PKCS#8 PEM (for openssl, and for the bench loader's keys folder). */
    static String pem(JWK key) {
        try {
            byte[] der = key instanceof ECKey ec
                    ? ec.toECPrivateKey().getEncoded()
                    : ((RSAKey) key).toRSAPrivateKey().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .encodeToString(der)
                    + "\n-----END PRIVATE KEY-----";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Role role(String name) {
        try {
            return Role.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--role must be hub, spoke or registry, not " + name);
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("not an option: " + arg);
            }
            int equals = arg.indexOf('=');
            options.put(
                    equals < 0 ? arg.substring(2) : arg.substring(2, equals),
                    equals < 0 ? "" : arg.substring(equals + 1));
        }
        return options;
    }

    /**
     * Just the database and the registries: what the admin command needs, without the FHIR server. Not annotated
     * {@code @Configuration}, so that the hub's component scan leaves it alone.
     */
    @ImportAutoConfiguration(DataSourceAutoConfiguration.class)
    @EnableConfigurationProperties({HubProperties.class, SecurityProperties.class})
    @Import({EmbeddedPostgresConfig.class, AuthSchema.class, ClientRegistry.class, HubUsers.class})
    static class Database {
        @Bean
        RegisteredClientRepository registeredClientRepository(AuthSchema schema) {
            return new JdbcRegisteredClientRepository(schema.jdbc());
        }
    }
}
