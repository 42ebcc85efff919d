package org.cartltfu.hub.exchange;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.TransactionWriteOperationsDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Serialises transactions whose conditional creates/updates name the same match URLs, from just before their database
 * transaction opens until it has committed. The second of two identical spoke pushes then finds what the first created,
 * instead of racing it. (HAPI's unique match-URL table does catch the race, but a transaction bundle that lost it
 * fails with 409 even when retried, because HAPI remembers within the request that the URL matched nothing.)
 * The locks live in this JVM; with several server instances the unique table still prevents duplicates and the loser
 * gets 409, which a spoke resolves by sending the bundle again.
 */
@Interceptor
public class ConditionalWriteLocks {

	private static final int STRIPES = 1024;

	private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
	private final long waitMillis;
	private final ThreadLocal<List<ReentrantLock>> held = ThreadLocal.withInitial(ArrayList::new);

	public ConditionalWriteLocks(long waitMillis) {
		this.waitMillis = waitMillis;
		for (int i = 0; i < STRIPES; i++) {
			stripes[i] = new ReentrantLock();
		}
	}

	@Hook(Pointcut.STORAGE_TRANSACTION_WRITE_OPERATIONS_PRE)
	public void lock(TransactionWriteOperationsDetails writes) throws InterruptedException {
		// Stripes are always taken in ascending order, so two transactions can never wait for each other.
		TreeSet<Integer> wanted = new TreeSet<>();
		Stream.concat(writes.getConditionalCreateRequestUrls().stream(), writes.getUpdateRequestUrls().stream())
				.filter(url -> url.contains("?"))
				.forEach(url -> wanted.add(Math.floorMod(url.hashCode(), STRIPES)));
		for (int stripe : wanted) {
			ReentrantLock lock = stripes[stripe];
			if (lock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
				held.get().add(lock);
			}
		}
	}

	/** After commit or rollback; and, in case a failure skipped that, when the request ends. */
	@Hook(Pointcut.STORAGE_TRANSACTION_WRITE_OPERATIONS_POST)
	public void unlockAfterTransaction() {
		unlock();
	}

	@Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
	public void unlockAtEndOfRequest() {
		unlock();
	}

	private void unlock() {
		held.get().forEach(ReentrantLock::unlock);
		held.remove();
	}
}
