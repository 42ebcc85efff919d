package org.cartltfu.hub.security.authserver;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.StringUtils;

/**
 * A SMART Backend Services token request names its client only inside the assertion ({@code iss}); Spring
 * Authorization Server wants a {@code client_id} parameter. This reads the (still unverified) {@code iss} as the client
 * id; the assertion check then demands {@code iss = sub =} that client and its signature.
 */
class SmartClientAssertionConverter implements AuthenticationConverter {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Override
    public Authentication convert(HttpServletRequest request) {
        String assertion = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION);
        String type = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE);
        if (!StringUtils.hasText(assertion) || !StringUtils.hasText(type)) {
            if ("client_credentials".equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))
                    && request.getHeader("Authorization") == null) {
                throw invalidRequest("client_assertion and client_assertion_type are required");
            }
            return null;
        }
        if (!JWT_BEARER.equals(type)) {
            throw invalidRequest("client_assertion_type must be " + JWT_BEARER);
        }
        if (request.getParameter(OAuth2ParameterNames.CLIENT_ID) != null) {
            return null;
        }
        String issuer;
        try {
            issuer = SignedJWT.parse(assertion).getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw invalidRequest("client_assertion is not a signed JWT");
        }
        if (!StringUtils.hasText(issuer)) {
            throw invalidRequest("client_assertion has no iss");
        }
        // The method SAS's assertion provider answers to is the assertion type (it decides private_key_jwt itself).
        return new OAuth2ClientAuthenticationToken(
                issuer, new ClientAuthenticationMethod(JWT_BEARER), assertion, Map.of());
    }

    private static OAuth2AuthenticationException invalidRequest(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, description, null));
    }
}
