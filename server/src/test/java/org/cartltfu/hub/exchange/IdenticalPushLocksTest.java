package org.cartltfu.hub.exchange;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Transactions naming the same conditional match URLs wait for each other; others do not. Each request runs on a
 * thread of its own, as HAPI runs it, and unlocks on that thread when it is done.
 */
class IdenticalPushLocksTest {

    private static final long WAIT_MILLIS = 20_000;

    private final ExecutorService first = Executors.newSingleThreadExecutor();
    private final ExecutorService second = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        first.shutdownNow();
        second.shutdownNow();
    }

    private static ServletRequestDetails transaction(Bundle bundle) {
        ServletRequestDetails request = new ServletRequestDetails();
        request.setRestOperationType(RestOperationTypeEnum.TRANSACTION);
        request.setResource(bundle);
        return request;
    }

    /** A spoke's push: a conditional create of its patient by MRN (ifNoneExist in either of its two spellings). */
    private static Bundle createPatient(String mrn, boolean typeInIfNoneExist) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setResource(new Patient())
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient")
                .setIfNoneExist((typeInIfNoneExist ? "Patient?" : "") + "identifier=urn:mrn|" + mrn);
        return bundle;
    }

    private static Bundle updatePatient(String url) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setResource(new Patient())
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(url);
        return bundle;
    }

    /** Whether the second request, started while the first holds its locks, has to wait for the first's end. */
    private boolean secondWaitsForFirst(IdenticalPushLocks locks, Bundle one, Bundle two) throws Exception {
        first.submit(() -> {
                    locks.lock(transaction(one));
                    return null;
                })
                .get(5, TimeUnit.SECONDS);
        Future<?> later = second.submit(() -> {
            locks.lock(transaction(two));
            return null;
        });
        boolean waited;
        try {
            later.get(500, TimeUnit.MILLISECONDS);
            waited = false;
        } catch (java.util.concurrent.TimeoutException stillWaiting) {
            waited = true;
        }
        first.submit(locks::unlock).get(5, TimeUnit.SECONDS);
        later.get(5, TimeUnit.SECONDS); // goes on at once when the first is done
        second.submit(locks::unlock).get(5, TimeUnit.SECONDS);
        return waited;
    }

    @Test
    void theSamePushTwiceWaitsUntilTheFirstIsDone() throws Exception {
        IdenticalPushLocks locks = new IdenticalPushLocks(WAIT_MILLIS);
        assertTrue(secondWaitsForFirst(locks, createPatient("A-1", false), createPatient("A-1", false)));
        assertTrue(
                secondWaitsForFirst(locks, createPatient("A-1", false), createPatient("A-1", true)),
                "ifNoneExist with or without its type is the same match URL");
        assertTrue(
                secondWaitsForFirst(locks, createPatient("A-1", true), updatePatient("Patient?identifier=urn:mrn|A-1")),
                "a conditional update of the same URL");
    }

    @Test
    void pushesOfOtherPatientsAndPlainWritesDoNotWait() throws Exception {
        IdenticalPushLocks locks = new IdenticalPushLocks(WAIT_MILLIS);
        assertFalse(secondWaitsForFirst(locks, createPatient("A-1", false), createPatient("B-2", false)));
        assertFalse(
                secondWaitsForFirst(locks, updatePatient("Patient/17"), updatePatient("Patient/17")),
                "no match URL: HAPI's version check, not this, decides");
    }

    @Test
    void onlyTransactionsAreSerialised() throws Exception {
        IdenticalPushLocks locks = new IdenticalPushLocks(WAIT_MILLIS);
        first.submit(() -> {
                    locks.lock(transaction(createPatient("A-1", false)));
                    return null;
                })
                .get(5, TimeUnit.SECONDS);
        ServletRequestDetails batch = transaction(createPatient("A-1", false));
        batch.setRestOperationType(RestOperationTypeEnum.CREATE);
        second.submit(() -> {
                    locks.lock(batch);
                    return null;
                })
                .get(5, TimeUnit.SECONDS);
        first.submit(locks::unlock).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRequestThatWaitedTooLongGoesOnWithoutTakingTheLockAndEndsCleanly() throws Exception {
        IdenticalPushLocks locks = new IdenticalPushLocks(200);
        first.submit(() -> {
                    locks.lock(transaction(createPatient("A-1", false)));
                    return null;
                })
                .get(5, TimeUnit.SECONDS);
        assertTrue(millisToLock(locks) >= 190, "it waited its 200 ms, then went on");
        // It holds nothing, so its end releases nothing (and does not fail on a lock another thread holds) ...
        assertDoesNotThrow(() -> second.submit(locks::unlock).get(5, TimeUnit.SECONDS));
        // ... and the first still holds its lock: the next identical push waits again.
        assertTrue(millisToLock(locks) >= 190);
        second.submit(locks::unlock).get(5, TimeUnit.SECONDS);
        first.submit(locks::unlock).get(5, TimeUnit.SECONDS);
    }

    private long millisToLock(IdenticalPushLocks locks) throws Exception {
        long started = System.nanoTime();
        second.submit(() -> {
                    locks.lock(transaction(createPatient("A-1", false)));
                    return null;
                })
                .get(5, TimeUnit.SECONDS);
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
}
