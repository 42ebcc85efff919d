package org.cartltfu.hub.security;

import com.nimbusds.jose.jwk.JWKSet;
import java.util.Set;

/** A client from configuration, with its parsed public keys. */
record RegisteredClient(String id, Role role, String site, Set<String> allowedScopes, JWKSet keys) {}
