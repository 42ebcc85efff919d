package org.cartltfu.hub.security;

import java.util.List;

/**
 * The authenticated client behind a FHIR request, taken from its access token (never from the request body).
 *
 * @param clientId the OAuth client id
 * @param role what the client is
 * @param site the value of its site Organization's identifier
 * @param scopes the SMART scopes granted to this token
 */
public record Caller(String clientId, Role role, String site, List<SmartScope> scopes) {

    public boolean allows(String resourceType, Permission permission) {
        return scopes.stream().anyMatch(scope -> scope.allows(resourceType, permission));
    }
}
