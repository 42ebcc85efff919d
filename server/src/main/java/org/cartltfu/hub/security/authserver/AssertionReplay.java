package org.cartltfu.hub.security.authserver;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.cartltfu.hub.security.AuthSchema;
import org.springframework.stereotype.Component;

/**
 * Client-assertion ids already used, in the database so that every instance refuses a replay (SMART Backend Services:
 * the {@code jti} of an assertion is single-use). A row lives until its assertion has expired anyway.
 */
@Component
public class AssertionReplay {

    private final AuthSchema schema;

    public AssertionReplay(AuthSchema schema) {
        this.schema = schema;
    }

    /** Records the use of an assertion id; false when it had been used before. */
    public boolean firstUse(String clientId, String jti, Instant expiresAt, Duration clockSkew) {
        schema.jdbc()
                .update(
                        "DELETE FROM hub_used_assertion WHERE expires_at < ?",
                        Timestamp.from(Instant.now().minus(clockSkew)));
        return schema.jdbc()
                        .update(
                                "INSERT INTO hub_used_assertion (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                clientId,
                                jti,
                                Timestamp.from(expiresAt))
                == 1;
    }
}
