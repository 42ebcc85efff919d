package org.cartltfu.hub.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** The body limits with the shipped defaults (application.yaml): what real transactions hold passes, the rest not. */
class InputLimitsTest {

    private static final String JSON = "application/fhir+json";
    private static final String XML = "application/fhir+xml";
    private static InputLimits limits;

    @BeforeAll
    static void shippedDefaults() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader()
                .load("application", new ClassPathResource("application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        HubProperties.Limits shipped = new Binder(ConfigurationPropertySources.get(environment))
                .bind("hub.fhir.limits", HubProperties.Limits.class)
                .get();
        limits = new InputLimits(shipped);
    }

    /** A transaction of the size of a large Synthea patient bundle: 3,000 entries, about 16 MB, in JSON and XML. */
    @Test
    void aLargeRealTransactionPasses() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String narrative = "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + "Observation text. ".repeat(270) + "</div>";
        for (int i = 0; i < 3000; i++) {
            Observation observation = new Observation();
            observation.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString(narrative);
            observation
                    .setStatus(Observation.ObservationStatus.FINAL)
                    .setCode(new CodeableConcept()
                            .addCoding(
                                    new org.hl7.fhir.r4.model.Coding("http://loinc.org", "8310-5", "Body temperature")))
                    .setSubject(new Reference("urn:uuid:patient"))
                    .setValue(new Quantity()
                            .setValue(38.25)
                            .setUnit("Cel")
                            .setSystem("http://unitsofmeasure.org")
                            .setCode("Cel"));
            observation
                    .addComponent()
                    .setCode(new CodeableConcept().setText("x"))
                    .setValue(new Quantity(1.5e-3));
            bundle.addEntry()
                    .setFullUrl("urn:uuid:o" + i)
                    .setResource(observation)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
        }
        FhirContext fhir = FhirContext.forR4Cached();
        byte[] json = fhir.newJsonParser().encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8);
        byte[] xml = fhir.newXmlParser().encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8);
        assertTrue(json.length > 15_000_000 && json.length < 16 * 1024 * 1024, "size " + json.length);
        assertDoesNotThrow(() -> limits.check(JSON, json));
        assertDoesNotThrow(() -> limits.check(XML, xml));
    }

    static Stream<Arguments> refused() {
        String deep = "{\"a\":".repeat(500) + "1" + "}".repeat(500);
        String wide = "{\"resourceType\":\"Basic\",\"x\":[" + "1,".repeat(999_999) + "1]}";
        String longString =
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}]}";
        return Stream.of(
                Arguments.of(
                        JSON,
                        "{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":1e999999}}",
                        "max-number-exponent",
                        "/valueQuantity/value"),
                Arguments.of(
                        JSON,
                        "{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":-2.5E-400}}",
                        "max-number-exponent",
                        "/valueQuantity/value"),
                Arguments.of(
                        JSON,
                        "{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":\"1e999999\"}}",
                        "max-number-exponent",
                        "/valueQuantity/value"),
                Arguments.of(
                        JSON,
                        "{\"resourceType\":\"Observation\",\"valueInteger\":" + "9".repeat(200) + "}",
                        "max-number-length",
                        "/valueInteger"),
                Arguments.of(
                        XML,
                        "<Observation xmlns=\"http://hl7.org/fhir\"><valueQuantity><value value=\"1e999999\"/>"
                                + "</valueQuantity></Observation>",
                        "max-number-exponent",
                        "Observation/valueQuantity/value"),
                Arguments.of(JSON, deep, "max-depth", "/a/a/a"),
                Arguments.of(XML, "<a>".repeat(500) + "</a>".repeat(500), "max-depth", "a/a/a"),
                Arguments.of(JSON, wide, "max-array-length", "/x"),
                Arguments.of(JSON, longString, "max-string-length", "/name/0/family"),
                Arguments.of(
                        XML,
                        "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"" + "x".repeat(10 * 1024 * 1024)
                                + "\"/></name></Patient>",
                        "max-string-length",
                        "Patient/name/family"));
    }

    @ParameterizedTest(name = "{2} ({0})")
    @MethodSource("refused")
    void refusedNamingTheLimitAndWhere(String type, String body, String setting, String where) {
        InvalidRequestException refused = assertThrows(
                InvalidRequestException.class, () -> limits.check(type, body.getBytes(StandardCharsets.UTF_8)));
        assertTrue(refused.getMessage().contains("hub.fhir.limits." + setting), refused.getMessage());
        assertTrue(refused.getMessage().contains(where), refused.getMessage());
    }

    @Test
    void malformedBodiesAreLeftToTheParser() {
        assertDoesNotThrow(() -> limits.check(JSON, "{\"resourceType\":\"Patient\",".getBytes(StandardCharsets.UTF_8)));
        assertDoesNotThrow(() ->
                limits.check(XML, "<Patient xmlns=\"http://hl7.org/fhir\"><name".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void ordinaryNumbersAndOtherContentPass() {
        assertDoesNotThrow(() -> limits.check(
                JSON,
                "{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":1.5e-3},\"note\":[{\"text\":\"1e999999 is not a number here\"}]}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertDoesNotThrow(
                () -> limits.check("application/octet-stream", "{\"a\":1e999999}".getBytes(StandardCharsets.UTF_8)));
    }
}
