package org.cartltfu.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The hub's FHIR server: HAPI FHIR JPA on PostgreSQL, served at {@code /fhir}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HubApplication {

	public static void main(String[] args) {
		SpringApplication.run(HubApplication.class, args);
	}
}
