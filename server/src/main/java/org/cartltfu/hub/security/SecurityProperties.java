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
 * @param siteSystem the identifier system of site Organizations
 * @param clients the registered clients
 */
@ConfigurationProperties("hub.security")
public record SecurityProperties(
		boolean enabled,
		Token token,
		External external,
		Claims claims,
		String siteSystem,
		List<Client> clients) {

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
	 * @param signingKey the hub's private signing key as a JWK (JSON); empty means a fresh key at each start
	 *     (tokens then do not survive a restart, and several instances cannot share tokens)
	 */
	public record Token(
			String issuer,
			String publicUrl,
			Duration accessTokenLifetime,
			Duration maxAssertionLifetime,
			Duration clockSkew,
			String signingKey) {}

	/**
	 * @param issuer the provider's issuer; when set, the built-in token endpoint is off
	 * @param jwksUri where the provider publishes its signing keys
	 * @param tokenUrl the provider's token endpoint, advertised in the SMART configuration
	 */
	public record External(String issuer, String jwksUri, String tokenUrl) {}

	/**
	 * @param client the client id
	 * @param role hub, spoke or registry
	 * @param site the site identifier value (system is {@code siteSystem})
	 * @param scope space-separated SMART scopes
	 */
	public record Claims(String client, String role, String site, String scope) {}

	/**
	 * @param id the OAuth client id ({@code iss} and {@code sub} of its assertions)
	 * @param role what the client is
	 * @param site the value of its site Organization's identifier
	 * @param scopes the SMART system scopes it may be granted, e.g. {@code system/Observation.cu}
	 * @param jwks its public keys as a JWK Set (JSON)
	 */
	public record Client(String id, Role role, String site, Set<String> scopes, String jwks) {}
}
