package org.cartltfu.hub.security.authserver;

import org.cartltfu.hub.security.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * The login page people see when an app sends them to {@code /auth/authorize}: Spring Security's form login (its
 * generated page, CSRF-protected) with a session, over the hub's users and their lockout. Only these paths keep a
 * session; the FHIR API stays stateless.
 */
@Configuration(proxyBeanMethods = false)
public class LoginConfig {

    static final String LOGIN_PATH = "/login";

    @Bean
    @Order(2)
    SecurityFilterChain loginChain(HttpSecurity http, SecurityProperties properties) throws Exception {
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(
                        path.matcher(LOGIN_PATH), path.matcher("/logout"), path.matcher("/default-ui.css")))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        if (properties.enabled() && !properties.externalProvider()) {
            http.formLogin(Customizer.withDefaults()).logout(Customizer.withDefaults());
        }
        return http.build();
    }

    /** The one password check of the application (Spring's global authentication manager uses it). */
    @Bean
    AuthenticationProvider passwordLogin(HubUsers users) {
        return new LockingAuthenticationProvider(users);
    }
}
