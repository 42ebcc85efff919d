package org.cartltfu.hub.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The absolute URLs clients see for the token endpoint and the hub's token-signing keys. */
@Component
public class Endpoints {

    public static final String TOKEN_PATH = "/auth/token";
    public static final String JWKS_PATH = "/auth/jwks";
    public static final String AUTHORIZE_PATH = "/auth/authorize";
    public static final String INTROSPECT_PATH = "/auth/introspect";
    public static final String REVOKE_PATH = "/auth/revoke";
    public static final String USERINFO_PATH = "/auth/userinfo";

    private final SecurityProperties properties;

    public Endpoints(SecurityProperties properties) {
        this.properties = properties;
    }

    /** The token URL; also the audience a client assertion must name. */
    public String tokenUrl(HttpServletRequest request) {
        if (properties.externalProvider()) {
            return properties.external().tokenUrl();
        }
        if (StringUtils.hasText(properties.token().publicUrl())) {
            return properties.token().publicUrl();
        }
        return ServletUriComponentsBuilder.fromContextPath(request)
                .path(TOKEN_PATH)
                .toUriString();
    }

    /**
     * The audiences a client assertion may name: the configured public token URL and the token URL as this request
     * reached the hub (so {@code localhost} and {@code 127.0.0.1} both work on a laptop).
     */
    public List<String> tokenAudiences(HttpServletRequest request) {
        String seen = ServletUriComponentsBuilder.fromContextPath(request)
                .path(TOKEN_PATH)
                .toUriString();
        String configured = properties.token().publicUrl();
        return StringUtils.hasText(configured) && !configured.equals(seen) ? List.of(configured, seen) : List.of(seen);
    }

    /** Whether the hub's own authorization server issues the tokens (security on, no external provider). */
    public boolean builtInServer() {
        return properties.enabled() && !properties.externalProvider();
    }

    public String issuer() {
        return properties.token().issuer();
    }

    /** An absolute URL of one of the authorization server's paths, as this request reached the hub. */
    public String url(HttpServletRequest request, String path) {
        return ServletUriComponentsBuilder.fromContextPath(request).path(path).toUriString();
    }

    public String jwksUrl(HttpServletRequest request) {
        if (properties.externalProvider()) {
            return properties.external().jwksUri();
        }
        return ServletUriComponentsBuilder.fromContextPath(request)
                .path(JWKS_PATH)
                .toUriString();
    }
}
