package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.text.ParseException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key the hub signs its tokens with: configured, or made once and kept in the database for every instance. */
class HubSigningKeyTest {

    private static AuthDatabase database;

    @BeforeAll
    static void start() throws Exception {
        database = new AuthDatabase();
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @BeforeEach
    void noKeyYet() {
        database.schema().jdbc().update("DELETE FROM hub_signing_key");
    }

    private static SecurityProperties configured(String jwk) {
        return ShippedSecurity.properties(Map.of("hub.security.token.signing-key", jwk));
    }

    @Test
    void theFirstStartMakesAKeyThatEveryLaterStartAndInstanceSignsWith() throws Exception {
        HubSigningKey first = new HubSigningKey(ShippedSecurity.properties(), database.schema());
        assertTrue(first.privateKey().isPrivate());
        assertEquals(JWSAlgorithm.RS384, first.privateKey().getAlgorithm());
        assertEquals(KeyUse.SIGNATURE, first.privateKey().getKeyUse());
        assertTrue(first.privateKey().size() >= 2048);
        HubSigningKey second = new HubSigningKey(ShippedSecurity.properties(), database.schema());
        assertEquals(first.privateKey(), second.privateKey());
        assertEquals(1, database.schema().jdbc().queryForObject("SELECT count(*) FROM hub_signing_key", Integer.class));
    }

    @Test
    void theNewestStoredKeySigns() throws Exception {
        RSAKey older = new RSAKeyGenerator(2048).keyID("older").generate();
        RSAKey newer = new RSAKeyGenerator(2048).keyID("newer").generate();
        database.schema()
                .jdbc()
                .update(
                        "INSERT INTO hub_signing_key (kid, jwk, created_at) VALUES (?, ?, now() - interval '1 day')",
                        older.getKeyID(),
                        older.toJSONString());
        database.schema()
                .jdbc()
                .update("INSERT INTO hub_signing_key (kid, jwk) VALUES (?, ?)", newer.getKeyID(), newer.toJSONString());
        assertEquals(
                "newer",
                new HubSigningKey(ShippedSecurity.properties(), database.schema())
                        .privateKey()
                        .getKeyID());
    }

    @Test
    void aConfiguredKeyWinsAndNothingIsStored() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("configured").generate();
        HubSigningKey signing = new HubSigningKey(configured(key.toJSONString()), database.schema());
        assertEquals(key, signing.privateKey());
        assertEquals(0, database.schema().jdbc().queryForObject("SELECT count(*) FROM hub_signing_key", Integer.class));
    }

    @Test
    void thePublishedKeyHoldsNoPrivatePart() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("configured").generate();
        RSAKey published = new HubSigningKey(configured(key.toJSONString()), database.schema()).publicKey();
        assertFalse(published.isPrivate());
        assertEquals(key.getModulus(), published.getModulus());
        assertFalse(published.toJSONString().contains("\"d\""), published.toJSONString());
        assertNotEquals(key.toJSONString(), published.toJSONString());
    }

    @Test
    void aConfiguredKeyThatCannotSignRefusesTheStart() throws Exception {
        String publicOnly = new RSAKeyGenerator(2048).generate().toPublicJWK().toJSONString();
        assertEquals(
                "the hub's signing key must be a private RSA JWK",
                assertThrows(
                                IllegalStateException.class,
                                () -> new HubSigningKey(configured(publicOnly), database.schema()))
                        .getMessage());
        String ec = new ECKeyGenerator(Curve.P_384).generate().toJSONString();
        assertThrows(
                IllegalStateException.class,
                () -> new HubSigningKey(configured(ec), database.schema()),
                "tokens are RS384: an EC key cannot sign them");
        assertThrows(ParseException.class, () -> new HubSigningKey(configured("{\"kty\":\"RSA\"}"), database.schema()));
        assertThrows(ParseException.class, () -> new HubSigningKey(configured("not json"), database.schema()));
    }
}
