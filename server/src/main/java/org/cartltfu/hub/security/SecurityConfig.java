package org.cartltfu.hub.security;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.JOSEException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Bearer tokens on {@code /fhir}: every FHIR request except {@code metadata} and the SMART discovery document needs
 * a valid access token, from the built-in token endpoint or from the configured external provider.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    /** Last: the authorization server's and the login pages' chains match their own paths first. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain securityFilterChain(
            HttpSecurity http, SecurityProperties properties, JwtDecoder jwtDecoder, FhirContext fhirContext)
            throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable());
        if (!properties.enabled()) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
            return http.build();
        }
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        OperationOutcomeEntryPoint entryPoint = new OperationOutcomeEntryPoint(fhirContext);
        http.authorizeHttpRequests(requests -> requests.requestMatchers(path.matcher(HttpMethod.GET, "/fhir/metadata"))
                        .permitAll()
                        .requestMatchers(path.matcher("/fhir/.well-known/**"))
                        .permitAll()
                        // Swagger UI and the API description: what the public CapabilityStatement says; calls need a
                        // token.
                        .requestMatchers(path.matcher(HttpMethod.GET, "/fhir/swagger-ui/**"))
                        .permitAll()
                        .requestMatchers(path.matcher(HttpMethod.GET, "/fhir/api-docs"))
                        .permitAll()
                        .requestMatchers(path.matcher("/fhir/**"))
                        .authenticated()
                        .anyRequest()
                        .permitAll())
                .oauth2ResourceServer(resourceServer ->
                        resourceServer.jwt(jwt -> jwt.decoder(jwtDecoder)).authenticationEntryPoint(entryPoint))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint));
        return http.build();
    }

    @Bean
    JwtDecoder jwtDecoder(SecurityProperties properties, HubSigningKey signingKey) throws JOSEException {
        NimbusJwtDecoder decoder;
        String issuer;
        if (properties.externalProvider()) {
            decoder = NimbusJwtDecoder.withJwkSetUri(properties.external().jwksUri())
                    .jwsAlgorithms(algorithms -> {
                        algorithms.add(SignatureAlgorithm.RS256);
                        algorithms.add(SignatureAlgorithm.RS384);
                        algorithms.add(SignatureAlgorithm.ES256);
                        algorithms.add(SignatureAlgorithm.ES384);
                    })
                    .build();
            issuer = properties.external().issuer();
        } else {
            decoder = NimbusJwtDecoder.withPublicKey(signingKey.publicKey().toRSAPublicKey())
                    .signatureAlgorithm(SignatureAlgorithm.RS384)
                    .build();
            issuer = properties.token().issuer();
        }
        // Default validators check exp/nbf (with 60 s skew); the issuer check keeps other issuers' tokens out.
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(issuer));
        return decoder;
    }
}
