package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cartltfu.hub.security.authserver.HubUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** Registering clients and apps in the authorization server's table: what is refused, and what is kept. */
class ClientRegistryTest {

    private static AuthDatabase database;
    private static ECKey key;
    private static String publicJwks;

    private ClientRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        database = new AuthDatabase();
        key = new ECKeyGenerator(Curve.P_384).keyID("k1").generate();
        publicJwks = new JWKSet(key.toPublicJWK()).toString();
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @BeforeEach
    void emptyRegistry() {
        database.schema().jdbc().update("DELETE FROM oauth2_registered_client");
        database.schema().jdbc().update("DELETE FROM hub_user");
        registry = new ClientRegistry(database.clients(), database.schema(), ShippedSecurity.properties());
    }

    private IllegalArgumentException refusedSystem(String id, Set<String> scopes, String jwks, String jwksUri) {
        return assertThrows(
                IllegalArgumentException.class,
                () -> registry.saveSystem(id, Role.SPOKE, "vn-bachmai", scopes, jwks, jwksUri));
    }

    @Test
    void aSystemClientIsStoredWithItsRoleSiteKeysAndScopes() throws Exception {
        registry.saveSystem("spoke-bachmai", Role.SPOKE, "vn-bachmai", Set.of("system/*.cruds"), publicJwks, null);
        RegisteredClient stored = registry.find("spoke-bachmai").orElseThrow();
        assertEquals(Optional.of(Role.SPOKE), ClientRegistry.role(stored));
        assertEquals(Optional.of("vn-bachmai"), ClientRegistry.site(stored));
        assertEquals(
                key.toPublicJWK(),
                JWKSet.parse(ClientRegistry.jwks(stored).orElseThrow()).getKeyByKeyId("k1"));
        assertEquals(Set.of("system/*.cruds"), stored.getScopes());
        assertEquals(Set.of(ClientAuthenticationMethod.PRIVATE_KEY_JWT), stored.getClientAuthenticationMethods());
        assertEquals(Set.of(AuthorizationGrantType.CLIENT_CREDENTIALS), stored.getAuthorizationGrantTypes());
        assertEquals(Duration.ofMinutes(5), stored.getTokenSettings().getAccessTokenTimeToLive());
        assertEquals(Optional.empty(), registry.find("nobody"));
    }

    @Test
    void registeringAgainReplacesTheClient() {
        registry.saveSystem("spoke-bachmai", Role.SPOKE, "vn-bachmai", Set.of("system/*.cruds"), publicJwks, null);
        registry.saveSystem(
                "spoke-bachmai",
                Role.SPOKE,
                "vn-bachmai",
                Set.of("system/*.rs"),
                null,
                "https://spoke.example.org/jwks.json");
        RegisteredClient stored = registry.find("spoke-bachmai").orElseThrow();
        assertEquals(Set.of("system/*.rs"), stored.getScopes());
        assertEquals(
                "https://spoke.example.org/jwks.json",
                stored.getClientSettings().getJwkSetUrl());
        assertEquals(Optional.empty(), ClientRegistry.jwks(stored), "the old inline keys no longer count");
    }

    @Test
    void aClientNeedsExactlyOneKeySourceOfPublicKeys() throws Exception {
        assertEquals(
                "client x needs exactly one of jwks and jwks-uri",
                refusedSystem("x", Set.of(), null, null).getMessage());
        refusedSystem("x", Set.of(), publicJwks, "https://spoke.example.org/jwks.json");
        assertEquals(
                "client x: jwks must hold public keys only, at least one",
                refusedSystem("x", Set.of(), new JWKSet(key).toString(false), null)
                        .getMessage(),
                "a private key handed to the hub is refused, not stored");
        refusedSystem("x", Set.of(), "{\"keys\":[]}", null);
        assertEquals(
                "client x: jwks is not a JWK Set",
                refusedSystem("x", Set.of(), "{not json", null).getMessage());
        for (String uri : List.of("file:///etc/passwd", "ftp://spoke.example.org/jwks", "jwks.json")) {
            assertEquals(
                    "client x: jwks-uri must be an http(s) URL",
                    refusedSystem("x", Set.of(), null, uri).getMessage());
        }
        assertFalse(registry.find("x").isPresent());
    }

    @Test
    void aClientIdCannotLookLikeAPerson() {
        for (String id : List.of("user:alice", "", "a b", "x".repeat(101), "spoke/../hub")) {
            assertTrue(
                    refusedSystem(id, Set.of(), publicJwks, null).getMessage().startsWith("a client id is"), id);
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> registry.saveSystem(null, Role.HUB, "sg-hub", Set.of(), publicJwks, null));
    }

    @Test
    void aSystemClientGetsSystemScopesOnly() {
        for (String scope : List.of("user/*.rs", "openid", "system/*", "system/Patient.rc", "patient/*.rs")) {
            assertEquals(
                    "client x: not a SMART system scope: " + scope,
                    refusedSystem("x", Set.of(scope), publicJwks, null).getMessage());
        }
    }

    @Test
    void anAppGetsUserAndOpenIdScopesAndARedirectUri() {
        RegisteredClient web = registry.saveApp(
                "web", null, Set.of("https://hub.example.org/app/"), Set.of("openid", "fhirUser", "user/*.cruds"));
        assertEquals(Set.of(ClientAuthenticationMethod.NONE), web.getClientAuthenticationMethods());
        assertTrue(web.getClientSettings().isRequireProofKey(), "PKCE");
        assertEquals(Optional.empty(), ClientRegistry.role(web), "a person's token takes the person's role");
        RegisteredClient confidential = registry.saveApp(
                "portal",
                "a-long-client-secret",
                Set.of("https://portal.example.org/cb"),
                Set.of("openid", "offline_access", "user/*.rs"));
        assertTrue(confidential.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN));
        assertTrue(confidential.getClientSecret().startsWith("{bcrypt}"), "stored hashed");
        assertFalse(confidential.getClientSecret().contains("a-long-client-secret"));

        assertThrows(IllegalArgumentException.class, () -> registry.saveApp("web2", null, Set.of(), Set.of("openid")));
        for (String scope : List.of("system/*.rs", "launch", "user/Patient", "email")) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> registry.saveApp("web2", null, Set.of("https://x.example/cb"), Set.of(scope)),
                    scope);
        }
        assertFalse(registry.find("web2").isPresent());
    }

    @Test
    void clientsFromConfigurationAreWrittenAtStartAndABrokenEntryStopsIt() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("hub.security.clients[0].id", "hub-sgh");
        settings.put("hub.security.clients[0].role", "HUB");
        settings.put("hub.security.clients[0].site", "sg-hub");
        settings.put("hub.security.clients[0].scopes", "system/*.cruds");
        settings.put("hub.security.clients[0].jwks", publicJwks);
        new ClientRegistry(database.clients(), database.schema(), ShippedSecurity.properties(settings));
        assertEquals(Optional.of(Role.HUB), registry.find("hub-sgh").flatMap(ClientRegistry::role));

        Map<String, Object> twice = new HashMap<>(settings);
        twice.put("hub.security.clients[1].id", "hub-sgh");
        twice.put("hub.security.clients[1].role", "SPOKE");
        twice.put("hub.security.clients[1].site", "vn-bachmai");
        twice.put("hub.security.clients[1].jwks", publicJwks);
        assertTrue(assertThrows(
                        IllegalStateException.class,
                        () -> new ClientRegistry(
                                database.clients(), database.schema(), ShippedSecurity.properties(twice)))
                .getMessage()
                .contains("registers a client twice"));

        Map<String, Object> noSite = new HashMap<>(settings);
        noSite.remove("hub.security.clients[0].site");
        assertTrue(assertThrows(
                        IllegalStateException.class,
                        () -> new ClientRegistry(
                                database.clients(), database.schema(), ShippedSecurity.properties(noSite)))
                .getMessage()
                .contains("needs id, role and site"));
    }

    @Test
    void theSitesAreThoseOfClientsAndPeople() {
        registry.saveSystem("spoke-bachmai", Role.SPOKE, "vn-bachmai", Set.of(), publicJwks, null);
        registry.saveApp("web", null, Set.of("https://hub.example.org/app/"), Set.of("openid"));
        new HubUsers(database.schema(), ShippedSecurity.properties())
                .save("coordinator", "a-long-password", Role.SPOKE, "my-ummc", "Coordinator");
        assertEquals(Set.of("vn-bachmai", "my-ummc"), registry.sites());
    }
}
