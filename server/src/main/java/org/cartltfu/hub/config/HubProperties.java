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
     * @param maxUnpackedRequestSize gzip request bodies that unpack to more than this are refused with 413
     * @param limits what a JSON or XML body may contain; checked before it is parsed
     */
    public record Fhir(
            String serverName,
            String serverAddress,
            int defaultPageSize,
            int maxPageSize,
            DataSize maxRequestSize,
            DataSize maxUnpackedRequestSize,
            Limits limits) {}

    /**
     * Bodies beyond these get 400 before HAPI parses them (see {@link InputLimits}).
     *
     * @param maxDepth nesting of objects and arrays (JSON) or elements (XML)
     * @param maxArrayLength items of one JSON array, children of one XML element
     * @param maxElements values in the whole body
     * @param maxStringLength characters of one string (JSON), attribute or text (XML)
     * @param maxNumberLength characters of one number literal
     * @param maxNumberExponent largest exponent (either sign) of a number such as {@code 1e300}
     */
    public record Limits(
            int maxDepth,
            int maxArrayLength,
            long maxElements,
            int maxStringLength,
            int maxNumberLength,
            int maxNumberExponent) {}

    /**
     * @param enabled validate every write of a profiled resource type; off only for benchmarks and bulk loads of data
     *     that was validated elsewhere
     */
    public record Validation(boolean enabled) {}

    /**
     * @param searchIndexDir the Hibernate Search (Lucene) index folder
     * @param searchIndex where Hibernate Search keeps its index: this instance's folder or an OpenSearch cluster
     * @param embeddedPostgres the database started in-process when no {@code spring.datasource.url} is set
     * @param exportFileMaxResources resources per NDJSON file of a Bulk Data export
     */
    public record Storage(
            Path searchIndexDir,
            SearchIndex searchIndex,
            EmbeddedPostgres embeddedPostgres,
            int exportFileMaxResources) {}

    /**
     * @param backend {@code lucene} (a folder per instance: one instance only) or {@code opensearch} (Elasticsearch
     *     or OpenSearch, shared by every instance)
     * @param hosts {@code host:port[,host:port]} of the OpenSearch cluster, without protocol
     * @param protocol {@code http} or {@code https}
     * @param username empty when the cluster needs none
     * @param password empty when the cluster needs none
     */
    public record SearchIndex(Backend backend, String hosts, String protocol, String username, String password) {
        public enum Backend {
            LUCENE,
            OPENSEARCH
        }
    }

    /**
     * @param dataDir the PostgreSQL data folder; kept across restarts
     * @param port the port it listens on (loopback only); 0 picks a free one
     * @param durable fsync, synchronous commit and full-page writes on; false only for benchmarks (a crash can then
     *     lose acknowledged writes or corrupt the database)
     */
    public record EmbeddedPostgres(Path dataDir, int port, boolean durable) {}
}
