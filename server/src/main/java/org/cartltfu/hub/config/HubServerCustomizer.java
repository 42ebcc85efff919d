package org.cartltfu.hub.config;

import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * How a feature package (security, exchange, clinical, registry) adds its interceptors and operation providers to the
 * FHIR endpoint without this package knowing about it.
 */
@FunctionalInterface
public interface HubServerCustomizer {
    void customize(RestfulServer server);
}
