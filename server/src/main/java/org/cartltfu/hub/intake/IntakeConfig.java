package org.cartltfu.hub.intake;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import java.time.Clock;
import java.time.ZoneOffset;
import org.cartltfu.hub.config.HubServerCustomizer;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.AccessFacts;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.hub.security.Visibility;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Intake of data from other hospitals: patients from elsewhere matched to the hub's patients; each site's own codes
 * mapped to standard ones; follow-up visits from spreadsheets and the web form; years of history as NDJSON files.
 */
@Configuration(proxyBeanMethods = false)
public class IntakeConfig {

    @Bean
    PatientMatching patientMatching(
            Callers callers, SiteDirectory sites, DaoRegistry daos, IInterceptorService storageInterceptors) {
        PatientMatching matching = new PatientMatching(callers, sites, daos);
        // On the storage layer: transactions are rewritten before HAPI resolves their conditional entries.
        storageInterceptors.registerInterceptor(matching);
        return matching;
    }

    @Bean
    SiteCodeMapping siteCodeMapping(
            Callers callers, DaoRegistry daos, FhirContext fhirContext, IInterceptorService storageInterceptors) {
        SiteCodeMapping mapping = new SiteCodeMapping(callers, daos, fhirContext);
        // On the storage layer, with the intake policy it must come before.
        storageInterceptors.registerInterceptor(mapping);
        return mapping;
    }

    @Bean
    ImportOperations importOperations(
            FhirContext fhirContext,
            IFhirSystemDao<?, ?> systemDao,
            Callers callers,
            AccessFacts facts,
            IntakeProperties properties,
            IInterceptorService storageInterceptors,
            ApplicationEventPublisher events) {
        ImportOperations operations = new ImportOperations(fhirContext, systemDao, callers, facts, properties, events);
        // Also on the storage layer: it counts what a running import has stored (its progress).
        storageInterceptors.registerInterceptor(operations);
        return operations;
    }

    @Bean
    HubServerCustomizer imports(ImportOperations operations) {
        return server -> server.registerProvider(operations);
    }

    @Bean
    HubServerCustomizer visitReports(
            DaoRegistry daos,
            IFhirSystemDao<?, ?> systemDao,
            Callers callers,
            Visibility visibility,
            IValidationSupport support) {
        return server -> server.registerProvider(new VisitReportOperations(
                daos, systemDao, callers, visibility, support, Clock.system(ZoneOffset.ofHours(14))));
    }
}
