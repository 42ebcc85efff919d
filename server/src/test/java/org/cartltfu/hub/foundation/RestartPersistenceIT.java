package org.cartltfu.hub.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubApplication;
import org.cartltfu.hub.security.TestClients;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stops the whole application and starts it again on the same data folder (or the same external database): what was
 * written before must still be there, found by search as well as by id.
 */
class RestartPersistenceIT {

    @Test
    void dataSurvivesARestart() throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target/test-data/restart-" + UUID.randomUUID()));
        String mrn = UUID.randomUUID().toString();

        String id;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            IGenericClient client = client(first);
            Patient patient = Fixtures.patient(mrn, "Wong", Fixtures.spokeOrganization(client));
            id = client.create().resource(patient).execute().getId().getIdPart();
        }

        try (ConfigurableApplicationContext second = start(dataDir)) {
            IGenericClient client = client(second);
            assertEquals(
                    "Wong",
                    client.read()
                            .resource(Patient.class)
                            .withId(id)
                            .execute()
                            .getNameFirstRep()
                            .getFamily());
            Bundle byIdentifier = client.search()
                    .forResource(Patient.class)
                    .where(Patient.IDENTIFIER.exactly().systemAndCode("https://cart-ltfu.org/fhir/sid/hub-mrn", mrn))
                    .returnBundle(Bundle.class)
                    .execute();
            assertEquals(1, byIdentifier.getEntry().size());
            assertEquals(
                    id,
                    byIdentifier.getEntryFirstRep().getResource().getIdElement().getIdPart());
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        List<String> arguments = new ArrayList<>(TestClients.arguments());
        // Command-line arguments, so that they win over the test profile's random folders.
        arguments.add("--server.port=0");
        arguments.add("--hub.storage.embedded-postgres.data-dir=" + dataDir.resolve("postgres"));
        arguments.add("--hub.storage.search-index-dir=" + dataDir.resolve("lucene"));
        return new SpringApplicationBuilder(HubApplication.class)
                .profiles("test")
                .run(arguments.toArray(String[]::new));
    }

    private static IGenericClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        FhirContext fhirContext = context.getBean(FhirContext.class);
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = fhirContext.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(
                TestClients.token(TestClients.HUB, "http://localhost:" + port, "system/*.cruds")));
        return client;
    }
}
