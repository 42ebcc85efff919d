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

/** A full audit queue slows the callers down; it never loses an event; the writer stores what waits in batches. */
class AuditWriterTest {

    @Test
    void whatWaitsIsStoredInBatchesAndAFailedBatchEventByEvent() throws Exception {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        List<String> stored = new CopyOnWriteArrayList<>();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AuditWriter writer = new AuditWriter(1000, events -> {
            firstStarted.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (events.size() > 1
                    && events.stream().anyMatch(event -> event.getOutcomeDesc().equals("bad"))) {
                throw new IllegalStateException("one bad event in the batch");
            }
            if (events.size() == 1 && events.get(0).getOutcomeDesc().equals("bad")) {
                throw new IllegalStateException("the bad event");
            }
            batchSizes.add(events.size());
            events.forEach(event -> stored.add(event.getOutcomeDesc()));
        });
        writer.start();
        writer.submit(new AuditEvent().setOutcomeDesc("first"));
        firstStarted.await();
        // While the writer stores the first, 450 more queue up (one bad): they go in batches of at most BATCH.
        for (int i = 0; i < 450; i++) {
            writer.submit(new AuditEvent().setOutcomeDesc(i == 300 ? "bad" : "e" + i));
        }
        release.countDown();
        writer.stop();

        assertEquals(0, writer.storedByCaller());
        assertEquals(450, stored.size(), "everything but the bad event");
        assertTrue(batchSizes.contains(AuditWriter.BATCH), "full batches: " + batchSizes);
        assertTrue(batchSizes.stream().allMatch(size -> size <= AuditWriter.BATCH), batchSizes.toString());
        assertTrue(
                batchSizes.stream().filter(size -> size == 1).count() >= AuditWriter.BATCH - 1,
                "the failed batch was stored event by event: " + batchSizes);
    }

    @Test
    void aFullQueueLosesNothing() throws Exception {
        List<String> stored = new CopyOnWriteArrayList<>();
        CountDownLatch writerStuck = new CountDownLatch(1);
        CountDownLatch storeIsSlow = new CountDownLatch(1);
        AuditWriter writer = new AuditWriter(2, events -> {
            if (Thread.currentThread().getName().equals("audit-event-writer")) {
                writerStuck.countDown();
                try {
                    storeIsSlow.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            events.forEach(event -> stored.add(event.getOutcomeDesc()));
        });
        writer.start();
        writer.submit(new AuditEvent().setOutcomeDesc("first"));
        writerStuck.await();

        // The writer is stuck on its first event and two wait in the queue: every further one is stored by its caller.
        List<Thread> callers = IntStream.range(0, 4)
                .mapToObj(thread -> new Thread(() -> {
                    for (int i = 0; i < 25; i++) {
                        writer.submit(new AuditEvent().setOutcomeDesc(thread + "-" + i));
                    }
                }))
                .toList();
        callers.forEach(Thread::start);
        for (Thread caller : callers) {
            caller.join();
        }
        assertEquals(98, writer.storedByCaller());

        storeIsSlow.countDown();
        writer.stop();
        writer.submit(new AuditEvent().setOutcomeDesc("after stop"));

        Set<String> expected = IntStream.range(0, 4)
                .boxed()
                .flatMap(thread -> IntStream.range(0, 25).mapToObj(i -> thread + "-" + i))
                .collect(Collectors.toSet());
        expected.add("first");
        expected.add("after stop");
        assertEquals(102, stored.size());
        assertEquals(expected, Set.copyOf(stored));
    }
}
