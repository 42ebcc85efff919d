package org.cartltfu.hub.exchange;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.ResourceVersionConflictResolutionStrategy;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.cartltfu.hub.config.HookOrder;

/**
 * Concurrent identical writes: HAPI keeps conditional-create match URLs unique (table {@code HFJ_RES_SEARCH_URL}), so
 * of two racing creates one fails with a version conflict. Retrying that request makes its conditional create find
 * the winner's resource, so the loser gets 200 instead of 409 and nothing is created twice. (Transaction bundles are
 * serialised before they race, see {@link IdenticalPushLocks}.) HAPI's
 * {@code UserRequestRetryVersionConflictsInterceptor} does the same but only when the client sends a header; spokes
 * should not need to know.
 */
@Interceptor
public class ConcurrentPushRetry {

    private final int retries;

    public ConcurrentPushRetry(int retries) {
        this.retries = retries;
    }

    @Hook(value = Pointcut.STORAGE_VERSION_CONFLICT, order = HookOrder.CONCURRENT_PUSH_RETRY)
    public ResourceVersionConflictResolutionStrategy retry(RequestDetails request) {
        ResourceVersionConflictResolutionStrategy strategy = new ResourceVersionConflictResolutionStrategy();
        strategy.setRetry(true);
        strategy.setMaxRetries(retries);
        return strategy;
    }
}
