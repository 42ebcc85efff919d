package org.cartltfu.hub;

import org.cartltfu.hub.security.admin.AdminCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The hub's FHIR server: HAPI FHIR JPA on PostgreSQL, served at {@code /fhir}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HubApplication {

    /**
     * Starts the hub; first argument {@code admin} runs an onboarding command instead ({@link AdminCommand}), and
     * {@code demo} starts the hub in the demo profile (demo people and keys, loopback only).
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("admin")) {
            System.exit(AdminCommand.run(args, System.out));
        }
        SpringApplication application = new SpringApplication(HubApplication.class);
        if (args.length > 0 && args[0].equals("demo")) {
            application.setAdditionalProfiles("demo");
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        application.run(args);
    }
}
