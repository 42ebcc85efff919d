package org.cartltfu.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.batch2.coordinator.JobDefinitionRegistry;
import ca.uhn.fhir.batch2.model.JobDefinition;
import ca.uhn.fhir.batch2.model.JobDefinitionStep;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.cartltfu.hub.HubServerIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The batch-job work of an instance that stopped beating is taken back by another, through HAPI's own job store and
 * workers: a bulk export whose file writing was running there runs here (counted as one error); one whose resource
 * fetching had already handed files to write fails, saying to start it again (running it again would export those
 * resources twice); work of an instance that is alive is left alone. The chunks are written as HAPI writes them for
 * a job half done on a killed instance; killing real instances under an export is ops/faults.sh's (bench
 * export-check).
 */
class BatchJobLivenessIT extends HubServerIT {

    private static final String DEAD = "instance-killed-" + UUID.randomUUID();

    @Autowired
    BatchJobLiveness liveness;

    @Autowired
    JobDefinitionRegistry definitions;

    @Autowired
    DataSource dataSource;

    @Test
    void theWorkOfAnInstanceThatStoppedIsTakenBack() throws InterruptedException {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        liveness.stop(); // its timer would take the chunks back before the test looks
        List<String> jobs = new ArrayList<>();
        try {
            JobDefinition<?> export = definitions
                    .getJobDefinition(
                            "BULK_EXPORT", Collections.max(definitions.getJobDefinitionVersions("BULK_EXPORT")))
                    .orElseThrow();
            List<String> steps =
                    export.getSteps().stream().map(JobDefinitionStep::getStepId).toList();
            String fetch = steps.get(steps.size() - 3); // hands lists of resource ids on to the file writing
            String write = steps.get(steps.size() - 2); // its output is only its own record for the report
            jdbc.update("INSERT INTO hub_node_heartbeat (node, seen) VALUES (?, now() - interval '5 minutes')", DEAD);
            liveness.heartbeat();

            String handedOn = job(jdbc, export, fetch);
            String fetching = chunk(jdbc, handedOn, export, fetch, "IN_PROGRESS", DEAD, null);
            chunk(jdbc, handedOn, export, write, "GATE_WAITING", null, null);
            String alive = job(jdbc, export, fetch);
            String aliveChunk = chunk(jdbc, alive, export, fetch, "IN_PROGRESS", liveness.node, null);
            String writing = job(jdbc, export, write);
            String writingChunk = chunk(
                    jdbc, writing, export, write, "IN_PROGRESS", DEAD, "{\"ids\":[],\"resourceType\":\"Patient\"}");
            jobs.addAll(List.of(handedOn, alive, writing));
            Timestamp writingStarted = jdbc.queryForObject(
                    "SELECT start_time FROM bt2_work_chunk WHERE id = ?", Timestamp.class, writingChunk);

            assertTrue(liveness.takeBack() >= 2); // (more where an external database keeps older runs' leftovers)

            Map<String, Object> failed =
                    jdbc.queryForMap("SELECT stat, error_msg FROM bt2_job_instance WHERE id = ?", handedOn);
            assertEquals("FAILED", failed.get("stat"));
            assertEquals(BatchJobLiveness.DIED, failed.get("error_msg"));
            assertEquals("FAILED", status(jdbc, fetching));

            assertEquals(
                    "IN_PROGRESS",
                    jdbc.queryForObject("SELECT stat FROM bt2_job_instance WHERE id = ?", String.class, alive));
            assertEquals("IN_PROGRESS", status(jdbc, aliveChunk));

            assertEquals(
                    1,
                    jdbc.queryForObject(
                            "SELECT error_count FROM bt2_work_chunk WHERE id = ?", Integer.class, writingChunk));
            assertEquals(
                    liveness.node,
                    jdbc.queryForObject(
                            "SELECT node FROM hub_batch_chunk_owner WHERE chunk_id = ?", String.class, writingChunk),
                    "sent again from here");
            boolean pickedUp = false;
            for (int i = 0; i < 100 && !pickedUp; i++) {
                Timestamp started = jdbc.queryForObject(
                        "SELECT start_time FROM bt2_work_chunk WHERE id = ?", Timestamp.class, writingChunk);
                pickedUp = started.after(writingStarted);
                Thread.sleep(200);
            }
            assertTrue(pickedUp, "this instance's workers took the chunk");

            liveness.takeBack();
            assertEquals("IN_PROGRESS", status(jdbc, aliveChunk), "an instance alive keeps its work");
        } finally {
            for (String job : jobs) {
                jdbc.update("UPDATE bt2_job_instance SET stat = 'FAILED' WHERE id = ?", job);
            }
            liveness.start();
        }
    }

    /** A bulk export job in progress, waiting at the given step. */
    private static String job(JdbcTemplate jdbc, JobDefinition<?> export, String step) {
        String id = UUID.randomUUID().toString();
        jdbc.update(
                "INSERT INTO bt2_job_instance (id, job_cancelled, create_time, start_time, definition_id, definition_ver,"
                        + " error_count, progress_pct, stat, work_chunks_purged, cur_gated_step_id, params_json_vc)"
                        + " VALUES (?, false, localtimestamp - interval '6 minutes', localtimestamp - interval '6 minutes',"
                        + " ?, ?, 0, 0, 'IN_PROGRESS', false, ?, '{}')",
                id,
                export.getJobDefinitionId(),
                export.getJobDefinitionVersion(),
                step);
        return id;
    }

    /** A work chunk as HAPI stores it, started 5 minutes ago, queued by {@code owner} (none: not queued yet). */
    private static String chunk(
            JdbcTemplate jdbc,
            String job,
            JobDefinition<?> export,
            String step,
            String status,
            String owner,
            String data) {
        String id = UUID.randomUUID().toString();
        jdbc.update(
                "INSERT INTO bt2_work_chunk (id, create_time, start_time, error_count, instance_id, definition_id,"
                        + " definition_ver, seq, stat, tgt_step_id, chunk_data_vc) VALUES (?, localtimestamp - interval"
                        + " '5 minutes', localtimestamp - interval '5 minutes', 0, ?, ?, ?, 0, ?, ?, ?)",
                id,
                job,
                export.getJobDefinitionId(),
                export.getJobDefinitionVersion(),
                status,
                step,
                data);
        if (owner != null) {
            jdbc.update(
                    "INSERT INTO hub_batch_chunk_owner (chunk_id, node, queued_at) VALUES (?, ?, now() - interval '5 minutes')",
                    id,
                    owner);
        }
        return id;
    }

    private static String status(JdbcTemplate jdbc, String chunk) {
        return jdbc.queryForObject("SELECT stat FROM bt2_work_chunk WHERE id = ?", String.class, chunk);
    }
}
