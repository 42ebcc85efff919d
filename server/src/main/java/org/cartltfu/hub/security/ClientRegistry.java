package org.cartltfu.hub.security;

import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The clients registered in {@code hub.security.clients}; a broken registration stops the start. */
@Component
public class ClientRegistry {

	private final Map<String, RegisteredClient> clients = new LinkedHashMap<>();

	public ClientRegistry(SecurityProperties properties) {
		for (SecurityProperties.Client client : properties.clients()) {
			if (client.id() == null || client.role() == null || client.site() == null || client.jwks() == null) {
				throw new IllegalStateException("hub.security.clients entry needs id, role, site and jwks: " + client.id());
			}
			JWKSet keys;
			try {
				keys = JWKSet.parse(client.jwks());
			} catch (ParseException e) {
				throw new IllegalStateException("hub.security.clients[" + client.id() + "].jwks is not a JWK Set", e);
			}
			if (keys.getKeys().stream().anyMatch(key -> key.isPrivate())) {
				throw new IllegalStateException("hub.security.clients[" + client.id() + "].jwks holds a private key");
			}
			Set<String> scopes = client.scopes() == null ? Set.of() : Set.copyOf(client.scopes());
			if (clients.put(client.id(), new RegisteredClient(client.id(), client.role(), client.site(), scopes, keys))
					!= null) {
				throw new IllegalStateException("hub.security.clients registers " + client.id() + " twice");
			}
		}
	}

	Optional<RegisteredClient> find(String clientId) {
		return Optional.ofNullable(clients.get(clientId));
	}

	/** The site identifier values of all registered clients. */
	public Set<String> sites() {
		return clients.values().stream().map(RegisteredClient::site).collect(Collectors.toSet());
	}
}
