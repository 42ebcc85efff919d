package org.cartltfu.hub.security.authserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;

/**
 * A SMART token request names its client only inside the (still unchecked) assertion: what the converter makes of
 * every shape of request an integrator or attacker sends. It decides no trust; it must only never invent a client.
 */
class SmartClientAssertionConverterTest {

    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final ECKey KEY = ec();

    private final SmartClientAssertionConverter converter = new SmartClientAssertionConverter();

    private static ECKey ec() {
        try {
            return new ECKeyGenerator(Curve.P_384).keyID("k1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signed(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES384).keyID("k1").build(), claims);
        jwt.sign(new ECDSASigner(KEY));
        return jwt.serialize();
    }

    private static MockHttpServletRequest tokenRequest(Map<String, String> parameters) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/auth/token");
        request.setParameter("grant_type", "client_credentials");
        parameters.forEach(request::setParameter);
        return request;
    }

    private OAuth2AuthenticationException invalidRequest(MockHttpServletRequest request, String description) {
        OAuth2AuthenticationException refused =
                assertThrows(OAuth2AuthenticationException.class, () -> converter.convert(request));
        assertEquals(OAuth2ErrorCodes.INVALID_REQUEST, refused.getError().getErrorCode());
        assertEquals(description, refused.getError().getDescription());
        return refused;
    }

    @Test
    void theIssuerOfTheAssertionIsTheClientToCheck() throws Exception {
        String assertion = signed(new JWTClaimsSet.Builder()
                .issuer("spoke-bachmai")
                .subject("spoke-bachmai")
                .build());
        OAuth2ClientAuthenticationToken client = (OAuth2ClientAuthenticationToken) converter.convert(tokenRequest(
                Map.of("client_assertion_type", JWT_BEARER, "client_assertion", assertion, "scope", "system/*.rs")));
        assertEquals("spoke-bachmai", client.getPrincipal());
        assertEquals(assertion, client.getCredentials());
        assertEquals(JWT_BEARER, client.getClientAuthenticationMethod().getValue());
        assertEquals(false, client.isAuthenticated(), "nothing is checked yet");
    }

    @Test
    void aClientCredentialsRequestWithoutAnAssertionOrBasicCredentialsIsRefused() {
        invalidRequest(tokenRequest(Map.of()), "client_assertion and client_assertion_type are required");
        invalidRequest(
                tokenRequest(Map.of("client_assertion", "x.y.z")),
                "client_assertion and client_assertion_type are required");
        invalidRequest(
                tokenRequest(Map.of("client_assertion_type", JWT_BEARER, "client_assertion", "")),
                "client_assertion and client_assertion_type are required");
    }

    @Test
    void requestsForOtherAuthenticationMethodsAreLeftToThem() {
        MockHttpServletRequest basic = tokenRequest(Map.of());
        basic.addHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString("app:secret".getBytes()));
        assertNull(converter.convert(basic), "client_secret_basic: SAS's own converter");
        MockHttpServletRequest code = new MockHttpServletRequest("POST", "/auth/token");
        code.setParameter("grant_type", "authorization_code");
        code.setParameter("client_id", "web");
        assertNull(converter.convert(code), "a public app's code exchange");
    }

    @Test
    void anAssertionThatAlsoNamesAClientIdIsLeftToSpringsConverterWhichChecksTheyAgree() throws Exception {
        String assertion = signed(new JWTClaimsSet.Builder()
                .issuer("spoke-bachmai")
                .subject("spoke-bachmai")
                .build());
        assertNull(converter.convert(tokenRequest(
                Map.of("client_assertion_type", JWT_BEARER, "client_assertion", assertion, "client_id", "hub-sgh"))));
    }

    @Test
    void anotherAssertionTypeIsRefused() throws Exception {
        String assertion =
                signed(new JWTClaimsSet.Builder().issuer("spoke-bachmai").build());
        invalidRequest(
                tokenRequest(Map.of(
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
                        "client_assertion",
                        assertion)),
                "client_assertion_type must be " + JWT_BEARER);
    }

    @Test
    void anAssertionThatIsNoSignedJwtOrNamesNoIssuerIsRefused() throws Exception {
        invalidRequest(
                tokenRequest(Map.of("client_assertion_type", JWT_BEARER, "client_assertion", "not-a-jwt")),
                "client_assertion is not a signed JWT");
        String unsigned =
                new PlainJWT(new JWTClaimsSet.Builder().issuer("spoke-bachmai").build()).serialize();
        invalidRequest(
                tokenRequest(Map.of("client_assertion_type", JWT_BEARER, "client_assertion", unsigned)),
                "client_assertion is not a signed JWT");
        String noIssuer =
                signed(new JWTClaimsSet.Builder().subject("spoke-bachmai").build());
        invalidRequest(
                tokenRequest(Map.of("client_assertion_type", JWT_BEARER, "client_assertion", noIssuer)),
                "client_assertion has no iss");
        String blankIssuer = signed(new JWTClaimsSet.Builder().issuer(" ").build());
        invalidRequest(
                tokenRequest(Map.of("client_assertion_type", JWT_BEARER, "client_assertion", blankIssuer)),
                "client_assertion has no iss");
    }
}
