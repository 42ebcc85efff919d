package org.cartltfu.hub.clinical;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.cartltfu.hub.config.HubServerCustomizer;
import org.cartltfu.hub.record.PatientRecords;
import org.cartltfu.hub.record.SiteDirectory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The clinical operations on the FHIR endpoint, and the safety net on the storage layer. */
@Configuration(proxyBeanMethods = false)
public class ClinicalConfig {

    @Bean
    FollowUpPlanner followUpPlanner(DaoRegistry daos, PatientRecords records, FollowUpProperties properties) {
        return new FollowUpPlanner(daos, records, properties);
    }

    @Bean
    HubServerCustomizer clinicalOperations(
            DaoRegistry daos,
            PatientRecords records,
            SiteDirectory sites,
            FollowUpPlanner planner,
            FollowUpProperties properties,
            PlatformTransactionManager transactions,
            org.cartltfu.hub.security.Visibility visibility) {
        return server -> {
            // On the REST server: it answers the client with a warning, so it needs the client's request and response.
            server.registerInterceptor(new GradeConsistencyCheck(daos, records, transactions));
            server.registerProvider(new GradingOperations());
            server.registerProvider(new ToxicityHistoryOperation(records));
            server.registerProvider(new ProductTraceOperation(records));
            server.registerProvider(new FollowUpStatusOperation(records, sites, planner, properties, visibility));
        };
    }

    @Bean
    FollowUpPlanTrigger followUpPlanTrigger(
            FollowUpPlanner planner, PlatformTransactionManager transactions, IInterceptorService storageInterceptors) {
        FollowUpPlanTrigger trigger = new FollowUpPlanTrigger(planner, transactions);
        storageInterceptors.registerInterceptor(trigger);
        return trigger;
    }

    @Bean
    MalignancySafetyNet malignancySafetyNet(
            DaoRegistry daos,
            PatientRecords records,
            IValidationSupport terminology,
            IInterceptorService storageInterceptors) {
        MalignancySafetyNet safetyNet = new MalignancySafetyNet(daos, records, terminology);
        storageInterceptors.registerInterceptor(safetyNet);
        return safetyNet;
    }
}
