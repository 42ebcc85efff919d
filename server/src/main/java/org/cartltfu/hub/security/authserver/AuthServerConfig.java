package org.cartltfu.hub.security.authserver;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Optional;
import org.cartltfu.hub.security.AuthSchema;
import org.cartltfu.hub.security.ClientRegistry;
import org.cartltfu.hub.security.Endpoints;
import org.cartltfu.hub.security.HubSigningKey;
import org.cartltfu.hub.security.Role;
import org.cartltfu.hub.security.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The hub's authorization server: Spring Authorization Server with its clients, tokens and codes in PostgreSQL. It
 * serves SMART Backend Services (client_credentials with a {@code private_key_jwt} assertion) at
 * {@value Endpoints#TOKEN_PATH}, SMART App Launch for people (authorization code with PKCE at {@value #AUTHORIZE_PATH},
 * OpenID Connect, refresh tokens for confidential apps) and publishes its signing keys at {@value Endpoints#JWKS_PATH}.
 * Its filter chain comes first, then the login page's ({@link LoginConfig}), then the FHIR resource server's.
 */
@Configuration(proxyBeanMethods = false)
public class AuthServerConfig {

    static final String AUTHORIZE_PATH = Endpoints.AUTHORIZE_PATH;

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(
            HttpSecurity http, SecurityProperties properties, ClientAssertionDecoders assertions, JwtDecoder jwtDecoder)
            throws Exception {
        if (!properties.enabled() || properties.externalProvider()) {
            // The built-in server is off: its paths answer 404 rather than issue tokens nobody accepts.
            http.securityMatcher(PathPatternRequestMatcher.withDefaults().matcher("/auth/**"))
                    .csrf(csrf -> csrf.disable())
                    .authorizeHttpRequests(requests -> requests.anyRequest().denyAll())
                    .exceptionHandling(exceptions -> exceptions
                            .accessDeniedHandler((request, response, denied) -> response.sendError(404))
                            .authenticationEntryPoint((request, response, denied) -> response.sendError(404)));
            return http.build();
        }
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(
                        server,
                        authorizationServer -> authorizationServer
                                .clientAuthentication(clients -> clients.authenticationConverter(
                                                new SmartClientAssertionConverter())
                                        .authenticationProviders(providers -> providers.forEach(provider -> {
                                            if (provider instanceof JwtClientAssertionAuthenticationProvider jwt) {
                                                jwt.setJwtDecoderFactory(assertions);
                                            }
                                        }))
                                        .errorResponseHandler(AuthServerConfig::clientAuthenticationFailed))
                                .authorizationEndpoint(authorize ->
                                        authorize.authenticationProviders(providers -> providers.forEach(provider -> {
                                            if (provider
                                                    instanceof
                                                    OAuth2AuthorizationCodeRequestAuthenticationProvider code) {
                                                code.setAuthenticationValidator(
                                                        OAuth2AuthorizationCodeRequestAuthenticationValidator
                                                                .DEFAULT_REDIRECT_URI_VALIDATOR
                                                                .andThen(UserScopeValidator::validate));
                                            }
                                        })))
                                .tokenEndpoint(token -> token.accessTokenRequestConverter(new SystemScopeConverter())
                                        .authenticationProviders(providers -> providers.forEach(provider -> {
                                            if (provider
                                                    instanceof
                                                    OAuth2ClientCredentialsAuthenticationProvider credentials) {
                                                credentials.setAuthenticationValidator(
                                                        AuthServerConfig::registeredSystemScopes);
                                            }
                                        })))
                                .oidc(oidc -> oidc.providerConfigurationEndpoint(
                                        configuration -> configuration.providerConfigurationCustomizer(
                                                metadata -> metadata.idTokenSigningAlgorithms(algorithms -> {
                                                    algorithms.clear();
                                                    algorithms.add("RS384");
                                                })))))
                // Token, JWKS, metadata: the endpoints check clients themselves (and answer bad grants with 400);
                // authorize needs a logged-in person, and sends a browser to the login page.
                .authorizeHttpRequests(requests -> requests.requestMatchers(path.matcher(AUTHORIZE_PATH))
                        .authenticated()
                        .requestMatchers(path.matcher(Endpoints.USERINFO_PATH))
                        .authenticated()
                        .anyRequest()
                        .permitAll())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(jwt -> jwt.decoder(jwtDecoder)))
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint(LoginConfig.LOGIN_PATH), path.matcher(AUTHORIZE_PATH)))
                .csrf(csrf -> csrf.ignoringRequestMatchers(server.getEndpointsMatcher()));
        return http.build();
    }

    /** SAS's own check wants each scope registered verbatim; a SMART scope may lie within a registered wildcard. */
    private static void registeredSystemScopes(OAuth2ClientCredentialsAuthenticationContext context) {
        RegisteredClient client = context.getRegisteredClient();
        OAuth2ClientCredentialsAuthenticationToken request = context.getAuthentication();
        for (String scope : request.getScopes()) {
            if (!ScopeGrants.within(client.getScopes(), scope)) {
                throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_SCOPE);
            }
        }
    }

    /** The OAuth error with what exactly was wrong (an integrator cannot fix "invalid_client" alone). */
    private static void clientAuthenticationFailed(
            jakarta.servlet.http.HttpServletRequest request,
            HttpServletResponse response,
            AuthenticationException exception)
            throws java.io.IOException {
        OAuth2Error error = ((OAuth2AuthenticationException) exception).getError();
        String description = error.getDescription();
        if (exception.getCause() != null && exception.getCause().getMessage() != null) {
            description = description + " (" + exception.getCause().getMessage() + ")";
        }
        ServletServerHttpResponse http = new ServletServerHttpResponse(response);
        if (OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())) {
            http.setStatusCode(HttpStatus.UNAUTHORIZED);
            http.getHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_client\"");
        } else {
            http.setStatusCode(HttpStatus.BAD_REQUEST);
        }
        http.getHeaders().setCacheControl("no-store");
        new OAuth2ErrorHttpMessageConverter()
                .write(new OAuth2Error(error.getErrorCode(), description, null), null, http);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(SecurityProperties properties) {
        return AuthorizationServerSettings.builder()
                .issuer(properties.token().issuer())
                .tokenEndpoint(Endpoints.TOKEN_PATH)
                .jwkSetEndpoint(Endpoints.JWKS_PATH)
                .authorizationEndpoint(AUTHORIZE_PATH)
                .tokenIntrospectionEndpoint(Endpoints.INTROSPECT_PATH)
                .tokenRevocationEndpoint(Endpoints.REVOKE_PATH)
                .oidcUserInfoEndpoint(Endpoints.USERINFO_PATH)
                .oidcLogoutEndpoint("/auth/logout")
                .pushedAuthorizationRequestEndpoint("/auth/par")
                .deviceAuthorizationEndpoint("/auth/device_authorization")
                .deviceVerificationEndpoint("/auth/device_verification")
                .oidcClientRegistrationEndpoint("/auth/register")
                .build();
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(AuthSchema schema) {
        return new JdbcRegisteredClientRepository(schema.jdbc());
    }

    @Bean
    OAuth2AuthorizationService authorizationService(AuthSchema schema, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationService(schema.jdbc(), clients);
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(HubSigningKey signingKey) {
        return new ImmutableJWKSet<>(new JWKSet(signingKey.privateKey()));
    }

    /**
     * The claims the resource server reads ({@code Callers}): who, role, site and the scopes as one string. A system's
     * come from its registration; a person's from the person (client_id {@code user:<name>}, so that what is a
     * caller's own, such as an export, stays the person's; {@code azp} names the app), never from the app.
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> hubClaims(SecurityProperties properties) {
        return context -> {
            context.getJwsHeader().algorithm(SignatureAlgorithm.RS384);
            RegisteredClient client = context.getRegisteredClient();
            SecurityProperties.Claims names = properties.claims();
            boolean person = !AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType());
            Optional<Role> role =
                    person ? HubUsers.role(context.getPrincipal().getAuthorities()) : ClientRegistry.role(client);
            Optional<String> site =
                    person ? HubUsers.site(context.getPrincipal().getAuthorities()) : ClientRegistry.site(client);
            context.getClaims().claims(all -> {
                role.ifPresent(value -> all.put(names.role(), value.name().toLowerCase(Locale.ROOT)));
                site.ifPresent(value -> all.put(names.site(), value));
                if (person && context.getAuthorizedScopes().contains("fhirUser")) {
                    all.put(
                            "fhirUser",
                            ServletUriComponentsBuilder.fromCurrentContextPath()
                                    .path("/fhir/Practitioner/"
                                            + context.getPrincipal().getName())
                                    .toUriString());
                }
                if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                    all.put(
                            names.client(),
                            person ? "user:" + context.getPrincipal().getName() : client.getClientId());
                    all.put("azp", client.getClientId());
                    all.put(names.scope(), String.join(" ", context.getAuthorizedScopes()));
                }
            });
        };
    }
}
