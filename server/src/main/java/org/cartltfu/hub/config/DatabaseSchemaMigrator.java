package org.cartltfu.hub.config;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.migrate.HapiMigrationStorageSvc;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.SchemaMigrator;
import ca.uhn.fhir.jpa.migrate.dao.HapiMigrationDao;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the database schema with HAPI's own migration tasks (the same ones its CLI
 * {@code migrate-database} runs), instead of letting Hibernate guess with {@code ddl-auto: update}. An empty database
 * gets the current schema in one step; an older one gets exactly the missing tasks, recorded in
 * {@value SchemaMigrator#HAPI_FHIR_MIGRATION_TABLENAME}.
 */
public final class DatabaseSchemaMigrator {

    private static final Logger log = LoggerFactory.getLogger(DatabaseSchemaMigrator.class);

    private DatabaseSchemaMigrator() {}

    public static void migrate(DataSource dataSource) {
        HapiMigrationDao migrationDao = new HapiMigrationDao(
                dataSource, DriverTypeEnum.POSTGRES_9_4, SchemaMigrator.HAPI_FHIR_MIGRATION_TABLENAME);
        HapiMigrationStorageSvc storage = new HapiMigrationStorageSvc(migrationDao);
        SchemaMigrator migrator = new SchemaMigrator(
                "HAPI FHIR",
                SchemaMigrator.HAPI_FHIR_MIGRATION_TABLENAME,
                dataSource,
                new Properties(),
                new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()),
                storage);
        migrator.setDriverType(DriverTypeEnum.POSTGRES_9_4);
        migrator.createMigrationTableIfRequired();
        MigrationResult result = migrator.migrate();
        log.info("Database schema is current ({} migration tasks run now)", result.succeededTasks.size());
    }
}
