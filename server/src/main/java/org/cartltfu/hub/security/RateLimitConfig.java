package org.cartltfu.hub.security;

import java.util.Optional;
import org.cartltfu.hub.config.RateLimitProperties;
import org.cartltfu.hub.config.RateLimiter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** Request rate limits on {@code /fhir} and the token endpoint (see {@link RequestRateLimit}). */
@Configuration(proxyBeanMethods = false)
public class RateLimitConfig {

    @Bean
    FilterRegistrationBean<RequestRateLimit> requestRateLimit(
            RateLimitProperties limits,
            SecurityProperties security,
            ObjectProvider<JwtDecoder> decoder,
            ApplicationEventPublisher events) {
        RequestRateLimit filter = new RequestRateLimit(
                new RateLimiter(limits.fhir()),
                new RateLimiter(limits.token()),
                security.enabled() ? Optional.ofNullable(decoder.getIfUnique()) : Optional.empty(),
                security.claims().client(),
                events);
        FilterRegistrationBean<RequestRateLimit> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/fhir/*", Endpoints.TOKEN_PATH, RequestRateLimit.LOGIN_PATH);
        // Before Spring Security: a request over the rate costs no more than this check.
        registration.setOrder(
                org.springframework.boot.autoconfigure.security.SecurityProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }
}
