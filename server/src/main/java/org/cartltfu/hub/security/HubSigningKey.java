package org.cartltfu.hub.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.text.ParseException;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** The key the built-in token endpoint signs access tokens with (RS384). */
@Component
public class HubSigningKey {

	static final JWSAlgorithm ALGORITHM = JWSAlgorithm.RS384;

	private final RSAKey key;

	public HubSigningKey(SecurityProperties properties) throws JOSEException, ParseException {
		String configured = properties.token().signingKey();
		if (StringUtils.hasText(configured)) {
			JWK parsed = JWK.parse(configured);
			if (!(parsed instanceof RSAKey rsa) || !rsa.isPrivate()) {
				throw new IllegalStateException("hub.security.token.signing-key must be a private RSA JWK");
			}
			key = rsa;
		} else {
			key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(ALGORITHM)
					.keyID(UUID.randomUUID().toString()).generate();
		}
	}

	RSAKey privateKey() {
		return key;
	}

	public RSAKey publicKey() {
		return key.toPublicJWK();
	}
}
