package org.cartltfu.hub.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** The token URL clients are told and the audiences a client assertion may name. */
class EndpointsTest {

    private static final String PUBLIC = "https://hub.example.org/auth/token";

    /** A request as it reached the hub on a laptop, under a context path. */
    private static MockHttpServletRequest reached(String host, int port) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/hub/auth/token");
        request.setScheme("http");
        request.setServerName(host);
        request.setServerPort(port);
        request.setContextPath("/hub");
        return request;
    }

    @Test
    void withoutAPublicUrlTheTokenUrlIsAsTheRequestReachedTheHub() {
        Endpoints endpoints = new Endpoints(ShippedSecurity.properties());
        assertEquals("http://localhost:8080/hub/auth/token", endpoints.tokenUrl(reached("localhost", 8080)));
        assertEquals(
                List.of("http://127.0.0.1:8080/hub/auth/token"), endpoints.tokenAudiences(reached("127.0.0.1", 8080)));
        assertEquals("http://localhost:8080/hub/auth/jwks", endpoints.jwksUrl(reached("localhost", 8080)));
        assertTrue(endpoints.builtInServer());
    }

    @Test
    void aPublicUrlIsAdvertisedAndAcceptedBesideTheUrlAsReached() {
        Endpoints endpoints =
                new Endpoints(ShippedSecurity.properties(Map.of("hub.security.token.public-url", PUBLIC)));
        assertEquals(PUBLIC, endpoints.tokenUrl(reached("10.0.0.5", 8080)));
        assertEquals(
                List.of(PUBLIC, "http://10.0.0.5:8080/hub/auth/token"),
                endpoints.tokenAudiences(reached("10.0.0.5", 8080)));
        MockHttpServletRequest asPublished = reached("hub.example.org", 443);
        asPublished.setScheme("https");
        asPublished.setContextPath("");
        assertEquals(List.of(PUBLIC), endpoints.tokenAudiences(asPublished), "named once when both are the same");
    }

    /** Forwarded headers are the container's to apply (server.forward-headers-strategy), not this class's. */
    @Test
    void aForwardedHostSentByTheClientIsNoAudience() {
        MockHttpServletRequest request = reached("localhost", 8080);
        request.addHeader("X-Forwarded-Host", "attacker.example");
        request.addHeader("Forwarded", "host=attacker.example;proto=https");
        List<String> audiences = new Endpoints(ShippedSecurity.properties()).tokenAudiences(request);
        assertEquals(List.of("http://localhost:8080/hub/auth/token"), audiences);
    }

    @Test
    void anExternalProvidersEndpointsReplaceTheBuiltInOnes() {
        Endpoints endpoints = new Endpoints(ShippedSecurity.properties(Map.of(
                "hub.security.external.issuer", "https://idp.example.org",
                "hub.security.external.jwks-uri", "https://idp.example.org/jwks",
                "hub.security.external.token-url", "https://idp.example.org/token")));
        assertEquals("https://idp.example.org/token", endpoints.tokenUrl(reached("localhost", 8080)));
        assertEquals("https://idp.example.org/jwks", endpoints.jwksUrl(reached("localhost", 8080)));
        assertFalse(endpoints.builtInServer());
        assertFalse(new Endpoints(ShippedSecurity.properties(Map.of("hub.security.enabled", "false"))).builtInServer());
    }
}
