package org.cartltfu.hub.security;

import javax.sql.DataSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.stereotype.Component;

/**
 * The authorization server's tables ({@code db/auth-schema.sql}), created at start when missing. Plain idempotent DDL
 * rather than a second migration tool: HAPI's own migrator owns the FHIR tables and knows nothing of these, and seven
 * small tables that only ever gain rows do not need versioned migrations yet (a later change adds its ALTER there).
 */
@Component
public class AuthSchema {

    private final JdbcTemplate jdbc;

    public AuthSchema(DataSource dataSource) {
        new ResourceDatabasePopulator(new ClassPathResource("db/auth-schema.sql")).execute(dataSource);
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** JDBC access to these tables (only once they exist). */
    public JdbcTemplate jdbc() {
        return jdbc;
    }
}
