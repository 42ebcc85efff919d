package org.cartltfu.hub.config;

import ca.uhn.fhir.batch2.api.IJobPersistence;
import ca.uhn.fhir.batch2.channel.BatchJobSender;
import ca.uhn.fhir.batch2.coordinator.JobDefinitionRegistry;
import ca.uhn.fhir.batch2.model.JobDefinition;
import ca.uhn.fhir.batch2.model.JobWorkNotification;
import ca.uhn.fhir.batch2.model.StatusEnum;
import ca.uhn.fhir.batch2.model.WorkChunkErrorEvent;
import ca.uhn.fhir.batch2.model.WorkChunkStatusEnum;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes back the batch-job work (bulk export, {@code $import}, reindexing) of an instance that died. HAPI's batch jobs
 * hand a work chunk to the in-memory queue of the instance whose maintenance pass picked it, and nothing looks at it
 * again (HAPI 8.8 has no timeout): when that instance dies the chunk stays queued or in progress and the job never
 * ends. So every instance records the chunks it queues ({@code hub_batch_chunk_owner}) and beats a heartbeat
 * ({@code hub_node_heartbeat}); any instance, one at a time, finds the chunks of an instance silent for
 * {@link #DEAD_AFTER_SECONDS} and:
 *
 * <ul>
 *   <li>a chunk never started, or waiting for a retry that died with the instance: sends it again, here;
 *   <li>a chunk that was running: counts the death as one of the step's errors and sends it again, as HAPI does
 *       after a step throws (three errors fail the job) — unless the step had begun handing work to the next step:
 *       running it again would export those resources twice, so the job fails, saying to start it again;
 *   <li>a job in its final step (HAPI's heartbeat refreshes it every minute) silent for
 *       {@link #FINAL_STEP_SILENT_SECONDS}: its final step runs again (it reads the finished chunks, which it only
 *       marks in its last transaction).
 * </ul>
 */
public final class BatchJobLiveness implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BatchJobLiveness.class);

    static final int DEAD_AFTER_SECONDS = 60;
    static final int FINAL_STEP_SILENT_SECONDS = 180;
    private static final int HEARTBEAT_SECONDS = 10;
    private static final int CHECK_SECONDS = 30;
    static final String DIED = "The hub instance running part of this job stopped; start the job again.";

    /** This instance, for the chunks it queues. */
    final String node = UUID.randomUUID().toString();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final IJobPersistence jobs;
    private final JobDefinitionRegistry definitions;
    private final BatchJobSender sender;
    private ScheduledExecutorService runner;

    /**
     * @param transactions HAPI's transaction manager's, so that the chunk updates join the transaction that locked
     *     the rows
     * @param sender the recording sender ({@link #recordQueuedChunks}), so a chunk sent again is this instance's
     */
    public BatchJobLiveness(
            DataSource dataSource,
            TransactionTemplate transactions,
            IJobPersistence jobs,
            JobDefinitionRegistry definitions,
            BatchJobSender sender) {
        new ResourceDatabasePopulator(new ClassPathResource("db/batch-job-liveness.sql")).execute(dataSource);
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = transactions;
        this.jobs = jobs;
        this.definitions = definitions;
        this.sender = sender;
    }

    /** Makes HAPI's batch-job sender record which instance queued each chunk. */
    public static BeanPostProcessor recordQueuedChunks(ObjectProvider<BatchJobLiveness> liveness) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof BatchJobSender target && !(bean instanceof RecordingSender)
                        ? new RecordingSender(target, liveness)
                        : bean;
            }
        };
    }

    /** HAPI's sender, recording the chunk first: a chunk not recorded is taken back by age alone. */
    private static final class RecordingSender extends BatchJobSender {
        private final BatchJobSender target;
        private final ObjectProvider<BatchJobLiveness> liveness;

        RecordingSender(BatchJobSender target, ObjectProvider<BatchJobLiveness> liveness) {
            super(null);
            this.target = target;
            this.liveness = liveness;
        }

        @Override
        public void sendWorkChannelMessage(JobWorkNotification notification) {
            liveness.getObject().queued(notification.getChunkId());
            target.sendWorkChannelMessage(notification);
        }
    }

    void queued(String chunkId) {
        jdbc.update(
                "INSERT INTO hub_batch_chunk_owner (chunk_id, node, queued_at) VALUES (?, ?, now())"
                        + " ON CONFLICT (chunk_id) DO UPDATE SET node = EXCLUDED.node, queued_at = EXCLUDED.queued_at",
                chunkId,
                node);
    }

    void heartbeat() {
        jdbc.update(
                "INSERT INTO hub_node_heartbeat (node, seen) VALUES (?, now())"
                        + " ON CONFLICT (node) DO UPDATE SET seen = EXCLUDED.seen",
                node);
    }

    /** One pass over every instance's work; returns how many chunks or jobs it took back. */
    int takeBack() {
        List<JobWorkNotification> resend = new ArrayList<>();
        Integer taken = transactions.execute(status -> {
            if (!Boolean.TRUE.equals(jdbc.queryForObject(
                    "SELECT pg_try_advisory_xact_lock(hashtext('hub-batch-job-liveness'))", Boolean.class))) {
                return 0; // another instance is at it
            }
            int count = 0;
            for (Map<String, Object> chunk : jdbc.queryForList("""
                    SELECT c.id, c.instance_id, c.definition_id, c.definition_ver, c.tgt_step_id, c.stat, c.start_time
                    FROM bt2_work_chunk c
                    JOIN bt2_job_instance i ON i.id = c.instance_id
                    LEFT JOIN hub_batch_chunk_owner o ON o.chunk_id = c.id
                    LEFT JOIN hub_node_heartbeat n
                        ON n.node = o.node AND n.seen > now() - make_interval(secs => ?)
                    WHERE c.stat IN ('QUEUED', 'IN_PROGRESS', 'ERRORED')
                      AND i.stat IN ('QUEUED', 'IN_PROGRESS', 'ERRORED')
                      AND n.node IS NULL
                      AND COALESCE(o.queued_at, c.start_time, c.create_time) < now() - make_interval(secs => ?)
                    FOR UPDATE OF c SKIP LOCKED""", DEAD_AFTER_SECONDS, DEAD_AFTER_SECONDS)) {
                String id = (String) chunk.get("id");
                String instance = (String) chunk.get("instance_id");
                String definition = (String) chunk.get("definition_id");
                int version = ((Number) chunk.get("definition_ver")).intValue();
                String step = (String) chunk.get("tgt_step_id");
                if ("IN_PROGRESS".equals(chunk.get("stat"))) {
                    if (handedOn(chunk, definition, version, step)) {
                        jobs.onWorkChunkFailed(id, DIED);
                        jobs.updateInstance(instance, job -> {
                            job.setStatus(StatusEnum.FAILED);
                            job.setErrorMessage(DIED);
                            return true;
                        });
                        log.warn(
                                "Batch job {}: its instance died in step {} after handing work on; failed",
                                instance,
                                step);
                        count++;
                        continue;
                    }
                    if (jobs.onWorkChunkError(new WorkChunkErrorEvent(id, DIED)) == WorkChunkStatusEnum.FAILED) {
                        count++; // its third error: HAPI fails the job
                        continue;
                    }
                }
                resend.add(new JobWorkNotification(definition, version, instance, step, id));
                count++;
            }
            for (String instance : jdbc.queryForList(
                    "SELECT id FROM bt2_job_instance WHERE stat = 'FINALIZE' AND update_time < now() - make_interval(secs => ?)",
                    String.class,
                    FINAL_STEP_SILENT_SECONDS)) {
                if (jobs.markInstanceAsStatusWhenStatusIn(
                        instance, StatusEnum.IN_PROGRESS, EnumSet.of(StatusEnum.FINALIZE))) {
                    log.warn("Batch job {}: its final step went silent; it runs again", instance);
                    count++;
                }
            }
            // Owners of chunks that are done (or purged with their job), and instances long gone.
            jdbc.update("DELETE FROM hub_batch_chunk_owner o WHERE NOT EXISTS (SELECT 1 FROM bt2_work_chunk c"
                    + " WHERE c.id = o.chunk_id AND c.stat IN ('QUEUED', 'IN_PROGRESS', 'ERRORED'))"
                    + " AND o.queued_at < now() - interval '1 hour'");
            jdbc.update("DELETE FROM hub_node_heartbeat WHERE seen < now() - interval '1 day'");
            return count;
        });
        // After the commit: the chunks are free for this instance's workers.
        resend.forEach(notification -> {
            log.warn(
                    "Batch job {}: chunk {} of step {} was an instance's that died; it runs here",
                    notification.getInstanceId(),
                    notification.getChunkId(),
                    notification.getTargetStepId());
            sender.sendWorkChannelMessage(notification);
        });
        return taken == null ? 0 : taken;
    }

    /** Whether the step had created chunks for the next step since the chunk started (running it again repeats them). */
    private boolean handedOn(Map<String, Object> chunk, String definition, int version, String step) {
        Optional<JobDefinition<?>> job = definitions.getJobDefinition(definition, version);
        if (job.isEmpty()) {
            return true; // nothing known about its steps: do not repeat it
        }
        int index = job.get().getStepIndex(step);
        if (index + 1 >= job.get().getSteps().size()) {
            return false;
        }
        String next = job.get().getSteps().get(index + 1).getStepId();
        Integer children = jdbc.queryForObject(
                "SELECT count(*) FROM bt2_work_chunk WHERE instance_id = ? AND tgt_step_id = ?"
                        + " AND create_time >= COALESCE(?, create_time)",
                Integer.class,
                chunk.get("instance_id"),
                next,
                chunk.get("start_time"));
        return children != null && children > 0;
    }

    private void run(Runnable task, String what) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // The database away: the next pass.
            log.warn("Batch job liveness: {} did not finish: {}", what, e.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        if (runner != null) {
            return;
        }
        runner = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "batch-job-liveness");
            thread.setDaemon(true);
            return thread;
        });
        runner.scheduleWithFixedDelay(() -> run(this::heartbeat, "heartbeat"), 0, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        runner.scheduleWithFixedDelay(
                () -> run(this::takeBack, "taking back dead instances' work"),
                CHECK_SECONDS,
                CHECK_SECONDS,
                TimeUnit.SECONDS);
    }

    @Override
    public synchronized void stop() {
        if (runner != null) {
            runner.shutdownNow();
            runner = null;
        }
    }

    @Override
    public boolean isRunning() {
        return runner != null;
    }
}
