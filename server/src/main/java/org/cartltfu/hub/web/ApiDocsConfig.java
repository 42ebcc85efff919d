package org.cartltfu.hub.web;

import org.cartltfu.hub.config.HubServerCustomizer;
import org.cartltfu.hub.security.Endpoints;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Swagger UI at {@code /fhir/swagger-ui/} with the hub's login (HAPI's page, see {@link ApiDocs}). */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfig {

    @Bean
    HubServerCustomizer apiDocs(Endpoints endpoints, WebAppProperties properties) {
        return server -> server.registerInterceptor(new ApiDocs(endpoints, properties.clientId()));
    }
}
