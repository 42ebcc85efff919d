package org.cartltfu.hub.config;

import ca.uhn.fhir.batch2.api.IJobPersistence;
import ca.uhn.fhir.batch2.channel.BatchJobSender;
import ca.uhn.fhir.batch2.coordinator.JobDefinitionRegistry;
import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.api.model.HistoryCountModeEnum;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.dao.FulltextSearchSvcImpl;
import ca.uhn.fhir.jpa.dao.IFulltextSearchSvc;
import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.dao.search.HSearchSortHelperImpl;
import ca.uhn.fhir.jpa.dao.search.IHSearchSortHelper;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.search.HapiHSearchAnalysisConfigurers;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.search.elastic.ElasticsearchHibernatePropertiesBuilder;
import ca.uhn.fhir.jpa.search.reindex.ResourceReindexer;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.cartltfu.ig.CarTIg;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.hibernate.search.backend.elasticsearch.ElasticsearchBackend;
import org.hibernate.search.engine.environment.bean.BeanReference;
import org.hibernate.search.mapper.orm.Search;
import org.hibernate.search.mapper.pojo.work.IndexingPlanSynchronizationStrategy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * HAPI FHIR's JPA server (R4) on PostgreSQL with Hibernate Search: the beans HAPI expects the application to supply.
 */
@Configuration(proxyBeanMethods = false)
@Import({
    JpaR4Config.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    ThreadPoolFactoryConfig.class,
    // Batch2 jobs (reindex, bulk export) talk over HAPI's in-memory message broker, which lives here.
    SubscriptionChannelConfig.class
})
public class JpaServerConfig {

    /** Every change the hub makes to HAPI's storage settings, here and nowhere else. */
    @Bean
    JpaStorageSettings storageSettings(HubProperties properties) {
        JpaStorageSettings settings = new JpaStorageSettings();
        // UUIDs rather than sequential numbers: ids travel between hospitals and must not reveal cohort size.
        settings.setResourceServerIdStrategy(JpaStorageSettings.IdStrategyEnum.UUID);
        settings.setAllowMultipleDelete(false);
        // A clinician repeating a search right after a spoke push must see the push, not a cached result.
        settings.setReuseCachedSearchResultsForMillis(null);
        // History totals must include what was written a moment ago (e.g. a deletion), not a minute-old count.
        settings.setHistoryCountMode(HistoryCountModeEnum.COUNT_ACCURATE);
        // HAPI's background ValueSet pre-expansion invalidates the validation caches after each ValueSet, racing with
        // validations in flight (seen as spurious 422 "unknown resource name 'Endpoint'" in the first minute after
        // start). Our value sets are small: expanding them in memory when needed costs little.
        settings.setPreExpandValueSets(false);
        // _content/_text search through Hibernate Search.
        settings.setHibernateSearchIndexFullText(true);
        settings.setDefaultSearchParamsCanBeOverridden(true);
        // Audit records must survive the deletion of what they describe: HAPI refuses to delete what a reference
        // points at, and refuses new references to deleted resources, unless the reference is logical.
        Set<String> paths = new HashSet<>(settings.getEnforceReferentialIntegrityOnDeleteDisableForPaths());
        paths.addAll(Set.of("Provenance.target", "AuditEvent.entity.what"));
        settings.setEnforceReferentialIntegrityOnDeleteDisableForPaths(paths);
        settings.addTreatReferencesAsLogical(CarTIg.AUDITED_BASE + "*");
        // Bulk export: single-chunk steps move on at once; each kick-off is a new job, because reusing an earlier
        // identical one would hand out files made under consents that may since have changed.
        settings.setJobFastTrackingEnabled(true);
        settings.setEnableBulkExportJobReuse(false);
        settings.setBulkExportFileMaximumCapacity(properties.storage().exportFileMaxResources());
        return settings;
    }

    /**
     * HAPI's scheduler runs batch-job maintenance every second; on shutdown it waits for a running pass, which needs
     * the database. Depending on the entity manager makes Spring stop the scheduler before the database goes away
     * (otherwise the pass retries a closed pool and shutdown hangs).
     */
    @Bean
    static BeanFactoryPostProcessor schedulerStopsBeforeTheDatabase() {
        return beanFactory -> {
            if (beanFactory.containsBeanDefinition("schedulerService")) {
                beanFactory.getBeanDefinition("schedulerService").setDependsOn("entityManagerFactory");
            }
        };
    }

    @Bean
    PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Primary
    @Bean
    LocalContainerEntityManagerFactoryBean entityManagerFactory(
            DataSource dataSource,
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            HubProperties properties,
            SearchIndexOutbox searchIndexOutbox) {
        // The schema must be current before Hibernate starts looking at it.
        DatabaseSchemaMigrator.migrate(dataSource);
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        factory.setJpaProperties(
                hibernateProperties(properties, new SearchIndexFailures(dataSource), searchIndexOutbox));
        return factory;
    }

    private static Properties hibernateProperties(
            HubProperties properties, SearchIndexFailures indexFailures, SearchIndexOutbox indexOutbox) {
        Properties hibernate = new Properties();
        hibernate.put("hibernate.dialect", HapiFhirPostgresDialect.class.getName());
        hibernate.put("hibernate.hbm2ddl.auto", "none");
        hibernate.put("hibernate.jdbc.batch_size", "50");
        hibernate.put("hibernate.order_inserts", "true");
        hibernate.put("hibernate.order_updates", "true");
        hibernate.put("hibernate.cache.use_query_cache", "false");
        hibernate.put("hibernate.cache.use_second_level_cache", "false");
        hibernate.put("hibernate.search.enabled", "true");
        HubProperties.SearchIndex index = properties.storage().searchIndex();
        if (index.backend() == HubProperties.SearchIndex.Backend.OPENSEARCH) {
            new ElasticsearchHibernatePropertiesBuilder()
                    .setHosts(index.hosts())
                    .setProtocol(index.protocol())
                    .setUsername(index.username())
                    .setPassword(index.password())
                    .apply(hibernate);
            // The builder's own (deprecated) key; SearchIndexOutbox carries the strategy instead.
            hibernate.remove("hibernate.search.automatic_indexing.synchronization.strategy");
        } else {
            hibernate.put("hibernate.search.backend.type", "lucene");
            hibernate.put(
                    "hibernate.search.backend.analysis.configurer",
                    HapiHSearchAnalysisConfigurers.HapiLuceneAnalysisConfigurer.class.getName());
            hibernate.put("hibernate.search.backend.directory.type", "local-filesystem");
            hibernate.put(
                    "hibernate.search.backend.directory.root",
                    properties.storage().searchIndexDir().toAbsolutePath().toString());
            hibernate.put("hibernate.search.backend.lucene_version", "LUCENE_CURRENT");
        }
        hibernate.put("hibernate.search.background_failure_handler", BeanReference.ofInstance(indexFailures));
        hibernate.put("hibernate.search.indexing.plan.synchronization.strategy", BeanReference.ofInstance(indexOutbox));
        hibernate.putAll(properties.hibernate());
        return hibernate;
    }

    @Bean
    SearchIndexOutbox searchIndexOutbox(DataSource dataSource, HubProperties properties) {
        // With a cluster a write does not wait for it: committed is acknowledged, and the outbox brings back
        // whatever the cluster did not take. The local index is written before the answer, as HAPI expects.
        return new SearchIndexOutbox(
                dataSource,
                properties.storage().searchIndex().backend() == HubProperties.SearchIndex.Backend.OPENSEARCH
                        ? IndexingPlanSynchronizationStrategy.async()
                        : IndexingPlanSynchronizationStrategy.writeSync());
    }

    @Primary
    @Bean
    JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    @Bean
    SearchIndexRepair searchIndexRepair(
            DataSource dataSource,
            PlatformTransactionManager transactionManager,
            EntityManagerFactory entityManagerFactory,
            IResourceTableDao resourceTables,
            ResourceReindexer reindexer,
            HubProperties properties,
            MeterRegistry meters,
            SearchIndexOutbox outbox) {
        outbox.listenTo(entityManagerFactory);
        BooleanSupplier reachable =
                properties.storage().searchIndex().backend() == HubProperties.SearchIndex.Backend.OPENSEARCH
                        ? () -> clusterAnswers(entityManagerFactory)
                        : () -> true;
        SearchIndexRepair repair = new SearchIndexRepair(
                new JdbcTemplate(dataSource),
                outbox,
                new TransactionTemplate(transactionManager),
                SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory),
                resourceTables,
                reindexer,
                reachable);
        meters.gauge("hub.search.repair.pending", repair, SearchIndexRepair::pending);
        return repair;
    }

    @Bean
    static BeanPostProcessor batchJobSenderRecordsItsChunks(ObjectProvider<BatchJobLiveness> liveness) {
        return BatchJobLiveness.recordQueuedChunks(liveness);
    }

    @Bean
    BatchJobLiveness batchJobLiveness(
            DataSource dataSource,
            PlatformTransactionManager transactionManager,
            IJobPersistence jobs,
            JobDefinitionRegistry definitions,
            BatchJobSender sender) {
        return new BatchJobLiveness(dataSource, new TransactionTemplate(transactionManager), jobs, definitions, sender);
    }

    private static boolean clusterAnswers(EntityManagerFactory entityManagerFactory) {
        try {
            RestClient client = Search.mapping(entityManagerFactory)
                    .backend()
                    .unwrap(ElasticsearchBackend.class)
                    .client(RestClient.class);
            return client.performRequest(new Request("GET", "/_cluster/health"))
                            .getStatusLine()
                            .getStatusCode()
                    == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Bean
    IFulltextSearchSvc fulltextSearchSvc() {
        return new FulltextSearchSvcImpl();
    }

    @Bean
    IHSearchSortHelper hSearchSortHelper(ISearchParamRegistry searchParamRegistry) {
        return new HSearchSortHelperImpl(searchParamRegistry);
    }

    @Bean
    IStaleSearchDeletingSvc staleSearchDeletingSvc() {
        return new StaleSearchDeletingSvcImpl();
    }

    @Bean
    DatabaseBackedPagingProvider pagingProvider(HubProperties properties) {
        DatabaseBackedPagingProvider paging = new DatabaseBackedPagingProvider();
        paging.setDefaultPageSize(properties.fhir().defaultPageSize());
        paging.setMaximumPageSize(properties.fhir().maxPageSize());
        return paging;
    }

    @Bean
    IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry daoRegistry) {
        return new DaoRegistryResourceSupportedSvc(daoRegistry);
    }

    @Bean(name = "myResourceCountsCache")
    ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
        return ResourceCountCacheUtil.newResourceCountCache(systemDao);
    }
}
