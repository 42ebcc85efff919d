package org.cartltfu.hub.exchange;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.cartltfu.hub.config.HookOrder;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Makes transaction bundles whose conditional creates/updates name the same match URLs wait for each other, for the
 * whole request (until after commit): the second of two identical spoke pushes then finds what the first created
 * instead of racing it. HAPI's unique match-URL table does catch the race, but a transaction bundle that lost it fails
 * with 409 even when retried, because HAPI remembers within the request that the URL matched nothing. The locks live
 * in this JVM; with several server instances the unique table still prevents duplicates and the loser gets 409, which
 * a spoke resolves by sending the bundle again.
 */
@Interceptor
public class IdenticalPushLocks {

    private static final int STRIPES = 1024;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final long waitMillis;
    private final ThreadLocal<List<ReentrantLock>> held = ThreadLocal.withInitial(ArrayList::new);

    public IdenticalPushLocks(long waitMillis) {
        this.waitMillis = waitMillis;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = HookOrder.IDENTICAL_PUSH_LOCKS)
    public void lock(RequestDetails request) throws InterruptedException {
        if (request.getRestOperationType() != RestOperationTypeEnum.TRANSACTION
                || !(request.getResource() instanceof Bundle bundle)) {
            return;
        }
        // Stripes are always taken in ascending order, so two requests can never wait for each other in a cycle.
        TreeSet<Integer> wanted = new TreeSet<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            String url = entry.getRequest().getUrl();
            String type = url == null ? "" : url.replaceAll("[?/].*", "");
            String conditional = entry.getRequest().hasIfNoneExist()
                    ? type + "?" + entry.getRequest().getIfNoneExist().replaceFirst("^[A-Za-z]+\\?", "")
                    : url != null && url.contains("?") ? url : null;
            if (conditional != null) {
                wanted.add(Math.floorMod(conditional.hashCode(), STRIPES));
            }
        }
        for (int stripe : wanted) {
            ReentrantLock lock = stripes[stripe];
            if (lock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
                held.get().add(lock);
            }
        }
    }

    @Hook(value = Pointcut.SERVER_PROCESSING_COMPLETED, order = HookOrder.IDENTICAL_PUSH_LOCKS)
    public void unlock() {
        held.get().forEach(ReentrantLock::unlock);
        held.remove();
    }
}
