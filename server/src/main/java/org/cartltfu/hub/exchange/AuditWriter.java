package org.cartltfu.hub.exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stores AuditEvents on one background thread so that requests do not wait for the audit write. None is ever
 * dropped: when the bounded queue is full (or the writer is not running), the request's own thread stores its event,
 * which slows exactly the clients that outpace the audit. Started and stopped by Spring; it stops after the web server
 * (so the last requests' events are still taken) and stores what is queued before the database goes.
 *
 * <p>The writer stores what has queued up in batches of up to {@link #BATCH} events in one database transaction: each
 * transaction costs a commit (fsync) in PostgreSQL and one in the full-text index, so one event per transaction could
 * not keep up with a burst of requests (every request is audited), the queue filled, and then every request waited for
 * its own two commits behind the others' (requests of the trust-boundary suite went unanswered for 60 s in CI).
 * Not more than {@link #BATCH}: Hibernate re-checks every entity of the session at each query HAPI makes while it
 * stores an event, so the cost per event grows with the batch (200 to a batch stored ~16 events/s under the
 * trust-boundary suite's load, 20 to a batch ~38/s).
 * A batch that fails is stored again one event at a time, so one bad event costs no other.
 */
public class AuditWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);

    static final int BATCH = 20;

    private final BlockingQueue<AuditEvent> queue;
    private final Consumer<List<AuditEvent>> store;
    private final AtomicLong storedByCaller = new AtomicLong();
    private volatile boolean running;
    private Thread writer;

    /** @param store stores the given events in one transaction */
    public AuditWriter(int capacity, Consumer<List<AuditEvent>> store) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.store = store;
    }

    public void submit(AuditEvent event) {
        if (running && queue.offer(event)) {
            return;
        }
        storedByCaller.incrementAndGet();
        storeLogged(List.of(event));
    }

    /** Events waiting for the writer (the gauge {@code hub.audit.pending}: how far the audit trail lags behind). */
    public int pending() {
        return queue.size();
    }

    /** Events the requests' own threads stored because the queue was full or the writer stopped. */
    public long storedByCaller() {
        return storedByCaller.get();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        writer = new Thread(this::drain, "audit-event-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (writer != null) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writer = null;
        }
        // Whatever a request queued while the writer was finishing.
        for (List<AuditEvent> batch = nextBatch(queue.poll()); !batch.isEmpty(); batch = nextBatch(queue.poll())) {
            storeLogged(batch);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server (its graceful shutdown and stop run at DEFAULT_PHASE - 1024 and - 2048). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            try {
                List<AuditEvent> batch = nextBatch(queue.poll(200, TimeUnit.MILLISECONDS));
                if (!batch.isEmpty()) {
                    storeLogged(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The first event and whatever else is waiting, up to a batch. */
    private List<AuditEvent> nextBatch(AuditEvent first) {
        List<AuditEvent> batch = new ArrayList<>();
        if (first != null) {
            batch.add(first);
            queue.drainTo(batch, BATCH - 1);
        }
        return batch;
    }

    private void storeLogged(List<AuditEvent> batch) {
        try {
            store.accept(batch);
        } catch (RuntimeException e) {
            if (batch.size() > 1) {
                log.warn(
                        "Could not store {} AuditEvents together ({}); storing them one at a time",
                        batch.size(),
                        e.getMessage());
                batch.forEach(event -> storeLogged(List.of(event)));
            } else {
                log.error("Could not store an AuditEvent: {}", batch.get(0).getOutcomeDesc(), e);
            }
        }
    }
}
