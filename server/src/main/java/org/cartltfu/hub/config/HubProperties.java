package org.cartltfu.hub.config;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The hub's own settings (prefix {@code hub}); every default lives in {@code application.yaml}.
 *
 * @param fhir how the FHIR endpoint behaves
 * @param storage where data and indexes live
 * @param validation whether writes are validated against our profiles
 * @param hibernate extra Hibernate properties, passed through as given (e.g. to switch Hibernate Search to
 *     Elasticsearch/OpenSearch)
 */
@ConfigurationProperties("hub")
public record HubProperties(Fhir fhir, Storage storage, Validation validation, Map<String, String> hibernate) {

	public HubProperties {
		hibernate = hibernate == null ? Map.of() : Map.copyOf(hibernate);
	}

	/**
	 * @param serverName the software name shown in the CapabilityStatement
	 * @param serverAddress the public base URL (e.g. behind a proxy); empty means: taken from each request
	 * @param defaultPageSize search page size when the client does not ask with {@code _count}
	 * @param maxPageSize the largest {@code _count} honoured
	 * @param maxRequestSize request bodies above this are refused with 413
	 */
	public record Fhir(
			String serverName, String serverAddress, int defaultPageSize, int maxPageSize, DataSize maxRequestSize) {}

	/**
	 * @param enabled validate every write of a profiled resource type; off only for benchmarks and bulk loads of data
	 *     that was validated elsewhere
	 */
	public record Validation(boolean enabled) {}

	/**
	 * @param searchIndexDir the Hibernate Search (Lucene) index folder
	 * @param embeddedPostgres the database started in-process when no {@code spring.datasource.url} is set
	 */
	public record Storage(Path searchIndexDir, EmbeddedPostgres embeddedPostgres) {}

	/**
	 * @param dataDir the PostgreSQL data folder; kept across restarts
	 * @param port the port it listens on (loopback only); 0 picks a free one
	 */
	public record EmbeddedPostgres(Path dataDir, int port) {}
}
