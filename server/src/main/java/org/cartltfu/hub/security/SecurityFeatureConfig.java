package org.cartltfu.hub.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.cartltfu.hub.config.HubServerCustomizer;
import org.cartltfu.hub.record.SiteDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Plugs authentication and authorization into the FHIR endpoint. */
@Configuration(proxyBeanMethods = false)
public class SecurityFeatureConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityFeatureConfig.class);

    @Bean
    AccessFacts accessFacts(SiteDirectory sites, DaoRegistry daos, FhirContext fhirContext) {
        return new AccessFacts(fhirContext, daos, sites);
    }

    @Bean
    Visibility visibility(Callers callers, AccessFacts facts) {
        return new Visibility(callers, facts);
    }

    @Bean
    HubServerCustomizer securityCustomizer(
            Callers callers,
            AccessFacts facts,
            FhirContext fhirContext,
            Endpoints endpoints,
            SecurityProperties properties) {
        return server -> {
            if (!callers.securityEnabled()) {
                log.warn(
                        "hub.security.enabled=false: the FHIR API is open to anyone. Development only, never with real data.");
            }
            server.registerInterceptor(new CapabilitySecurity(endpoints));
            // One policy (AccessPolicy): AccessGuard on the way in and out, SiteWriteGuard at commit.
            server.registerInterceptor(new AccessGuard(callers, facts, fhirContext, properties.refusalFloor()));
            server.registerInterceptor(new SiteWriteGuard(callers, facts, fhirContext));
        };
    }

    @Bean
    FilterRegistrationBean<SmartConfigurationFilter> smartConfiguration(Endpoints endpoints) {
        FilterRegistrationBean<SmartConfigurationFilter> registration =
                new FilterRegistrationBean<>(new SmartConfigurationFilter(endpoints));
        registration.setUrlPatterns(SmartConfigurationFilter.PATHS);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Every registered client's site gets its Organization, so spokes can point their patients at it. */
    @Bean
    ApplicationRunner provisionSiteOrganizations(ClientRegistry clients, SiteDirectory sites) {
        return arguments -> clients.sites().forEach(sites::provision);
    }
}
