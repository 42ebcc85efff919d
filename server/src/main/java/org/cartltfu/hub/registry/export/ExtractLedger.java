package org.cartltfu.hub.registry.export;

import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.cartltfu.hub.registry.gate.ReleaseDecision;
import org.cartltfu.hub.registry.release.ReleaseSession.DecisionLedger;
import org.cartltfu.hub.registry.release.ReleaseSession.PatientRelease;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What running extracts decided and wrote, kept in the database ({@code db/extract-schema.sql}) so that every hub
 * instance working on one export agrees on each patient and the instance that sees the job complete can audit all of
 * it, once. Extracts are named by {@link ExtractSessions#key}.
 */
public class ExtractLedger {

    /** Rows of an extract that never completed (cancelled, failed) are removed after this time. */
    static final Duration KEPT_FOR = Duration.ofDays(7);

    /** What one completed extract decided and released, taken from the ledger by the one instance that audits it. */
    public record Completed(Map<String, PatientRelease> patients, Map<String, Long> releasedByType) {}

    private final JdbcTemplate jdbc;
    /** Decisions are settled in their own short transaction: export workers may read inside a read-only one. */
    private final TransactionTemplate ownTransaction;

    public ExtractLedger(DataSource dataSource, PlatformTransactionManager transactions) {
        new ResourceDatabasePopulator(new ClassPathResource("db/extract-schema.sql")).execute(dataSource);
        this.jdbc = new JdbcTemplate(dataSource);
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Records that an extract started (and forgets extracts that never completed). */
    void opened(String key) {
        ownTransaction.executeWithoutResult(status -> {
            String stale = "SELECT extract_key FROM hub_extract WHERE opened_at < now() - make_interval(secs => ?)";
            long seconds = KEPT_FOR.toSeconds();
            jdbc.update("DELETE FROM hub_extract_patient WHERE extract_key IN (" + stale + ")", seconds);
            jdbc.update("DELETE FROM hub_extract_released WHERE extract_key IN (" + stale + ")", seconds);
            jdbc.update("DELETE FROM hub_extract WHERE opened_at < now() - make_interval(secs => ?)", seconds);
            jdbc.update(
                    "INSERT INTO hub_extract (extract_key, opened_at) VALUES (?, now()) ON CONFLICT DO NOTHING", key);
        });
    }

    /** True while an extract of this key has started and not completed. */
    boolean running(String key) {
        return !jdbc.queryForList(
                        "SELECT 1 FROM hub_extract WHERE extract_key = ? AND audited_at IS NULL", Integer.class, key)
                .isEmpty();
    }

    /** The decisions of one extract, shared by every session working on it. */
    DecisionLedger decisions(String key) {
        return (patientId, proposed) -> ownTransaction.execute(status -> {
            jdbc.update(
                    "INSERT INTO hub_extract_patient (extract_key, patient_id, released, reason, infusion_date)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    key,
                    patientId,
                    proposed.decision().released(),
                    proposed.decision().reason(),
                    date(proposed.infusionDate()));
            return jdbc.queryForObject(
                    "SELECT released, reason, infusion_date FROM hub_extract_patient"
                            + " WHERE extract_key = ? AND patient_id = ?",
                    (row, index) -> new PatientRelease(
                            new ReleaseDecision(row.getBoolean(1), row.getString(2)), localDate(row.getDate(3))),
                    key,
                    patientId);
        });
    }

    /** Counts resources written into one of the extract's files, in the transaction that stores the file. */
    void released(String key, String resourceType, long resources) {
        jdbc.update(
                "INSERT INTO hub_extract_released (extract_key, resource_type, resources) VALUES (?, ?, ?)"
                        + " ON CONFLICT (extract_key, resource_type) DO UPDATE SET resources = hub_extract_released.resources"
                        + " + EXCLUDED.resources",
                key,
                resourceType,
                resources);
    }

    /**
     * Marks the extract complete and hands its decisions to the caller, who audits them; empty when another instance
     * (or an earlier report of the same completion) already did.
     */
    Optional<Completed> complete(String key) {
        return ownTransaction.execute(status -> {
            int claimed = jdbc.update(
                    "INSERT INTO hub_extract (extract_key, opened_at, audited_at) VALUES (?, now(),"
                            + " now()) ON CONFLICT (extract_key) DO UPDATE SET audited_at = now()"
                            + " WHERE hub_extract.audited_at IS NULL",
                    key);
            if (claimed == 0) {
                return Optional.empty();
            }
            Map<String, PatientRelease> patients = new TreeMap<>();
            jdbc.query(
                    "SELECT patient_id, released, reason, infusion_date FROM hub_extract_patient"
                            + " WHERE extract_key = ?",
                    row -> {
                        patients.put(
                                row.getString(1),
                                new PatientRelease(
                                        new ReleaseDecision(row.getBoolean(2), row.getString(3)),
                                        localDate(row.getDate(4))));
                    },
                    key);
            Map<String, Long> released = new TreeMap<>();
            jdbc.query(
                    "SELECT resource_type, resources FROM hub_extract_released WHERE extract_key = ?",
                    row -> {
                        released.put(row.getString(1), row.getLong(2));
                    },
                    key);
            jdbc.update("DELETE FROM hub_extract_patient WHERE extract_key = ?", key);
            jdbc.update("DELETE FROM hub_extract_released WHERE extract_key = ?", key);
            return Optional.of(new Completed(patients, released));
        });
    }

    private static Date date(LocalDate date) {
        return date == null ? null : Date.valueOf(date);
    }

    private static LocalDate localDate(Date date) {
        return date == null ? null : date.toLocalDate();
    }
}
