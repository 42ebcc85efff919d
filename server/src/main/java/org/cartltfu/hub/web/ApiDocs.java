package org.cartltfu.hub.web;

import ca.uhn.fhir.rest.openapi.OpenApiInterceptor;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.cartltfu.hub.security.Endpoints;
import org.thymeleaf.context.WebContext;

/**
 * HAPI's Swagger UI ({@code /fhir/swagger-ui/}) with the hub's login: the API description names the authorization
 * server (OAuth 2.0 authorization code), and the page logs a person in with PKCE as the web app's public client, so
 * "Try it out" runs with that person's token and sees what the access policy lets that person see. The page and the
 * description are open (they hold what the public CapabilityStatement holds); every call from them needs the token.
 */
class ApiDocs extends OpenApiInterceptor {

    static final String SCHEME = "hub-login";
    static final String REDIRECT = "/fhir/swagger-ui/oauth2-redirect.html";

    private final Endpoints endpoints;
    private final String clientId;

    ApiDocs(Endpoints endpoints, String clientId) {
        this.endpoints = endpoints;
        this.clientId = clientId;
        addResourcePathToClasspath("/swagger-ui/index.html", "/web/swagger-index.html");
    }

    @Override
    protected OpenAPI generateOpenApi(ServletRequestDetails request) {
        OpenAPI api = super.generateOpenApi(request);
        if (!endpoints.builtInServer()) {
            return api;
        }
        OAuthFlow login = new OAuthFlow()
                .authorizationUrl(endpoints.url(request.getServletRequest(), Endpoints.AUTHORIZE_PATH))
                .tokenUrl(endpoints.url(request.getServletRequest(), Endpoints.TOKEN_PATH))
                .scopes(new Scopes()
                        .addString("openid", "who you are")
                        .addString("fhirUser", "your user resource")
                        .addString("user/*.rs", "read and search what your role and site allow")
                        .addString("user/*.cruds", "also write what your role and site allow"));
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        api.getComponents()
                .addSecuritySchemes(
                        SCHEME,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.OAUTH2)
                                .description(
                                        "Log in as a person of the hub (SMART App Launch, authorization code with PKCE)")
                                .flows(new OAuthFlows().authorizationCode(login)));
        api.addSecurityItem(new SecurityRequirement().addList(SCHEME));
        return api;
    }

    @Override
    protected void populateOIDCVariables(ServletRequestDetails request, WebContext context) {
        context.setVariable("OAUTH2_REDIRECT_URL_PROPERTY", endpoints.url(request.getServletRequest(), REDIRECT));
        context.setVariable("HUB_CLIENT_ID", clientId);
        context.setVariable("HUB_FHIR_BASE", endpoints.url(request.getServletRequest(), "/fhir"));
    }
}
