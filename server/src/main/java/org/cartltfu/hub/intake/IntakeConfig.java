package org.cartltfu.hub.intake;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.hub.security.SiteOrganizations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Intake of data from other hospitals: patients from elsewhere matched to the hub's patients. */
@Configuration(proxyBeanMethods = false)
public class IntakeConfig {

	@Bean
	PatientMatching patientMatching(
			Callers callers, SiteOrganizations sites, DaoRegistry daos, IInterceptorService storageInterceptors) {
		PatientMatching matching = new PatientMatching(callers, sites, daos);
		// On the storage layer: transactions are rewritten before HAPI resolves their conditional entries.
		storageInterceptors.registerInterceptor(matching);
		return matching;
	}
}
