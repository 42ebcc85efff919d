package org.cartltfu.hub.registry.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.registry.gate.ReleaseDecision;
import org.cartltfu.hub.registry.release.ReleaseSession.DecisionLedger;
import org.cartltfu.hub.registry.release.ReleaseSession.PatientRelease;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The extract ledger on the real database, as several hub instances use it for one export: each instance's workers
 * hold their own {@link DecisionLedger} for the extract, and each instance may report the job's completion.
 */
class ExtractLedgerIT extends HubServerIT {

    @Autowired
    private ExtractLedger ledger;

    private static PatientRelease release(boolean released, String reason, LocalDate dayZero) {
        return new PatientRelease(new ReleaseDecision(released, reason), dayZero);
    }

    @Test
    void instancesThatDecideTheSamePatientAtOnceAllTakeTheFirstDecision() throws Exception {
        String key = "registry-a|" + UUID.randomUUID();
        ledger.opened(key);
        int instances = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<Future<PatientRelease>> settled = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            DecisionLedger own = ledger.decisions(key);
            // Half would release, half withhold (a consent withdrawn while the export runs): one answer must win.
            PatientRelease proposal = i % 2 == 0
                    ? release(true, "consent", LocalDate.of(2024, 3, 1))
                    : release(false, "no active consent", null);
            settled.add(pool.submit(() -> {
                start.await();
                return own.settle("p-1", proposal);
            }));
        }
        start.countDown();
        PatientRelease first = settled.get(0).get();
        for (Future<PatientRelease> each : settled) {
            assertEquals(first, each.get());
        }
        pool.shutdown();

        ledger.released(key, "Observation", 40);
        ledger.released(key, "Observation", 2);
        ledger.released(key, "Patient", 1);
        Optional<ExtractLedger.Completed> completed = ledger.complete(key);
        assertTrue(completed.isPresent());
        assertEquals(Map.of("p-1", first), completed.get().patients());
        assertEquals(Map.of("Observation", 42L, "Patient", 1L), completed.get().releasedByType());
    }

    @Test
    void anExtractIsHandedForAuditExactlyOnceAndIsNoLongerRunningAfterwards() {
        String key = "registry-a|" + UUID.randomUUID();
        ledger.opened(key);
        assertTrue(ledger.running(key));
        ledger.decisions(key).settle("p-2", release(false, "no active consent", null));

        assertTrue(ledger.complete(key).isPresent());
        assertFalse(ledger.running(key), "its export id may be used again");
        assertTrue(
                ledger.complete(key).isEmpty(), "a second report of the completion (another instance) audits nothing");
    }

    @Test
    void aCompletionNoInstanceSawStartIsStillAuditedOnce() {
        String key = "registry-a|" + UUID.randomUUID();
        ledger.decisions(key).settle("p-3", release(true, "consent", LocalDate.of(2024, 1, 2)));
        Optional<ExtractLedger.Completed> completed = ledger.complete(key);
        assertEquals(1, completed.orElseThrow().patients().size());
        assertTrue(ledger.complete(key).isEmpty());
    }
}
