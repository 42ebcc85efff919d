package org.cartltfu.hub.config;

import ca.uhn.fhir.interceptor.api.IBaseInterceptorBroadcaster.IInvoker;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

/**
 * Logs, once the hub is up, which interceptors run for each pointcut a request or a write passes through, in the order
 * HAPI calls them: by hook order ({@link HookOrder}), the storage layer's before the FHIR endpoint's at equal order,
 * as HAPI's composite broadcaster sorts them for a request's storage work.
 */
@Component
public class PipelineReport {

    private static final Logger log = LoggerFactory.getLogger(PipelineReport.class);

    private final RestfulServer server;
    private final IInterceptorService storage;

    PipelineReport(RestfulServer server, IInterceptorService storage) {
        this.server = server;
        this.storage = storage;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        for (Pointcut pointcut : Pointcut.values()) {
            List<String> order = order(pointcut);
            if (order.stream().anyMatch(name -> !name.startsWith("HAPI "))) {
                log.info("{}: {}", pointcut, String.join(" → ", order));
            }
        }
    }

    /** The interceptors that hook a pointcut, in calling order; HAPI's own are named "HAPI ClassName". */
    public List<String> order(Pointcut pointcut) {
        List<IInvoker> invokers = new ArrayList<>();
        if (storage.hasHooks(pointcut) && pointcut.name().startsWith("STORAGE_")) {
            invokers.addAll(storage.getInvokersForPointcut(pointcut));
        }
        if (server.getInterceptorService().hasHooks(pointcut)) {
            invokers.addAll(server.getInterceptorService().getInvokersForPointcut(pointcut));
        }
        invokers.sort(Comparator.comparingInt(IInvoker::getOrder));
        return invokers.stream()
                .map(invoker -> name(invoker.getInterceptor()))
                .distinct()
                .toList();
    }

    private static String name(Object interceptor) {
        Class<?> type = ClassUtils.getUserClass(interceptor);
        return type.getName().startsWith("org.cartltfu.") ? type.getSimpleName() : "HAPI " + type.getSimpleName();
    }
}
