package org.cartltfu.hub.config;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs, once the hub is up, the interceptors of the FHIR endpoint and of the storage layer in the order HAPI calls
 * them for one pointcut (registration order, unless a hook declares its own): what a request passes through.
 */
@Component
class PipelineReport {

	private static final Logger log = LoggerFactory.getLogger(PipelineReport.class);

	private final RestfulServer server;
	private final IInterceptorService storage;

	PipelineReport(RestfulServer server, IInterceptorService storage) {
		this.server = server;
		this.storage = storage;
	}

	@EventListener(ApplicationReadyEvent.class)
	void report() {
		log.info("FHIR endpoint interceptors, in order: {}", names(server.getInterceptorService().getAllRegisteredInterceptors()));
		log.info("Storage interceptors, in order: {}", names(storage.getAllRegisteredInterceptors()));
	}

	private static String names(List<Object> interceptors) {
		return interceptors.stream().map(interceptor -> interceptor.getClass().getSimpleName())
				.collect(Collectors.joining(" → "));
	}
}
