package org.cartltfu.hub.registry;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import javax.sql.DataSource;
import org.cartltfu.hub.clinical.FollowUpProperties;
import org.cartltfu.hub.config.FhirServerConfig;
import org.cartltfu.hub.config.HubServerCustomizer;
import org.cartltfu.hub.exchange.AuditWriter;
import org.cartltfu.hub.record.PatientRecords;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.registry.audit.ExtractAudit;
import org.cartltfu.hub.registry.export.ExportOwners;
import org.cartltfu.hub.registry.export.ExportTuning;
import org.cartltfu.hub.registry.export.ExtractLedger;
import org.cartltfu.hub.registry.export.RegistryExportInterceptor;
import org.cartltfu.hub.registry.export.RetryAfterFilter;
import org.cartltfu.hub.registry.release.PatientDirectory;
import org.cartltfu.hub.registry.release.RegistryProperties;
import org.cartltfu.hub.registry.release.RegistryRecipients;
import org.cartltfu.hub.registry.release.RegistryRelease;
import org.cartltfu.hub.security.Callers;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;

/** Registry extracts: Bulk Data export gated and de-identified per recipient, flat views, period summaries. */
@Configuration(proxyBeanMethods = false)
public class RegistryConfig {

    /** Static and bound by hand: a BeanPostProcessor is made before configuration-properties beans exist. */
    @Bean
    static ExportTuning exportTuning(Environment environment) {
        return new ExportTuning(Binder.get(environment)
                .bind("hub.registry.export", RegistryProperties.Export.class)
                .orElseThrow(() -> new IllegalStateException("hub.registry.export is missing from application.yaml")));
    }

    @Bean
    RegistryRecipients registryRecipients(RegistryProperties properties, FhirContext fhirContext) {
        return new RegistryRecipients(properties, fhirContext);
    }

    @Bean
    RegistryRelease registryRelease(
            PatientRecords records, SiteDirectory sites, FhirContext fhirContext, RegistryProperties properties) {
        return new RegistryRelease(new PatientDirectory(records, sites, fhirContext), properties);
    }

    @Bean
    ExtractAudit extractAudit(AuditWriter auditWriter) {
        return new ExtractAudit(auditWriter);
    }

    @Bean
    ExtractLedger extractLedger(DataSource dataSource, PlatformTransactionManager transactions) {
        return new ExtractLedger(dataSource, transactions);
    }

    @Bean
    RegistryExportInterceptor registryExportInterceptor(
            Callers callers,
            RegistryRecipients recipients,
            RegistryRelease release,
            ExtractLedger ledger,
            ExtractAudit audit,
            FhirContext fhirContext,
            IInterceptorService storageInterceptors) {
        RegistryExportInterceptor interceptor =
                RegistryExportInterceptor.create(callers, recipients, release, ledger, audit, fhirContext);
        // On the storage layer: the export's per-resource and completion hooks run in batch threads, not requests.
        storageInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    HubServerCustomizer registryEndpoints(
            BulkDataExportProvider bulkExport,
            FhirContext fhirContext,
            Callers callers,
            IJobCoordinator jobs,
            RegistryRecipients recipients,
            RegistryRelease release,
            ExtractAudit audit,
            DaoRegistry daos,
            PatientRecords records,
            FollowUpProperties followUp) {
        ExtractRequests requests = new ExtractRequests(callers, recipients, release, daos);
        return server -> {
            server.registerProvider(bulkExport);
            server.registerProvider(new ViewRunOperation(requests, audit, fhirContext));
            server.registerProvider(
                    new RegistrySummaryOperation(requests, audit, daos, records, followUp, fhirContext));
            server.registerInterceptor(new ExportOwners(callers, jobs));
        };
    }

    @Bean
    FilterRegistrationBean<RetryAfterFilter> exportRetryAfter(RegistryProperties properties) {
        FilterRegistrationBean<RetryAfterFilter> registration = new FilterRegistrationBean<>(
                new RetryAfterFilter(properties.export().retryAfter()));
        registration.addUrlPatterns(FhirServerConfig.FHIR_PATH + "/*");
        return registration;
    }
}
