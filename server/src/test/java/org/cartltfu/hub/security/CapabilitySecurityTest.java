package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.Map;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;
import org.hl7.fhir.r4.model.Extension;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** What the CapabilityStatement says about security: SMART, the token endpoint, no CORS. */
class CapabilitySecurityTest {

    private static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    private static ServletRequestDetails metadataRequest() {
        MockHttpServletRequest servlet = new MockHttpServletRequest("GET", "/fhir/metadata");
        servlet.setServerName("hub.local");
        servlet.setServerPort(8080);
        return new ServletRequestDetails().setServletRequest(servlet);
    }

    private static CapabilityStatement statement() {
        CapabilityStatement statement = new CapabilityStatement();
        statement.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        return statement;
    }

    @Test
    void theServerRestEntryAdvertisesSmartAndTheTokenUrlAsReached() {
        CapabilityStatement statement = statement();
        new CapabilitySecurity(new Endpoints(ShippedSecurity.properties())).advertise(statement, metadataRequest());

        CapabilityStatementRestSecurityComponent security =
                statement.getRestFirstRep().getSecurity();
        assertFalse(security.getCors());
        assertEquals(1, security.getService().size());
        assertEquals(
                "http://terminology.hl7.org/CodeSystem/restful-security-service",
                security.getServiceFirstRep().getCodingFirstRep().getSystem());
        assertEquals(
                "SMART-on-FHIR",
                security.getServiceFirstRep().getCodingFirstRep().getCode());
        Extension oauth = security.getExtensionByUrl(OAUTH_URIS);
        assertEquals(
                "http://hub.local:8080/auth/token",
                oauth.getExtensionByUrl("token").getValue().primitiveValue());
        assertTrue(security.getDescription().contains("private_key_jwt"));
        // What HAPI then serialises is valid R4 JSON with the extension in place.
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(statement);
        assertTrue(json.contains(OAUTH_URIS), json);
    }

    @Test
    void theConfiguredPublicTokenUrlIsTheOneAdvertised() {
        CapabilityStatement statement = statement();
        new CapabilitySecurity(new Endpoints(ShippedSecurity.properties(
                        Map.of("hub.security.token.public-url", "https://hub.example.org/auth/token"))))
                .advertise(statement, metadataRequest());
        assertEquals(
                "https://hub.example.org/auth/token",
                statement
                        .getRestFirstRep()
                        .getSecurity()
                        .getExtensionByUrl(OAUTH_URIS)
                        .getExtensionByUrl("token")
                        .getValue()
                        .primitiveValue());
    }

    @Test
    void everyRestEntryIsAdvertisedOnceAndAStatementWithoutOneIsLeftAlone() {
        CapabilityStatement two = statement();
        two.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        new CapabilitySecurity(new Endpoints(ShippedSecurity.properties())).advertise(two, metadataRequest());
        two.getRest()
                .forEach(rest ->
                        assertEquals(1, rest.getSecurity().getExtension().size()));

        CapabilityStatement none = new CapabilityStatement();
        new CapabilitySecurity(new Endpoints(ShippedSecurity.properties())).advertise(none, metadataRequest());
        assertTrue(none.getRest().isEmpty());
    }
}
