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
 * {@code .well-known/smart-configuration} at the root and under {@code /fhir}: SMART discovery for backend
 * services. A filter because {@code /fhir/*} belongs to HAPI's servlet.
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
		configuration.put("token_endpoint", endpoints.tokenUrl(request));
		configuration.put("jwks_uri", endpoints.jwksUrl(request));
		configuration.put("grant_types_supported", List.of("client_credentials"));
		configuration.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
		configuration.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
		configuration.put("scopes_supported", List.of("system/*.rs", "system/*.cruds", "system/*.read", "system/*.write"));
		configuration.put("capabilities", List.of("client-confidential-asymmetric", "permission-v1", "permission-v2"));
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		json.writeValue(response.getOutputStream(), configuration);
	}
}
