package org.cartltfu.hub.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.text.ParseException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The key the authorization server signs access and ID tokens with (RS384). A key configured in
 * {@code hub.security.token.signing-key} wins; otherwise the newest key in {@code hub_signing_key}, made and stored at
 * the first start, so tokens survive a restart and every instance on the same database signs with the same key.
 */
@Component
public class HubSigningKey {

    static final JWSAlgorithm ALGORITHM = JWSAlgorithm.RS384;
    private static final Logger log = LoggerFactory.getLogger(HubSigningKey.class);

    private final RSAKey key;

    public HubSigningKey(SecurityProperties properties, AuthSchema schema) throws JOSEException, ParseException {
        String configured = properties.token().signingKey();
        key = StringUtils.hasText(configured) ? privateRsa(JWK.parse(configured)) : stored(schema);
    }

    private static RSAKey stored(AuthSchema schema) throws JOSEException, ParseException {
        String select = "SELECT jwk FROM hub_signing_key ORDER BY created_at DESC, kid LIMIT 1";
        List<String> keys = schema.jdbc().queryForList(select, String.class);
        if (keys.isEmpty()) {
            RSAKey fresh = new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(ALGORITHM)
                    .keyID(UUID.randomUUID().toString())
                    .generate();
            // Two instances starting together on an empty database: both insert, the newest row is the one both read.
            schema.jdbc()
                    .update(
                            "INSERT INTO hub_signing_key (kid, jwk) VALUES (?, ?)",
                            fresh.getKeyID(),
                            fresh.toJSONString());
            log.info("Generated the hub's token-signing key {} and stored it in hub_signing_key", fresh.getKeyID());
            keys = schema.jdbc().queryForList(select, String.class);
        }
        return privateRsa(JWK.parse(keys.get(0)));
    }

    private static RSAKey privateRsa(JWK parsed) {
        if (!(parsed instanceof RSAKey rsa) || !rsa.isPrivate()) {
            throw new IllegalStateException("the hub's signing key must be a private RSA JWK");
        }
        return rsa;
    }

    /** The private key: for the authorization server's signing only. */
    public RSAKey privateKey() {
        return key;
    }

    public RSAKey publicKey() {
        return key.toPublicJWK();
    }
}
