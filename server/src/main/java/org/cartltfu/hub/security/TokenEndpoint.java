package org.cartltfu.hub.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The built-in OAuth 2.0 token endpoint (SMART Backend Services) and the public keys its tokens are signed with. */
@RestController
public class TokenEndpoint {

	private final TokenService tokens;
	private final Endpoints endpoints;
	private final HubSigningKey signingKey;
	private final SecurityProperties properties;

	public TokenEndpoint(
			TokenService tokens, Endpoints endpoints, HubSigningKey signingKey, SecurityProperties properties) {
		this.tokens = tokens;
		this.endpoints = endpoints;
		this.signingKey = signingKey;
		this.properties = properties;
	}

	@PostMapping(path = Endpoints.TOKEN_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> token(
			HttpServletRequest request,
			@RequestParam(name = "grant_type", required = false) String grantType,
			@RequestParam(name = "client_assertion_type", required = false) String assertionType,
			@RequestParam(name = "client_assertion", required = false) String assertion,
			@RequestParam(name = "scope", required = false) String scope) {
		if (properties.externalProvider() || !properties.enabled()) {
			return error(new TokenException("invalid_request", 404,
					"the built-in token endpoint is off (external identity provider or security disabled)"));
		}
		if (!MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(contentType(request))) {
			return error(TokenException.invalidRequest("the body must be application/x-www-form-urlencoded"));
		}
		try {
			TokenService.Grant grant =
					tokens.issue(grantType, assertionType, assertion, scope, endpoints.tokenUrl(request));
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("access_token", grant.accessToken());
			body.put("token_type", "bearer");
			body.put("expires_in", grant.expiresIn());
			body.put("scope", grant.scope());
			return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
		} catch (TokenException e) {
			return error(e);
		}
	}

	@GetMapping(path = Endpoints.JWKS_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> jwks() {
		return new com.nimbusds.jose.jwk.JWKSet(signingKey.publicKey()).toJSONObject();
	}

	private static MediaType contentType(HttpServletRequest request) {
		try {
			return request.getContentType() == null ? MediaType.ALL : MediaType.parseMediaType(request.getContentType());
		} catch (org.springframework.http.InvalidMediaTypeException e) {
			return MediaType.ALL;
		}
	}

	private static ResponseEntity<Map<String, Object>> error(TokenException e) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).cacheControl(CacheControl.noStore());
		if (e.status() == 401) {
			// RFC 6749 5.2: a 401 for invalid_client carries an authentication challenge.
			response.header("WWW-Authenticate", "Bearer error=\"invalid_client\"");
		}
		return response.body(Map.of("error", e.error(), "error_description", e.getMessage()));
	}
}
