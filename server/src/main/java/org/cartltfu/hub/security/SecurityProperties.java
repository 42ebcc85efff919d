package org.cartltfu.hub.security;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;

/**
 * Who may call the hub and how tokens are checked (prefix {@code hub.security}); every default lives in
 * {@code application.yaml}.
 *
 * @param enabled false turns authentication and authorization off: development only, never with real data
 * @param token the built-in SMART Backend Services token endpoint
 * @param external an external identity provider that replaces the built-in endpoint when its issuer is set
 * @param claims names of the access-token claims the hub reads (so an external provider's names can be used)
 * @param clients clients registered in configuration (written to the database at every start)
 * @param login how people log in (SMART App Launch)
 * @param refusalFloor the least time from a request's arrival to an error answer (or a batch answer holding a "not
 *     found") for anyone but the hub: refusing another site's data and missing absent data then take the same time
 *     as long as both are faster than this
 */
@ConfigurationProperties("hub.security")
public record SecurityProperties(
        boolean enabled,
        Token token,
        External external,
        Claims claims,
        List<Client> clients,
        Login login,
        Duration refusalFloor) {

    public SecurityProperties {
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    public boolean externalProvider() {
        return external != null && StringUtils.hasText(external.issuer());
    }

    /**
     * @param issuer {@code iss} of the access tokens the hub issues
     * @param publicUrl the absolute token URL clients put in {@code aud}; empty means taken from each request
     * @param accessTokenLifetime how long an issued access token is valid
     * @param maxAssertionLifetime the longest {@code exp - now} accepted in a client assertion (SMART: 5 minutes)
     * @param clockSkew tolerance for clocks of clients
     * @param signingKey the hub's private signing key as a JWK (JSON); empty means the key stored in the database
     *     (made at the first start)
     * @param refreshTokenLifetime how long a person's refresh token is valid (each use issues a new one)
     */
    public record Token(
            String issuer,
            String publicUrl,
            Duration accessTokenLifetime,
            Duration maxAssertionLifetime,
            Duration clockSkew,
            String signingKey,
            Duration refreshTokenLifetime) {}

    /**
     * @param maxFailures wrong passwords in a row after which an account is locked
     * @param lockout how long a locked account stays locked
     */
    public record Login(int maxFailures, Duration lockout) {}

    /**
     * @param issuer the provider's issuer; when set, the built-in token endpoint is off
     * @param jwksUri where the provider publishes its signing keys
     * @param tokenUrl the provider's token endpoint, advertised in the SMART configuration
     */
    public record External(String issuer, String jwksUri, String tokenUrl) {}

    /**
     * @param client the client id
     * @param role hub, spoke or registry
     * @param site the site identifier value (system {@code CarTIg.SID_SITE})
     * @param scope space-separated SMART scopes
     */
    public record Claims(String client, String role, String site, String scope) {}

    /**
     * @param id the OAuth client id ({@code iss} and {@code sub} of its assertions)
     * @param role what the client is
     * @param site the value of its site Organization's identifier
     * @param scopes the SMART system scopes it may be granted, e.g. {@code system/Observation.cu}
     * @param jwks its public keys as a JWK Set (JSON), or
     * @param jwksUri where it publishes them (keys rotate without a change here)
     */
    public record Client(String id, Role role, String site, Set<String> scopes, String jwks, String jwksUri) {}
}
