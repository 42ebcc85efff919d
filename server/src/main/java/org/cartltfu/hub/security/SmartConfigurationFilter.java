package org.cartltfu.hub.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code .well-known/smart-configuration} at the root and under {@code /fhir}: SMART discovery for backend services
 * and, with the built-in authorization server, for apps people log in through (standalone launch, PKCE S256,
 * OpenID Connect). A filter because {@code /fhir/*} belongs to HAPI's servlet.
 */
class SmartConfigurationFilter extends OncePerRequestFilter {

    static final List<String> PATHS =
            List.of("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration");

    private final Endpoints endpoints;
    private final ObjectMapper json = new ObjectMapper();

    SmartConfigurationFilter(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        Map<String, Object> configuration = new LinkedHashMap<>();
        boolean builtIn = endpoints.builtInServer();
        if (builtIn) {
            configuration.put("issuer", endpoints.issuer());
        }
        configuration.put("token_endpoint", endpoints.tokenUrl(request));
        configuration.put("jwks_uri", endpoints.jwksUrl(request));
        configuration.put(
                "token_endpoint_auth_methods_supported", List.of("private_key_jwt", "client_secret_basic", "none"));
        configuration.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        if (!builtIn) {
            configuration.put("grant_types_supported", List.of("client_credentials"));
            configuration.put("scopes_supported", List.of("system/*.rs", "system/*.cruds"));
            configuration.put(
                    "capabilities", List.of("client-confidential-asymmetric", "permission-v1", "permission-v2"));
        } else {
            configuration.put("authorization_endpoint", endpoints.url(request, Endpoints.AUTHORIZE_PATH));
            configuration.put("introspection_endpoint", endpoints.url(request, Endpoints.INTROSPECT_PATH));
            configuration.put("revocation_endpoint", endpoints.url(request, Endpoints.REVOKE_PATH));
            configuration.put("userinfo_endpoint", endpoints.url(request, Endpoints.USERINFO_PATH));
            configuration.put(
                    "grant_types_supported", List.of("client_credentials", "authorization_code", "refresh_token"));
            configuration.put("response_types_supported", List.of("code"));
            configuration.put("code_challenge_methods_supported", List.of("S256"));
            configuration.put(
                    "scopes_supported",
                    List.of(
                            "openid",
                            "fhirUser",
                            "profile",
                            "offline_access",
                            "system/*.rs",
                            "system/*.cruds",
                            "user/*.rs",
                            "user/*.cruds"));
            configuration.put(
                    "capabilities",
                    List.of(
                            "launch-standalone",
                            "client-public",
                            "client-confidential-symmetric",
                            "client-confidential-asymmetric",
                            "sso-openid-connect",
                            "permission-offline",
                            "permission-user",
                            "permission-v1",
                            "permission-v2"));
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), configuration);
    }
}
