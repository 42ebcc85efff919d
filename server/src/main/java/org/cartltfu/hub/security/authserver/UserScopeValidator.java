package org.cartltfu.hub.security.authserver;

import java.util.Optional;
import org.cartltfu.hub.security.ClientRegistry;
import org.cartltfu.hub.security.Role;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * The scopes of a SMART App Launch authorization request: OpenID scopes the app registered, and user/ scopes within
 * the app's registered ones and, once the person has logged in, within what the person's role allows. Anything else
 * (a system/ scope, a wider user/ scope) refuses the whole request with {@code invalid_scope}, sent back to the app.
 */
final class UserScopeValidator {

    private UserScopeValidator() {}

    static void validate(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        RegisteredClient app = context.getRegisteredClient();
        Authentication principal = (Authentication) request.getPrincipal();
        Optional<Role> role =
                principal == null || principal instanceof AnonymousAuthenticationToken || !principal.isAuthenticated()
                        ? Optional.empty()
                        : HubUsers.role(principal.getAuthorities());
        if (principal != null
                && principal.isAuthenticated()
                && !(principal instanceof AnonymousAuthenticationToken)
                && role.isEmpty()) {
            refuse(OAuth2ErrorCodes.ACCESS_DENIED, "this account has no role", request, app);
        }
        for (String scope : request.getScopes()) {
            boolean allowed = ClientRegistry.APP_SCOPES.contains(scope)
                    ? app.getScopes().contains(scope)
                    : scope.startsWith("user/")
                            && ScopeGrants.within(app.getScopes(), scope)
                            && role.map(r -> ScopeGrants.within(ScopeGrants.userAllowance(r), scope))
                                    .orElse(true);
            if (!allowed) {
                refuse(
                        OAuth2ErrorCodes.INVALID_SCOPE,
                        "scope not allowed for this app or person: " + scope,
                        request,
                        app);
            }
        }
    }

    /** As SAS's own validator does: the error goes to the (already validated) redirect URI. */
    private static void refuse(
            String code,
            String description,
            OAuth2AuthorizationCodeRequestAuthenticationToken request,
            RegisteredClient app) {
        String redirectUri = request.getRedirectUri() != null
                ? request.getRedirectUri()
                : app.getRedirectUris().iterator().next();
        OAuth2AuthorizationCodeRequestAuthenticationToken result =
                new OAuth2AuthorizationCodeRequestAuthenticationToken(
                        request.getAuthorizationUri(),
                        request.getClientId(),
                        (Authentication) request.getPrincipal(),
                        redirectUri,
                        request.getState(),
                        request.getScopes(),
                        request.getAdditionalParameters());
        result.setAuthenticated(true);
        throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(code, description, null), result);
    }
}
