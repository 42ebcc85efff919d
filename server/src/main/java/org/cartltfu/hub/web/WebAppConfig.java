package org.cartltfu.hub.web;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.cartltfu.hub.security.ClientRegistry;
import org.cartltfu.hub.security.Endpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The web app is static files ({@code static/app}: plain ES modules, no build step) and a SMART app of the hub like
 * any other: it logs people in through {@code /auth/authorize} with PKCE and reads and writes through {@code /fhir}
 * with the person's token, so the access policy decides everything it shows. This class only registers it as a
 * public app and tells it its client id and the sites' default languages.
 */
@RestController
@ConditionalOnProperty(name = "hub.web.enabled", havingValue = "true", matchIfMissing = true)
public class WebAppConfig {

    public static final String PATH = "/app/";
    /** What a person's login through the app may be granted; the person's role caps it further. */
    static final Set<String> SCOPES = Set.of("openid", "fhirUser", "user/*.cruds", "user/*.rs");

    private static final Logger log = LoggerFactory.getLogger(WebAppConfig.class);

    private final WebAppProperties properties;
    private final ClientRegistry clients;
    private final Endpoints endpoints;

    public WebAppConfig(WebAppProperties properties, ClientRegistry clients, Endpoints endpoints) {
        this.properties = properties;
        this.clients = clients;
        this.endpoints = endpoints;
    }

    @EventListener(ApplicationReadyEvent.class)
    void register() {
        if (!endpoints.builtInServer()) {
            log.info("Web app at {} not registered: the hub's own authorization server is off", PATH);
            return;
        }
        Set<String> redirects = new LinkedHashSet<>();
        for (String app : properties.redirectUris()) {
            redirects.add(app);
            // Swagger UI on the same host logs in as this app too.
            redirects.add(java.net.URI.create(app).resolve(ApiDocs.REDIRECT).toString());
        }
        redirects.add("http://127.0.0.1" + PATH);
        redirects.add("http://127.0.0.1" + ApiDocs.REDIRECT);
        clients.saveApp(properties.clientId(), null, redirects, SCOPES, properties.accessTokenLifetime());
    }

    @GetMapping("/app")
    RedirectView app() {
        return new RedirectView(PATH);
    }

    @GetMapping(PATH)
    ModelAndView index() {
        return new ModelAndView("forward:" + PATH + "index.html");
    }

    @GetMapping(path = PATH + "config.json", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> config() {
        return Map.of(
                "clientId",
                properties.clientId(),
                "scope",
                String.join(" ", SCOPES),
                "languages",
                properties.languages(),
                "login",
                endpoints.builtInServer());
    }
}
