package org.cartltfu.hub.security.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.cartltfu.hub.security.Endpoints;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.HtmlUtils;

/**
 * Demo profile only: a page to log in from a browser (a real SMART App Launch through the hub's login page, as any
 * app does it) that then shows the person's access token and queries that work as printed.
 */
@RestController
@Profile("demo")
class DemoPages {

    static final String PATH = "/demo";
    static final String CALLBACK = "/demo/callback";
    static final String APP = "demo-web";
    private static final String SCOPE = "openid fhirUser offline_access user/*.rs";

    private final DemoSetup demo;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    DemoPages(DemoSetup demo) {
        this.demo = demo;
    }

    @GetMapping(path = PATH, produces = MediaType.TEXT_HTML_VALUE)
    String home() {
        return page("<p>This hub runs the <b>demo profile</b>: demo people and keys, never real data.</p>"
                + "<p><a href=\"" + PATH
                + "/login\">Log in</a> as <code>clinician</code> (hub), <code>coordinator</code>"
                + " (spoke, Bach Mai) or <code>analyst</code> (registry), password <code>" + DemoSetup.PASSWORD
                + "</code>.</p><p>SMART discovery: <a href=\"/fhir/.well-known/smart-configuration\">"
                + "/fhir/.well-known/smart-configuration</a></p>");
    }

    @GetMapping(PATH + "/login")
    org.springframework.http.ResponseEntity<Void> login(HttpServletRequest request, HttpSession session)
            throws Exception {
        String verifier = random();
        String state = random();
        session.setAttribute("demo.verifier", verifier);
        session.setAttribute("demo.state", state);
        String challenge = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String root = ServletUriComponentsBuilder.fromContextPath(request).toUriString();
        URI authorize = URI.create(root + Endpoints.AUTHORIZE_PATH + "?response_type=code&client_id=" + APP
                + "&redirect_uri=" + enc(root + CALLBACK) + "&scope=" + enc(SCOPE) + "&state=" + state
                + "&code_challenge=" + challenge + "&code_challenge_method=S256&aud=" + enc(root + "/fhir"));
        return org.springframework.http.ResponseEntity.status(302)
                .location(authorize)
                .build();
    }

    @GetMapping(path = CALLBACK, produces = MediaType.TEXT_HTML_VALUE)
    String callback(
            HttpServletRequest request,
            HttpSession session,
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String error,
            @RequestParam(name = "error_description", required = false) String description)
            throws Exception {
        if (error != null || code == null || state == null || !state.equals(session.getAttribute("demo.state"))) {
            return page("<p>Login refused: "
                    + HtmlUtils.htmlEscape(
                            error == null ? "state mismatch" : error + " " + (description == null ? "" : description))
                    + "</p><p><a href=\"" + PATH + "\">Back</a></p>");
        }
        String root = ServletUriComponentsBuilder.fromContextPath(request).toUriString();
        String form = "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(root + CALLBACK)
                + "&code_verifier=" + enc((String) session.getAttribute("demo.verifier"));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(root + Endpoints.TOKEN_PATH))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString((APP + ":" + demo.appSecret())
                                                        .getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        @SuppressWarnings("unchecked")
        Map<String, Object> tokens = json.readValue(response.body(), Map.class);
        if (response.statusCode() != 200) {
            return page("<p>Token request refused: " + HtmlUtils.htmlEscape(response.body()) + "</p>");
        }
        String token = (String) tokens.get("access_token");
        Map<String, Object> claims = SignedJWT.parse(token).getJWTClaimsSet().getClaims();
        String fhir = root + "/fhir";
        return page("<p>Logged in: <b>" + HtmlUtils.htmlEscape(String.valueOf(claims.get("sub"))) + "</b>, role <b>"
                + claims.get("cart_role") + "</b>, site <b>"
                + HtmlUtils.htmlEscape(String.valueOf(claims.get("cart_site")))
                + "</b>, scopes <code>" + HtmlUtils.htmlEscape(String.valueOf(claims.get("scope"))) + "</code>.</p>"
                + "<p>Access token (valid " + tokens.get("expires_in") + " s):</p><textarea rows=6 cols=100 readonly>"
                + token + "</textarea><p>In a terminal:</p><pre>T=" + token + "\n"
                + "curl -s -H \"Authorization: Bearer $T\" '" + fhir + "/Patient?_summary=count'\n"
                + "curl -s -H \"Authorization: Bearer $T\" '" + fhir
                + "/Patient?_count=5&amp;_elements=name,managingOrganization'\n"
                + "curl -s -H \"Authorization: Bearer $T\" '" + fhir + "/AdverseEvent?_count=5'</pre>"
                + "<p><a href=\"" + PATH + "/login\">Log in again</a> · <a href=\"/logout\">Log out</a></p>");
    }

    private static String page(String body) {
        return "<!doctype html><html><head><meta charset=utf-8><title>CAR-T LTFU hub (demo)</title></head><body>"
                + "<h1>CAR-T LTFU hub &mdash; DEMO</h1>" + body + "</body></html>";
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
