package org.cartltfu.hub.security;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * A real PostgreSQL (the embedded one the hub runs on) holding only the authorization server's tables, for unit
 * tests of what keeps its state there: registered clients, used assertion ids, the signing key.
 */
public final class AuthDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final AuthSchema schema;

    public AuthDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(
                        Path.of("target/test-data/auth-" + UUID.randomUUID()).toAbsolutePath())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        schema = new AuthSchema(postgres.getPostgresDatabase());
    }

    public AuthSchema schema() {
        return schema;
    }

    /** The repository the hub's {@code AuthServerConfig} uses, on these tables. */
    public RegisteredClientRepository clients() {
        return new JdbcRegisteredClientRepository(schema.jdbc());
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
