package org.cartltfu.hub.config;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/** The FHIR REST endpoint at {@code /fhir}: HAPI's RestfulServer over the JPA DAOs. */
@Configuration(proxyBeanMethods = false)
public class FhirServerConfig {

    public static final String FHIR_PATH = "/fhir";

    @Bean
    RestfulServer fhirServer(
            FhirContext fhirContext,
            HubProperties properties,
            Optional<BuildProperties> build,
            ResourceProviderFactory resourceProviders,
            JpaSystemProvider<?, ?> systemProvider,
            ValueSetOperationProvider valueSetOperations,
            IFhirSystemDao<?, ?> systemDao,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            SearchIndexRepair searchIndexRepair,
            List<HubServerCustomizer> customizers) {
        // A misspelt element from a spoke must be refused (400), not silently dropped.
        fhirContext.setParserErrorHandler(new StrictErrorHandler());
        RestfulServer server = new RestfulServer(fhirContext);
        server.setServerName(properties.fhir().serverName());
        server.setServerVersion(build.map(BuildProperties::getVersion).orElse("development"));
        server.setImplementationDescription(properties.fhir().serverName());
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        // Gzip bodies are unpacked, within a limit, by RequestSizeLimitFilter; HAPI's unpacking has none.
        server.setUncompressIncomingContents(false);
        server.setPagingProvider(pagingProvider);
        if (StringUtils.hasText(properties.fhir().serverAddress())) {
            server.setServerAddressStrategy(
                    new HardcodedServerAddressStrategy(properties.fhir().serverAddress()));
        }

        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);
        server.registerProvider(valueSetOperations);

        JpaCapabilityStatementProvider capabilities =
                new JpaCapabilityStatementProvider(
                        server, systemDao, storageSettings, searchParamRegistry, validationSupport) {
                    // Not cached: HAPI would keep the first caller's statement for a minute, with that caller's base
                    // URL and
                    // token URL (a browser at 127.0.0.1 would hand a client at localhost the wrong token endpoint).
                    @Override
                    @ca.uhn.fhir.rest.annotation.Metadata(cacheMillis = 0)
                    public org.hl7.fhir.instance.model.api.IBaseConformance getServerConformance(
                            jakarta.servlet.http.HttpServletRequest servletRequest,
                            ca.uhn.fhir.rest.api.server.RequestDetails requestDetails) {
                        return super.getServerConformance(servletRequest, requestDetails);
                    }
                };
        capabilities.setImplementationDescription(properties.fhir().serverName());
        // HAPI puts every type's resource count, across all sites, into the public CapabilityStatement (and Swagger
        // UI): how many patients and events the hub holds, and as they rise, what other sites are sending.
        capabilities.setIncludeResourceCounts(false);
        server.setServerConformanceProvider(capabilities);

        // First: a body that is costly to parse must be refused before anything else reads it.
        server.registerInterceptor(new InputLimits(properties.fhir().limits()));
        server.registerInterceptor(new ResponseHighlighterInterceptor());
        server.registerInterceptor(new PagingParameterCheck());
        server.registerInterceptor(new SearchModifierCheck(fhirContext, searchParamRegistry));
        server.registerInterceptor(new BackendUnavailable(searchIndexRepair::indexReachable));
        server.registerInterceptor(new UnparseableInputAsBadRequest());
        server.registerInterceptor(new AfterCommit());
        customizers.forEach(customizer -> customizer.customize(server));
        return server;
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer fhirServer) {
        ServletRegistrationBean<RestfulServer> registration =
                new ServletRegistrationBean<>(fhirServer, FHIR_PATH + "/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(HubProperties properties, FhirContext fhirContext) {
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(
                        properties.fhir().maxRequestSize().toBytes(),
                        properties.fhir().maxUnpackedRequestSize().toBytes(),
                        fhirContext));
        registration.addUrlPatterns(FHIR_PATH + "/*");
        return registration;
    }
}
