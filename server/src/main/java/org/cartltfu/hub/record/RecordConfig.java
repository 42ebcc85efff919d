package org.cartltfu.hub.record;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The patient record core that the clinical operations and the registry read through. */
@Configuration(proxyBeanMethods = false)
public class RecordConfig {

    @Bean
    PatientRecords patientRecords(DaoRegistry daos) {
        return new PatientRecords(daos);
    }

    @Bean
    SiteDirectory siteDirectory(DaoRegistry daos) {
        return new SiteDirectory(daos);
    }
}
