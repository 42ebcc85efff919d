package org.cartltfu.hub.security.authserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.cartltfu.hub.security.AuthDatabase;
import org.cartltfu.hub.security.ClientRegistry;
import org.cartltfu.hub.security.Endpoints;
import org.cartltfu.hub.security.Role;
import org.cartltfu.hub.security.SecurityProperties;
import org.cartltfu.hub.security.ShippedSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The check of a SMART Backend Services client assertion, with the shipped limits (5 minutes at most, 30 s of clock
 * skew), the clients registered as the hub registers them and the used jti kept in the real table: every way an
 * assertion can be forged, stale, replayed or meant for someone else.
 */
class ClientAssertionDecodersTest {

    private static final String TOKEN_URL = "http://hub.local:8080/auth/token";

    private static AuthDatabase database;
    private static ECKey spokeKey;
    private static RSAKey hubKey;
    private static RegisteredClient spoke;
    private static RegisteredClient hub;

    private ClientAssertionDecoders decoders;

    @BeforeAll
    static void register() throws Exception {
        database = new AuthDatabase();
        spokeKey = new ECKeyGenerator(Curve.P_384).keyID("spoke-1").generate();
        hubKey = new RSAKeyGenerator(2048).keyID("hub-1").generate();
        ClientRegistry registry =
                new ClientRegistry(database.clients(), database.schema(), ShippedSecurity.properties());
        spoke = registry.saveSystem(
                "spoke-bachmai",
                Role.SPOKE,
                "vn-bachmai",
                Set.of("system/*.cruds"),
                new JWKSet(spokeKey.toPublicJWK()).toString(),
                null);
        hub = registry.saveSystem(
                "hub-sgh",
                Role.HUB,
                "sg-hub",
                Set.of("system/*.cruds"),
                new JWKSet(hubKey.toPublicJWK()).toString(),
                null);
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @BeforeEach
    void aTokenRequestAsItReachedTheHub() {
        decoders = decoders(ShippedSecurity.properties());
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/auth/token");
        request.setServerName("hub.local");
        request.setServerPort(8080);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
    }

    @AfterEach
    void done() {
        RequestContextHolder.resetRequestAttributes();
    }

    private static ClientAssertionDecoders decoders(SecurityProperties properties) {
        return new ClientAssertionDecoders(
                properties, new Endpoints(properties), new AssertionReplay(database.schema()));
    }

    /** What a well-behaved client sends: iss = sub = its id, aud the token URL, exp in 4 minutes, a fresh jti. */
    private static JWTClaimsSet.Builder claims(String clientId) {
        return new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(TOKEN_URL)
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(4))))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String es384(JWTClaimsSet claims, ECKey key) throws Exception {
        return signed(JWSAlgorithm.ES384, key.getKeyID(), new ECDSASigner(key), claims);
    }

    private static String signed(JWSAlgorithm algorithm, String kid, JWSSigner signer, JWTClaimsSet claims)
            throws Exception {
        SignedJWT jwt =
                new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private Jwt decode(RegisteredClient client, String assertion) {
        return decoders.createDecoder(client).decode(assertion);
    }

    private void refused(RegisteredClient client, String assertion, String why) {
        JwtException refused = assertThrows(JwtException.class, () -> decode(client, assertion));
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
    }

    private void refusedSpoke(UnaryOperator<JWTClaimsSet.Builder> change, String why) throws Exception {
        refused(spoke, es384(change.apply(claims("spoke-bachmai")).build(), spokeKey), why);
    }

    @Test
    void aWellFormedAssertionOfEachAlgorithmIsAccepted() throws Exception {
        assertEquals(
                "spoke-bachmai",
                decode(spoke, es384(claims("spoke-bachmai").build(), spokeKey)).getSubject());
        String rs384 = signed(
                JWSAlgorithm.RS384,
                "hub-1",
                new RSASSASigner(hubKey),
                claims("hub-sgh").build());
        assertEquals("hub-sgh", decode(hub, rs384).getSubject());
    }

    @Test
    void anAssertionIsSingleUse() throws Exception {
        String assertion = es384(claims("spoke-bachmai").build(), spokeKey);
        decode(spoke, assertion);
        refused(spoke, assertion, "jti is missing or was already used");
        // Also by another instance of the hub on the same database, or after a restart.
        decoders = decoders(ShippedSecurity.properties());
        refused(spoke, assertion, "jti is missing or was already used");
    }

    @Test
    void aJtiIsOneClientsOwn() throws Exception {
        String jti = UUID.randomUUID().toString();
        decode(spoke, es384(claims("spoke-bachmai").jwtID(jti).build(), spokeKey));
        String hubsWithTheSameJti = signed(
                JWSAlgorithm.RS384,
                "hub-1",
                new RSASSASigner(hubKey),
                claims("hub-sgh").jwtID(jti).build());
        assertEquals("hub-sgh", decode(hub, hubsWithTheSameJti).getSubject(), "one client cannot use up another's ids");
    }

    @Test
    void anAssertionWithoutJtiOrExpiryIsRefused() throws Exception {
        refusedSpoke(claims -> claims.jwtID(null), "jti is missing or was already used");
        // A signed assertion without exp once failed with a NullPointerException (storing its jti until null).
        refusedSpoke(claims -> claims.expirationTime(null), "exp is missing");
        refusedSpoke(claims -> claims.expirationTime(null).jwtID(null), "exp is missing");
    }

    @Test
    void anExpiredOrTooLongLivedAssertionIsRefused() throws Exception {
        refusedSpoke(
                claims -> claims.expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5)))), "Expired JWT");
        refusedSpoke(
                claims -> claims.expirationTime(Date.from(Instant.now().minus(Duration.ofSeconds(45)))),
                "Jwt expired at");
        refusedSpoke(
                claims -> claims.expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10)))),
                "exp is missing or more than PT5M ahead");
        refusedSpoke(
                claims -> claims.notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(2)))),
                "JWT before use time");
        // Within the clock skew of 30 s either way: a client whose clock is a little off still gets in.
        decode(
                spoke,
                es384(
                        claims("spoke-bachmai")
                                .expirationTime(Date.from(Instant.now().minus(Duration.ofSeconds(10))))
                                .build(),
                        spokeKey));
        decode(
                spoke,
                es384(
                        claims("spoke-bachmai")
                                .expirationTime(Date.from(Instant.now()
                                        .plus(Duration.ofMinutes(5))
                                        .plusSeconds(20)))
                                .build(),
                        spokeKey));
    }

    @Test
    void issAndSubMustBothBeTheClientItself() throws Exception {
        refusedSpoke(claims -> claims.issuer("hub-sgh"), "iss and sub must both be the client id");
        refusedSpoke(claims -> claims.subject("hub-sgh"), "iss and sub must both be the client id");
        refusedSpoke(claims -> claims.subject(null), "iss and sub must both be the client id");
    }

    @Test
    void anAssertionForAnotherAudienceIsRefused() throws Exception {
        refusedSpoke(
                claims -> claims.audience("https://other-hub.example.org/auth/token"), "aud must be the token URL");
        refusedSpoke(claims -> claims.audience(List.of()), "aud must be the token URL");
        refusedSpoke(claims -> claims.audience("http://hub.local:8080/fhir"), "aud must be the token URL");
        // One of several audiences is enough, as JWT says.
        decode(
                spoke,
                es384(
                        claims("spoke-bachmai")
                                .audience(List.of("https://elsewhere.example", TOKEN_URL))
                                .build(),
                        spokeKey));
    }

    @Test
    void theConfiguredPublicTokenUrlIsAnAudienceToo() throws Exception {
        decoders = decoders(ShippedSecurity.properties(
                Map.of("hub.security.token.public-url", "https://hub.example.org/auth/token")));
        decode(
                spoke,
                es384(
                        claims("spoke-bachmai")
                                .audience("https://hub.example.org/auth/token")
                                .build(),
                        spokeKey));
        decode(spoke, es384(claims("spoke-bachmai").build(), spokeKey));
    }

    @Test
    void anAssertionNotSignedByTheClientsOwnKeyIsRefused() throws Exception {
        ECKey stolenIdOnly = new ECKeyGenerator(Curve.P_384).keyID("spoke-1").generate();
        refused(spoke, es384(claims("spoke-bachmai").build(), stolenIdOnly), "Signed JWT rejected");
        // The hub's key signs nothing for the spoke: keys are per client.
        refused(
                spoke,
                signed(
                        JWSAlgorithm.RS384,
                        "hub-1",
                        new RSASSASigner(hubKey),
                        claims("spoke-bachmai").build()),
                "Signed JWT rejected");
        String tampered = es384(claims("spoke-bachmai").build(), spokeKey);
        String[] parts = tampered.split("\\.");
        String otherClaims = es384(claims("spoke-bachmai").build(), spokeKey).split("\\.")[1];
        assertThrows(BadJwtException.class, () -> decode(spoke, parts[0] + "." + otherClaims + "." + parts[2]));
    }

    @Test
    void onlyRs384AndEs384Count() throws Exception {
        refused(
                hub,
                signed(
                        JWSAlgorithm.RS256,
                        "hub-1",
                        new RSASSASigner(hubKey),
                        claims("hub-sgh").build()),
                "Signed JWT rejected");
        // HS256 with the public key as the secret: the classic confusion attack.
        byte[] secret = hubKey.toPublicJWK().toJSONString().getBytes();
        refused(
                hub,
                signed(
                        JWSAlgorithm.HS256,
                        "hub-1",
                        new MACSigner(secret),
                        claims("hub-sgh").build()),
                "Signed JWT rejected");
        String none = new com.nimbusds.jwt.PlainJWT(claims("hub-sgh").build()).serialize();
        assertThrows(JwtException.class, () -> decode(hub, none));
    }

    @Test
    void usedIdsAreForgottenOnlyOnceTheirAssertionCouldNoLongerBeUsed() {
        AssertionReplay replay = new AssertionReplay(database.schema());
        Duration skew = Duration.ofSeconds(30);
        assertTrue(replay.firstUse("c", "old", Instant.now().minus(Duration.ofMinutes(5)), skew));
        assertTrue(replay.firstUse("c", "recent", Instant.now().minus(Duration.ofSeconds(5)), skew));
        replay.firstUse("c", "trigger-cleanup", Instant.now().plus(Duration.ofMinutes(1)), skew);
        List<String> kept = database.schema()
                .jdbc()
                .queryForList("SELECT jti FROM hub_used_assertion WHERE client_id = 'c' ORDER BY jti", String.class);
        assertEquals(List.of("recent", "trigger-cleanup"), kept, "expired within the skew: could still be accepted");
        assertEquals(false, replay.firstUse("c", "recent", Instant.now().plus(Duration.ofMinutes(1)), skew));
    }
}
