package org.cartltfu.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.sql.DataSource;
import org.cartltfu.hub.HubServerIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The database the running server writes to keeps what it acknowledged: fsync, synchronous commit, full-page writes. */
class DurabilityIT extends HubServerIT {

    @Autowired
    private DataSource dataSource;

    @Test
    void theRunningDatabaseIsDurable() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertEquals("on", jdbc.queryForObject("SHOW fsync", String.class));
        assertEquals("on", jdbc.queryForObject("SHOW synchronous_commit", String.class));
        assertEquals("on", jdbc.queryForObject("SHOW full_page_writes", String.class));
    }
}
