package org.cartltfu.hub.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.UUID;
import javax.sql.DataSource;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;

class CrudAndHistoryIT extends HubServerIT {

    @Autowired
    DataSource dataSource;

    @Autowired
    BuildProperties build;

    @Test
    void storesInPostgreSql() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertEquals("PostgreSQL", connection.getMetaData().getDatabaseProductName());
        }
    }

    @Test
    void createReadUpdateDeleteWithHistory() {
        String mrn = UUID.randomUUID().toString();
        Patient patient = Fixtures.patient(mrn, "Tran", Fixtures.spokeOrganization(client));

        MethodOutcome created = client.create().resource(patient).execute();
        assertTrue(created.getCreated());
        IdType id = (IdType) created.getId();
        assertEquals("1", id.getVersionIdPart());

        Patient read =
                client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertEquals("Tran", read.getNameFirstRep().getFamily());
        assertEquals(mrn, read.getIdentifierFirstRep().getValue());

        read.getNameFirstRep().setFamily("Trần");
        MethodOutcome updated = client.update().resource(read).execute();
        assertEquals("2", updated.getId().getVersionIdPart());

        Patient version1 = client.read()
                .resource(Patient.class)
                .withIdAndVersion(id.getIdPart(), "1")
                .execute();
        assertEquals("Tran", version1.getNameFirstRep().getFamily());

        Bundle history = client.history()
                .onInstance(id.toUnqualifiedVersionless())
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(2, history.getEntry().size());
        assertEquals(
                "Trần",
                ((Patient) history.getEntry().get(0).getResource())
                        .getNameFirstRep()
                        .getFamily());

        client.delete().resourceById(id.toUnqualifiedVersionless()).execute();
        assertThrows(
                ResourceGoneException.class,
                () -> client.read()
                        .resource(Patient.class)
                        .withId(id.getIdPart())
                        .execute());
        Bundle afterDelete = client.history()
                .onInstance(id.toUnqualifiedVersionless())
                .returnBundle(Bundle.class)
                .execute();
        assertEquals(3, afterDelete.getEntry().size());
    }

    @Test
    void speaksXmlAsWellAsJson() {
        IGenericClient xmlClient = clientWithToken(hubToken);
        xmlClient.setEncoding(EncodingEnum.XML);
        Patient patient = Fixtures.patient(UUID.randomUUID().toString(), "Kumar", Fixtures.spokeOrganization(client));
        IdType id = (IdType) xmlClient.create().resource(patient).execute().getId();
        Patient read =
                xmlClient.read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertEquals("Kumar", read.getNameFirstRep().getFamily());
    }

    @Test
    void conditionalUpdateCreatesOnceThenUpdates() {
        String mrn = UUID.randomUUID().toString();
        String condition = "Patient?identifier=https://cart-ltfu.org/fhir/sid/hub-mrn|" + mrn;
        Patient patient = Fixtures.patient(mrn, "Ong", Fixtures.spokeOrganization(client));
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1970-01-01"));

        MethodOutcome first =
                client.update().resource(patient).conditionalByUrl(condition).execute();
        assertTrue(first.getCreated());
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1971-02-02"));
        MethodOutcome second =
                client.update().resource(patient).conditionalByUrl(condition).execute();
        assertFalse(Boolean.TRUE.equals(second.getCreated()));
        assertEquals(first.getId().getIdPart(), second.getId().getIdPart());
        assertEquals("2", second.getId().getVersionIdPart());
    }

    @Test
    void summaryAndElementsTrimTheResource() {
        Patient patient = Fixtures.patient(UUID.randomUUID().toString(), "Lim", Fixtures.spokeOrganization(client));
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1980-05-05"));
        patient.addContact().getName().setFamily("Lim Next-of-kin");
        String id = client.create().resource(patient).execute().getId().getIdPart();

        Patient elements = client.read()
                .resource(Patient.class)
                .withId(id)
                .elementsSubset("birthDate")
                .execute();
        assertTrue(elements.getName().isEmpty());
        assertEquals("1980-05-05", elements.getBirthDateElement().getValueAsString());

        Patient summary = client.read()
                .resource(Patient.class)
                .withId(id)
                .summaryMode(SummaryEnum.TRUE)
                .execute();
        assertEquals("Lim", summary.getNameFirstRep().getFamily());
        // Patient.contact is not a summary element in R4.
        assertTrue(summary.getContact().isEmpty());
        Patient full = client.read().resource(Patient.class).withId(id).execute();
        assertEquals(1, full.getContact().size());
    }

    @Test
    void capabilityStatementNamesThisSoftware() {
        CapabilityStatement capabilities =
                client.capabilities().ofType(CapabilityStatement.class).execute();
        assertEquals("CAR-T LTFU Hub", capabilities.getSoftware().getName());
        assertEquals(build.getVersion(), capabilities.getSoftware().getVersion());
        assertEquals(Enumerations.FHIRVersion._4_0_1, capabilities.getFhirVersion());
    }

    @Test
    void healthAndOpenApiAreServed() throws Exception {
        HttpResponse<String> health = send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/actuator/health")));
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"UP\""), health.body());

        HttpResponse<String> openApi = send(request("/api-docs"));
        assertEquals(200, openApi.statusCode());
        assertTrue(openApi.body().contains("openapi"), openApi.body());
        assertNotNull(openApi.headers().firstValue("Content-Type").orElse(null));
    }
}
