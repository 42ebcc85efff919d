package org.cartltfu.hub.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * SMART Backend Services token issuance: checks a client's signed assertion ({@code private_key_jwt}) and issues a
 * short-lived access token carrying the granted scopes, the client's role and its site.
 */
@Service
public class TokenService {

	static final String CLIENT_CREDENTIALS = "client_credentials";
	static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
	private static final Set<JWSAlgorithm> ASSERTION_ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

	private final ClientRegistry clients;
	private final HubSigningKey signingKey;
	private final SecurityProperties properties;
	private final Clock clock = Clock.systemUTC();
	/** Assertion ids seen, with their expiry: a replayed assertion is refused until it has expired anyway. */
	private final Map<String, Instant> seenAssertions = new ConcurrentHashMap<>();

	public TokenService(ClientRegistry clients, HubSigningKey signingKey, SecurityProperties properties) {
		this.clients = clients;
		this.signingKey = signingKey;
		this.properties = properties;
	}

	/** A granted token, in the shape of the OAuth 2.0 token response. */
	public record Grant(String accessToken, long expiresIn, String scope) {}

	public Grant issue(String grantType, String assertionType, String assertion, String scope, String tokenUrl)
			throws TokenException {
		if (!CLIENT_CREDENTIALS.equals(grantType)) {
			throw new TokenException("unsupported_grant_type", 400, "grant_type must be client_credentials");
		}
		if (!JWT_BEARER.equals(assertionType)) {
			throw TokenException.invalidRequest("client_assertion_type must be " + JWT_BEARER);
		}
		if (assertion == null || assertion.isBlank()) {
			throw TokenException.invalidRequest("client_assertion is missing");
		}
		if (scope == null || scope.isBlank()) {
			throw new TokenException("invalid_scope", 400, "scope is missing");
		}
		RegisteredClient client = authenticate(assertion, tokenUrl);
		String granted = grantedScopes(client, scope);
		return new Grant(sign(client, granted), properties.token().accessTokenLifetime().toSeconds(), granted);
	}

	private RegisteredClient authenticate(String assertion, String tokenUrl) throws TokenException {
		SignedJWT jwt;
		String issuer;
		try {
			jwt = SignedJWT.parse(assertion);
			issuer = jwt.getJWTClaimsSet().getIssuer();
		} catch (ParseException e) {
			throw TokenException.invalidRequest("client_assertion is not a signed JWT");
		}
		RegisteredClient client = clients.find(issuer)
				.orElseThrow(() -> TokenException.invalidClient("unknown client: " + issuer));

		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ASSERTION_ALGORITHMS, new ImmutableJWKSet<>(client.keys())));
		DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier = new DefaultJWTClaimsVerifier<>(
				tokenUrl,
				new JWTClaimsSet.Builder().issuer(client.id()).subject(client.id()).build(),
				Set.of("exp", "jti"));
		claimsVerifier.setMaxClockSkew((int) properties.token().clockSkew().toSeconds());
		processor.setJWTClaimsSetVerifier(claimsVerifier);
		JWTClaimsSet claims;
		try {
			claims = processor.process(jwt, null);
		} catch (BadJOSEException | JOSEException e) {
			throw TokenException.invalidClient("client_assertion refused: " + e.getMessage());
		}

		Instant now = clock.instant();
		Instant expiry = claims.getExpirationTime().toInstant();
		if (expiry.isAfter(now.plus(properties.token().maxAssertionLifetime()).plus(properties.token().clockSkew()))) {
			throw TokenException.invalidClient(
					"client_assertion exp is more than " + properties.token().maxAssertionLifetime() + " ahead");
		}
		seenAssertions.values().removeIf(seenExpiry -> seenExpiry.plus(properties.token().clockSkew()).isBefore(now));
		if (seenAssertions.putIfAbsent(client.id() + " " + claims.getJWTID(), expiry) != null) {
			throw TokenException.invalidClient("client_assertion jti was already used");
		}
		return client;
	}

	private static String grantedScopes(RegisteredClient client, String requested) throws TokenException {
		Set<SmartScope> allowed = client.allowedScopes().stream()
				.map(SmartScope::parse)
				.flatMap(java.util.Optional::stream)
				.collect(Collectors.toSet());
		Set<String> granted = new LinkedHashSet<>();
		for (String scope : Arrays.stream(requested.trim().split("\\s+")).toList()) {
			SmartScope parsed = SmartScope.parse(scope)
					.orElseThrow(() -> new TokenException("invalid_scope", 400, "not a SMART system scope: " + scope));
			if (allowed.stream().anyMatch(parsed::within)) {
				granted.add(scope);
			}
		}
		if (granted.isEmpty()) {
			throw new TokenException("invalid_scope", 400, "none of the requested scopes is registered for " + client.id());
		}
		return String.join(" ", granted);
	}

	private String sign(RegisteredClient client, String scope) throws TokenException {
		Instant now = clock.instant();
		SecurityProperties.Claims names = properties.claims();
		JWTClaimsSet claims = new JWTClaimsSet.Builder()
				.issuer(properties.token().issuer())
				.subject(client.id())
				.issueTime(Date.from(now))
				.notBeforeTime(Date.from(now))
				.expirationTime(Date.from(now.plus(properties.token().accessTokenLifetime())))
				.jwtID(UUID.randomUUID().toString())
				.claim(names.client(), client.id())
				.claim(names.role(), client.role().name().toLowerCase(java.util.Locale.ROOT))
				.claim(names.site(), client.site())
				.claim(names.scope(), scope)
				.build();
		SignedJWT token = new SignedJWT(
				new JWSHeader.Builder(HubSigningKey.ALGORITHM)
						.type(JOSEObjectType.JWT)
						.keyID(signingKey.privateKey().getKeyID())
						.build(),
				claims);
		try {
			token.sign(new RSASSASigner(signingKey.privateKey()));
		} catch (JOSEException e) {
			throw new TokenException("server_error", 500, "could not sign the access token");
		}
		return token.serialize();
	}
}
