package org.cartltfu.hub.clinical;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.cartltfu.hub.config.HubServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clinical operations on the FHIR endpoint, and the safety net on the storage layer. */
@Configuration(proxyBeanMethods = false)
public class ClinicalConfig {

	@Bean
	PatientRecords patientRecords(DaoRegistry daos) {
		return new PatientRecords(daos);
	}

	@Bean
	HubServerCustomizer clinicalOperations(PatientRecords records) {
		return server -> {
			server.registerProvider(new GradingOperations());
			server.registerProvider(new ToxicityHistoryOperation(records));
			server.registerProvider(new ProductTraceOperation(records));
		};
	}

	@Bean
	MalignancySafetyNet malignancySafetyNet(
			DaoRegistry daos, IValidationSupport terminology, IInterceptorService storageInterceptors) {
		MalignancySafetyNet safetyNet = new MalignancySafetyNet(daos, terminology);
		storageInterceptors.registerInterceptor(safetyNet);
		return safetyNet;
	}
}
