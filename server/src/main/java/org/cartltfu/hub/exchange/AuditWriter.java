package org.cartltfu.hub.exchange;

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
 */
public class AuditWriter implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);

	private final BlockingQueue<AuditEvent> queue;
	private final Consumer<AuditEvent> store;
	private final AtomicLong storedByCaller = new AtomicLong();
	private volatile boolean running;
	private Thread writer;

	public AuditWriter(int capacity, Consumer<AuditEvent> store) {
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.store = store;
	}

	public void submit(AuditEvent event) {
		if (running && queue.offer(event)) {
			return;
		}
		storedByCaller.incrementAndGet();
		storeLogged(event);
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
		for (AuditEvent event = queue.poll(); event != null; event = queue.poll()) {
			storeLogged(event);
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
				AuditEvent event = queue.poll(200, TimeUnit.MILLISECONDS);
				if (event != null) {
					storeLogged(event);
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void storeLogged(AuditEvent event) {
		try {
			store.accept(event);
		} catch (RuntimeException e) {
			log.error("Could not store an AuditEvent: {}", event.getOutcomeDesc(), e);
		}
	}
}
