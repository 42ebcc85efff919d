package org.cartltfu.hub.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The clinician and coordinator web app at {@code /app} (prefix {@code hub.web}; defaults in application.yaml).
 *
 * @param enabled serve the app and register it with the hub's authorization server
 * @param clientId the app's client id: a public SMART app (authorization code + PKCE, no secret)
 * @param redirectUris where the app may be sent back after a login, e.g. {@code https://hub.example.org/app/};
 *     {@code http://127.0.0.1/app/} is always added (the loopback address matches any port)
 * @param accessTokenLifetime how long a login's access token lasts; then the app logs in again, which needs no
 *     password while the hub's login session lasts
 * @param languages the default language of a site by the country prefix of its code ({@code vn-bachmai} → vn);
 *     others get English. The person can always pick another.
 */
@ConfigurationProperties("hub.web")
public record WebAppProperties(
        boolean enabled,
        String clientId,
        List<String> redirectUris,
        Duration accessTokenLifetime,
        Map<String, String> languages) {

    public WebAppProperties {
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
        languages = languages == null ? Map.of() : Map.copyOf(languages);
    }
}
