package org.cartltfu.hub.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

/** A full audit queue slows the callers down; it never loses an event. */
class AuditWriterTest {

	@Test
	void aFullQueueLosesNothing() throws Exception {
		List<String> stored = new CopyOnWriteArrayList<>();
		CountDownLatch storeIsSlow = new CountDownLatch(1);
		AuditWriter writer = new AuditWriter(2, event -> {
			if (Thread.currentThread().getName().equals("audit-event-writer")) {
				try {
					storeIsSlow.await();
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
			stored.add(event.getOutcomeDesc());
		});
		writer.start();

		// The writer is stuck on its first event and two wait in the queue: every further one is stored by its caller.
		List<Thread> callers = IntStream.range(0, 4).mapToObj(thread -> new Thread(() -> {
			for (int i = 0; i < 25; i++) {
				writer.submit(new AuditEvent().setOutcomeDesc(thread + "-" + i));
			}
		})).toList();
		callers.forEach(Thread::start);
		for (Thread caller : callers) {
			caller.join();
		}
		assertTrue(writer.storedByCaller() >= 97, "stored by callers: " + writer.storedByCaller());

		storeIsSlow.countDown();
		writer.stop();
		writer.submit(new AuditEvent().setOutcomeDesc("after stop"));

		Set<String> expected = IntStream.range(0, 4).boxed()
				.flatMap(thread -> IntStream.range(0, 25).mapToObj(i -> thread + "-" + i))
				.collect(Collectors.toSet());
		expected.add("after stop");
		assertEquals(101, stored.size());
		assertEquals(expected, Set.copyOf(stored));
	}
}
