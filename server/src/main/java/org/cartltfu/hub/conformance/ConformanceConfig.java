package org.cartltfu.hub.conformance;

import ca.uhn.fhir.batch2.coordinator.JobDefinitionRegistry;
import ca.uhn.fhir.batch2.model.JobDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.interceptor.validation.RepositoryValidatingRuleBuilder;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.util.List;
import java.util.Map;
import org.cartltfu.hub.config.HubProperties;
import org.cartltfu.ig.CarTIg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Our implementation guide, enforced: installed at start, and every write of a profiled resource type validated
 * against our profiles before it is stored (REST, transactions and the server's own writes alike).
 */
@Configuration(proxyBeanMethods = false)
public class ConformanceConfig {

	private static final Logger log = LoggerFactory.getLogger(ConformanceConfig.class);

	/**
	 * Resource types that must declare one of our profiles: the data spokes and the hub exchange. Other types
	 * (Organization, Condition, Provenance, …) may stay unprofiled, but are validated against any of our profiles they
	 * declare.
	 */
	static final Map<String, List<String>> REQUIRED_PROFILES = Map.of(
			"Patient", List.of(CarTIg.PROFILE_PATIENT),
			"BiologicallyDerivedProduct", List.of(CarTIg.PROFILE_PRODUCT),
			"Procedure", List.of(CarTIg.PROFILE_INFUSION),
			"AdverseEvent", List.of(CarTIg.PROFILE_CRS_EVENT, CarTIg.PROFILE_ICANS_EVENT),
			"Consent", List.of(CarTIg.PROFILE_RESEARCH_CONSENT),
			"Observation", List.of(
					CarTIg.PROFILE_CRS_ASSESSMENT,
					CarTIg.PROFILE_ICE_SCORE,
					CarTIg.PROFILE_CAPD_SCORE,
					CarTIg.PROFILE_ICANS_ASSESSMENT,
					CarTIg.PROFILE_LAB_FERRITIN,
					CarTIg.PROFILE_LAB_CRP,
					CarTIg.PROFILE_LAB_ANC,
					CarTIg.PROFILE_LAB_PLATELETS,
					CarTIg.PROFILE_LAB_IGG,
					CarTIg.PROFILE_DISEASE_RESPONSE,
					CarTIg.PROFILE_SURVIVAL_STATUS,
					CarTIg.PROFILE_CART_PERSISTENCE));

	static final List<String> VALIDATED_WHEN_DECLARED =
			List.of("Organization", "Endpoint", "Condition", "Encounter", "Provenance");

	@Bean
	InstalledImplementationGuide installedImplementationGuide(
			IPackageInstallerSvc packageInstaller,
			ISearchParamRegistry searchParamRegistry,
			JobDefinitionRegistry jobDefinitions,
			List<JobDefinition<?>> batchJobs) {
		// Installing a SearchParameter starts a reindex job; HAPI registers its jobs only once the context is refreshed.
		batchJobs.forEach(jobDefinitions::addJobDefinitionIfNotRegistered);
		new ImplementationGuideInstaller(packageInstaller, searchParamRegistry).install();
		return new InstalledImplementationGuide(CarTIg.PACKAGE_ID, CarTIg.PACKAGE_VERSION);
	}

	@Bean
	ProfileValidatingInterceptor profileValidatingInterceptor(
			InstalledImplementationGuide guide,
			FhirContext fhirContext,
			ObjectProvider<RepositoryValidatingRuleBuilder> ruleBuilders,
			IInterceptorService jpaInterceptors,
			HubProperties properties) {
		// HAPI's prototype bean: the builder and the rules it makes need HAPI's validator beans injected.
		RepositoryValidatingRuleBuilder rules = ruleBuilders.getObject();
		REQUIRED_PROFILES.forEach((type, profiles) -> strict(rules.forResourcesOfType(type)
				.requireAtLeastOneProfileOf(profiles.toArray(String[]::new))
				.and()));
		VALIDATED_WHEN_DECLARED.forEach(type -> strict(rules.forResourcesOfType(type)));
		ProfileValidatingInterceptor interceptor = new ProfileValidatingInterceptor(fhirContext, rules.build());
		if (properties.validation().enabled()) {
			// On the storage layer, not the REST layer: nothing non-conformant is stored, whoever writes it.
			jpaInterceptors.registerInterceptor(interceptor);
		} else {
			log.warn("Profile validation on write is OFF (hub.validation.enabled=false): non-conformant data will be stored");
		}
		return interceptor;
	}

	private static void strict(RepositoryValidatingRuleBuilder.RepositoryValidatingRuleBuilderTyped typed) {
		typed.requireValidationToDeclaredProfiles()
				.rejectOnSeverity(ResultSeverityEnum.ERROR)
				.errorOnUnknownProfiles();
	}

	/** The guide the server was started with: a bean, so that whatever needs the profiles can depend on it. */
	public record InstalledImplementationGuide(String packageId, String version) {}
}
