package org.cartltfu.hub.exchange;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.cartltfu.hub.config.HubServerCustomizer;
import org.cartltfu.hub.config.RateLimitProperties;
import org.cartltfu.hub.config.RateLimiter;
import org.cartltfu.hub.conformance.ProfileValidatingInterceptor;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.Callers;
import org.hl7.fhir.dstu2.model.Subscription;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Provenance, audit, idempotent pushes and REST-hook subscriptions on the FHIR endpoint. */
@Configuration(proxyBeanMethods = false)
@Import({SubscriptionSubmitterConfig.class, SubscriptionProcessorConfig.class})
public class ExchangeConfig {

    @Bean
    AuditWriter auditWriter(
            DaoRegistry daos,
            DataSource dataSource,
            FhirContext fhirContext,
            org.springframework.transaction.PlatformTransactionManager transactions,
            MeterRegistry meters) {
        // A transaction of its own, in which the outbox rows are deleted as their events are stored.
        org.springframework.transaction.support.TransactionTemplate oneTransaction =
                new org.springframework.transaction.support.TransactionTemplate(transactions);
        oneTransaction.setPropagationBehavior(
                org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        AuditWriter writer = new AuditWriter(
                dataSource,
                oneTransaction,
                fhirContext,
                events -> events.forEach(event ->
                        daos.getResourceDao("AuditEvent").create(event, ProfileValidatingInterceptor.auditRecords())));
        meters.gauge("hub.audit.pending", writer, AuditWriter::pending);
        return writer;
    }

    @Bean
    AuditTrail auditTrail(
            Callers callers,
            SiteDirectory sites,
            AuditWriter writer,
            RateLimitProperties rateLimits,
            ExchangeProperties properties) {
        return new AuditTrail(
                callers, sites, writer, new RateLimiter(rateLimits.refusalAudit()), properties.auditEnabled());
    }

    @Bean
    HubServerCustomizer exchangeCustomizer(
            Callers callers,
            SiteDirectory sites,
            DaoRegistry daos,
            FhirContext fhirContext,
            AuditTrail auditTrail,
            ExchangeProperties properties,
            IdenticalPushLocks identicalPushLocks) {
        return server -> {
            server.registerInterceptor(new ProvenanceRecorder(callers, sites, daos, fhirContext));
            server.registerInterceptor(new ConcurrentPushRetry(properties.conflictRetries()));
            server.registerInterceptor(identicalPushLocks);
            if (properties.auditEnabled()) {
                server.registerInterceptor(auditTrail);
                server.registerInterceptor(new BalpAuditCaptureInterceptor(auditTrail, auditTrail));
            }
        };
    }

    /** Closed (with its connection pool) by Spring at shutdown. */
    @Bean
    IdenticalPushLocks identicalPushLocks(HikariDataSource dataSource, ExchangeProperties properties) {
        return IdenticalPushLocks.on(dataSource, properties.pushLockConnections(), properties.identicalPushWait());
    }

    /**
     * HAPI's subscription processor wires an e-mail sender even when e-mail delivery is off; e-mail subscriptions are
     * refused when they are created (only REST hooks are supported), so this one can never be reached.
     */
    @Bean
    IEmailSender emailSender() {
        return details -> {
            throw new UnsupportedOperationException("e-mail subscriptions are not supported; use rest-hook");
        };
    }

    /** Subscriptions deliver by REST hook only (no e-mail, websocket or messaging channels). */
    @Bean
    SubscriptionSettings subscriptionSettings() {
        SubscriptionSettings settings = new SubscriptionSettings();
        settings.addSupportedSubscriptionType(Subscription.SubscriptionChannelType.RESTHOOK);
        return settings;
    }
}
