package org.cartltfu.hub.security.authserver;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A client_credentials request asks for SMART system scopes; it is granted those within the client's registered
 * scopes (SMART wildcards: {@code system/Observation.cu} is within {@code system/*.cruds}), the rest are left out,
 * as SMART allows. Spring Authorization Server would refuse anything not registered verbatim.
 */
class SystemScopeConverter implements AuthenticationConverter {

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (!AuthorizationGrantType.CLIENT_CREDENTIALS
                        .getValue()
                        .equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))
                || !(SecurityContextHolder.getContext().getAuthentication()
                        instanceof OAuth2ClientAuthenticationToken client)
                || client.getRegisteredClient() == null) {
            return null;
        }
        String requested = request.getParameter(OAuth2ParameterNames.SCOPE);
        Set<String> granted;
        try {
            granted = ScopeGrants.systemScopes(client.getRegisteredClient().getScopes(), requested);
        } catch (IllegalArgumentException e) {
            throw new OAuth2AuthenticationException(
                    new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE, e.getMessage(), null));
        }
        return new OAuth2ClientCredentialsAuthenticationToken(client, granted, Map.of());
    }
}
