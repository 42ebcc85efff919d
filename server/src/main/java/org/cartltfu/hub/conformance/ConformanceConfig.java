package org.cartltfu.hub.conformance;

import ca.uhn.fhir.batch2.coordinator.JobDefinitionRegistry;
import ca.uhn.fhir.batch2.model.JobDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.validation.ValidatorPolicyAdvisor;
import ca.uhn.fhir.jpa.validation.ValidatorResourceFetcher;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.cartltfu.hub.config.HubProperties;
import org.cartltfu.ig.CarTIg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Our implementation guide, enforced: installed at start, and every write validated before it is stored by the
 * intake policy of {@link ProfileValidatingInterceptor} (REST, transactions and the server's own writes alike).
 */
@Configuration(proxyBeanMethods = false)
public class ConformanceConfig {

    private static final Logger log = LoggerFactory.getLogger(ConformanceConfig.class);

    @Bean
    InstalledImplementationGuide installedImplementationGuide(
            IPackageInstallerSvc packageInstaller,
            ISearchParamRegistry searchParamRegistry,
            JobDefinitionRegistry jobDefinitions,
            List<JobDefinition<?>> batchJobs) {
        // Installing a SearchParameter starts a reindex job; HAPI registers its jobs only once the context is
        // refreshed.
        batchJobs.forEach(jobDefinitions::addJobDefinitionIfNotRegistered);
        new ImplementationGuideInstaller(packageInstaller, searchParamRegistry).install();
        return new InstalledImplementationGuide(CarTIg.PACKAGE_ID, CarTIg.PACKAGE_VERSION);
    }

    @Bean
    ProfileValidatingInterceptor profileValidatingInterceptor(
            InstalledImplementationGuide guide,
            FhirContext fhirContext,
            IValidationSupport validationSupport,
            ValidatorResourceFetcher resourceFetcher,
            ValidatorPolicyAdvisor policyAdvisor,
            IInterceptorService jpaInterceptors,
            HubProperties properties) {
        ProfileValidatingInterceptor interceptor = new ProfileValidatingInterceptor(
                fhirContext, validationSupport, resourceFetcher, policyAdvisor, jpaInterceptors);
        if (properties.validation().enabled()) {
            // On the storage layer, not the REST layer: nothing unvalidated is stored, whoever writes it.
            jpaInterceptors.registerInterceptor(interceptor);
        } else {
            log.warn("Validation on write is OFF (hub.validation.enabled=false): unvalidated data will be stored");
        }
        return interceptor;
    }

    /** The guide the server was started with: a bean, so that whatever needs the profiles can depend on it. */
    public record InstalledImplementationGuide(String packageId, String version) {}
}
