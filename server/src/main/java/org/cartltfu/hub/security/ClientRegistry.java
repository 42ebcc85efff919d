package org.cartltfu.hub.security;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The hub's OAuth clients, kept in the authorization server's {@code oauth2_registered_client} table with their role
 * and site as client settings. Clients in {@code hub.security.clients} are written there at every start (a broken
 * entry stops the start); the admin command adds more without a restart.
 */
@Component
public class ClientRegistry {

    /** Client settings the hub adds to Spring Authorization Server's own. */
    static final String ROLE = "hub.role";

    static final String SITE = "hub.site";
    static final String JWKS = "hub.jwks";

    private final RegisteredClientRepository repository;
    private final AuthSchema schema;
    private final SecurityProperties properties;
    private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    public ClientRegistry(RegisteredClientRepository repository, AuthSchema schema, SecurityProperties properties) {
        this.repository = repository;
        this.schema = schema;
        this.properties = properties;
        for (SecurityProperties.Client client : properties.clients()) {
            if (client.id() == null || client.role() == null || client.site() == null) {
                throw new IllegalStateException("hub.security.clients entry needs id, role and site: " + client.id());
            }
            saveSystem(
                    client.id(),
                    client.role(),
                    client.site(),
                    client.scopes() == null ? Set.of() : client.scopes(),
                    client.jwks(),
                    client.jwksUri());
        }
        List<String> ids =
                properties.clients().stream().map(SecurityProperties.Client::id).toList();
        if (new HashSet<>(ids).size() != ids.size()) {
            throw new IllegalStateException("hub.security.clients registers a client twice: " + ids);
        }
    }

    /**
     * Registers (or replaces) a SMART Backend Services client: private_key_jwt with either an inline JWK Set of
     * public keys or a {@code jwks_uri} the hub reads them from (keys then rotate without touching the hub).
     */
    public RegisteredClient saveSystem(
            String id, Role role, String site, Set<String> scopes, String jwks, String jwksUri) {
        checkId(id);
        String where = "client " + id;
        if (StringUtils.hasText(jwks) == StringUtils.hasText(jwksUri)) {
            throw new IllegalArgumentException(where + " needs exactly one of jwks and jwks-uri");
        }
        ClientSettings.Builder settings = ClientSettings.builder()
                .requireProofKey(false)
                .requireAuthorizationConsent(false)
                .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384)
                .setting(ROLE, role.name())
                .setting(SITE, site);
        if (StringUtils.hasText(jwks)) {
            JWKSet keys;
            try {
                keys = JWKSet.parse(jwks);
            } catch (ParseException e) {
                throw new IllegalArgumentException(where + ": jwks is not a JWK Set", e);
            }
            if (keys.getKeys().isEmpty() || keys.getKeys().stream().anyMatch(key -> key.isPrivate())) {
                throw new IllegalArgumentException(where + ": jwks must hold public keys only, at least one");
            }
            settings.setting(JWKS, keys.toString(true));
        } else {
            URI uri = URI.create(jwksUri);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException(where + ": jwks-uri must be an http(s) URL");
            }
            settings.jwkSetUrl(jwksUri);
        }
        for (String scope : scopes) {
            if (!scope.startsWith("system/") || SmartScope.parse(scope).isEmpty()) {
                throw new IllegalArgumentException(where + ": not a SMART system scope: " + scope);
            }
        }
        RegisteredClient client = RegisteredClient.withId(id)
                .clientId(id)
                .clientName(id)
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(granted -> granted.addAll(scopes))
                .clientSettings(settings.build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(properties.token().accessTokenLifetime())
                        .build())
                .build();
        repository.save(client);
        return client;
    }

    /**
     * Registers (or replaces) an app people log in through (SMART App Launch, standalone): authorization code with
     * PKCE (S256) at one of its registered redirect URIs, OpenID Connect, user-level scopes. With a secret it is a
     * confidential app (client_secret_basic) that also gets refresh tokens; without one a public app (browser).
     * A person's token takes its role and site from the person, never from the app.
     *
     * @param secret the client secret in clear, hashed here; null for a public app
     */
    public RegisteredClient saveApp(String id, String secret, Set<String> redirectUris, Set<String> scopes) {
        return saveApp(id, secret, redirectUris, scopes, properties.token().accessTokenLifetime());
    }

    /** As above, with the lifetime of the app's access tokens (a public app gets no refresh token). */
    public RegisteredClient saveApp(
            String id,
            String secret,
            Set<String> redirectUris,
            Set<String> scopes,
            java.time.Duration accessTokenLifetime) {
        checkId(id);
        if (redirectUris.isEmpty()) {
            throw new IllegalArgumentException("app " + id + " needs at least one redirect URI");
        }
        for (String scope : scopes) {
            if (!APP_SCOPES.contains(scope)
                    && (!scope.startsWith("user/") || SmartScope.parse(scope).isEmpty())) {
                throw new IllegalArgumentException("app " + id + ": not a SMART user or OpenID scope: " + scope);
            }
        }
        RegisteredClient.Builder app = RegisteredClient.withId(id)
                .clientId(id)
                .clientName(id)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUris(uris -> uris.addAll(redirectUris))
                .scopes(granted -> granted.addAll(scopes))
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)
                        .requireAuthorizationConsent(false)
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(accessTokenLifetime)
                        .refreshTokenTimeToLive(properties.token().refreshTokenLifetime())
                        .reuseRefreshTokens(false)
                        .build());
        if (secret == null) {
            app.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        } else {
            app.clientSecret(passwords.encode(secret))
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN);
        }
        RegisteredClient client = app.build();
        repository.save(client);
        return client;
    }

    /** Scopes an app may ask for besides user/ scopes. */
    public static final Set<String> APP_SCOPES = Set.of("openid", "fhirUser", "profile", "offline_access");

    private static void checkId(String id) {
        // No ':' so that no client id can look like a person's identity in a token ("user:<name>").
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("a client id is 1 to 100 letters, digits or . _ -: " + id);
        }
    }

    public Optional<RegisteredClient> find(String clientId) {
        return Optional.ofNullable(repository.findByClientId(clientId));
    }

    /** The role a client (system or app) was registered with; empty for an app whose tokens carry a user's role. */
    public static Optional<Role> role(RegisteredClient client) {
        String role = client.getClientSettings().getSetting(ROLE);
        return Optional.ofNullable(role).map(name -> Role.valueOf(name.toUpperCase(Locale.ROOT)));
    }

    public static Optional<String> site(RegisteredClient client) {
        return Optional.ofNullable(client.getClientSettings().getSetting(SITE));
    }

    /** The inline public keys of a client, if it registered them rather than a jwks_uri. */
    public static Optional<String> jwks(RegisteredClient client) {
        return Optional.ofNullable(client.getClientSettings().getSetting(JWKS));
    }

    /** The site identifier values of all registered clients and users. */
    public Set<String> sites() {
        Set<String> sites = new HashSet<>();
        for (String clientId :
                schema.jdbc().queryForList("SELECT client_id FROM oauth2_registered_client", String.class)) {
            find(clientId).flatMap(ClientRegistry::site).ifPresent(sites::add);
        }
        sites.addAll(schema.jdbc().queryForList("SELECT DISTINCT site FROM hub_user", String.class));
        return sites;
    }
}
