package org.cartltfu.hub.config;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.ArrayList;
import java.util.List;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Work that follows a committed write (a follow-up plan refresh, a grade check), run once the write's persistence
 * session has closed: for a write by a FHIR request, just before its answer is written; otherwise right after the
 * commit.
 *
 * <p>Why not in {@code afterCompletion}: HAPI puts entities of the committing session into a shared cache at
 * {@code afterCommit} (new TagDefinitions, {@code CacheTagDefinitionDao}) and that session closes only after every
 * {@code afterCompletion} callback. Slow work there keeps it open, and a concurrent write that takes the cached,
 * still-attached TagDefinition fails with Hibernate's "Illegal attempt to associate a collection with two open
 * sessions" (a 500 seen in 3 of 429 pushes at 4 spokes).
 */
@Interceptor
public class AfterCommit {

    private static final String PENDING = AfterCommit.class.getName() + ".pending";

    /** Runs {@code work} once the surrounding transaction (if any) has committed; never if it rolls back. */
    public static void run(RequestDetails request, Runnable work) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            work.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_COMMITTED) {
                    return;
                }
                if (request instanceof ServletRequestDetails) {
                    pending(request).add(work);
                } else {
                    work.run();
                }
            }
        });
    }

    /** Before the answer is serialised, and before the hooks that add this work's findings to it. */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = HookOrder.AFTER_COMMIT)
    public void beforeAnswer(RequestDetails request) {
        drain(request);
    }

    /** Answers that do not pass SERVER_OUTGOING_RESPONSE (errors, streamed bodies). */
    @Hook(value = Pointcut.SERVER_PROCESSING_COMPLETED, order = HookOrder.AFTER_COMMIT)
    public void completed(RequestDetails request) {
        drain(request);
    }

    private static void drain(RequestDetails request) {
        List<Runnable> pending = pending(request);
        while (!pending.isEmpty()) {
            pending.remove(0).run();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Runnable> pending(RequestDetails request) {
        return (List<Runnable>) request.getUserData().computeIfAbsent(PENDING, key -> new ArrayList<Runnable>());
    }
}
