package org.cartltfu.hub.config;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts a real PostgreSQL 16 in-process when no external database is configured, so that a newcomer needs nothing
 * but a JDK. Its data folder survives restarts and crashes ({@link EmbeddedDatabase}); with
 * {@code spring.datasource.url} set this class does nothing and Spring Boot's own DataSource is used.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfig.NoDatasourceUrl.class)
public class EmbeddedPostgresConfig {

    // Stopped by Spring (destroyMethod) after the beans that use it.
    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(HubProperties properties) throws IOException {
        return EmbeddedDatabase.start(properties.storage().embeddedPostgres());
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(EmbeddedDatabase database) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(database.jdbcUrl());
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(40);
        dataSource.setPoolName("embedded-postgres");
        return dataSource;
    }

    static class NoDatasourceUrl implements org.springframework.context.annotation.Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
