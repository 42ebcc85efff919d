package org.cartltfu.hub.security.authserver;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.http.HttpServletRequest;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cartltfu.hub.security.ClientRegistry;
import org.cartltfu.hub.security.Endpoints;
import org.cartltfu.hub.security.SecurityProperties;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Checks a SMART Backend Services client assertion ({@code private_key_jwt}) for Spring Authorization Server: signed
 * RS384 or ES384 by one of the client's keys (inline JWK Set, or read and cached from its {@code jwks_uri}),
 * {@code iss = sub = client id}, {@code aud} the token URL, {@code exp} at most 5 minutes ahead, {@code jti} unused.
 */
@Component
public class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

    private final SecurityProperties properties;
    private final Endpoints endpoints;
    private final AssertionReplay replay;
    /** Per client and key source: a jwks_uri source keeps its cache (and refreshes it on an unknown kid). */
    private final Map<String, JWKSource<SecurityContext>> keySources = new ConcurrentHashMap<>();

    public ClientAssertionDecoders(SecurityProperties properties, Endpoints endpoints, AssertionReplay replay) {
        this.properties = properties;
        this.endpoints = endpoints;
        this.replay = replay;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys(client)));
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(properties.token().clockSkew()),
                // iss as a string: a client id is no URL (Jwt.getIssuer() would insist on one).
                jwt -> check(
                        client.getClientId().equals(jwt.getClaimAsString("iss"))
                                && client.getClientId().equals(jwt.getSubject()),
                        "iss and sub must both be the client id"),
                this::audience,
                this::lifetime,
                // Every validator runs: without exp (refused by lifetime) there is no expiry to keep the jti until.
                jwt -> check(
                        jwt.getId() != null
                                && (jwt.getExpiresAt() == null
                                        || replay.firstUse(
                                                client.getClientId(),
                                                jwt.getId(),
                                                jwt.getExpiresAt(),
                                                properties.token().clockSkew())),
                        "jti is missing or was already used")));
        return decoder;
    }

    private JWKSource<SecurityContext> keys(RegisteredClient client) {
        String inline = ClientRegistry.jwks(client).orElse(null);
        String uri = client.getClientSettings().getJwkSetUrl();
        return keySources.computeIfAbsent(client.getClientId() + "\n" + inline + "\n" + uri, key -> {
            try {
                if (inline != null) {
                    return new ImmutableJWKSet<>(JWKSet.parse(inline));
                }
                return JWKSourceBuilder.create(URI.create(uri).toURL())
                        .retrying(true)
                        .build();
            } catch (ParseException | MalformedURLException | IllegalArgumentException e) {
                throw new IllegalStateException("client " + client.getClientId() + " has no usable keys", e);
            }
        });
    }

    /** The token URL as configured ({@code public-url}) or as this request reached the hub. */
    private OAuth2TokenValidatorResult audience(Jwt jwt) {
        HttpServletRequest request =
                ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        List<String> accepted = endpoints.tokenAudiences(request);
        return check(
                jwt.getAudience() != null && jwt.getAudience().stream().anyMatch(accepted::contains),
                "aud must be the token URL " + accepted);
    }

    private OAuth2TokenValidatorResult lifetime(Jwt jwt) {
        Instant latest = Instant.now()
                .plus(properties.token().maxAssertionLifetime())
                .plus(properties.token().clockSkew());
        return check(
                jwt.getExpiresAt() != null && !jwt.getExpiresAt().isAfter(latest),
                "exp is missing or more than " + properties.token().maxAssertionLifetime() + " ahead");
    }

    private static OAuth2TokenValidatorResult check(boolean valid, String description) {
        return valid
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error(
                        OAuth2ErrorCodes.INVALID_CLIENT, "client_assertion refused: " + description, null));
    }
}
