package org.cartltfu.hub.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The absolute URLs clients see for the token endpoint and the hub's token-signing keys. */
@Component
public class Endpoints {

	public static final String TOKEN_PATH = "/auth/token";
	public static final String JWKS_PATH = "/auth/jwks";

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
		return ServletUriComponentsBuilder.fromContextPath(request).path(TOKEN_PATH).toUriString();
	}

	public String jwksUrl(HttpServletRequest request) {
		if (properties.externalProvider()) {
			return properties.external().jwksUri();
		}
		return ServletUriComponentsBuilder.fromContextPath(request).path(JWKS_PATH).toUriString();
	}
}
