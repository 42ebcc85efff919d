package org.cartltfu.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import org.cartltfu.hub.HubServerIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The order of the request pipeline is a decision: it is the README's "request pipeline" tables, here pinned. */
class PipelineOrderIT extends HubServerIT {

	@Autowired
	private RestfulServer server;

	@Autowired
	private IInterceptorService storage;

	@Test
	void theFhirEndpointsInterceptorsRunInTheDocumentedOrder() {
		assertEquals(List.of("InputLimits", "ResponseHighlighterInterceptor", "PagingParameterCheck",
						"SearchModifierCheck", "UnparseableInputAsBadRequest", "AfterCommit", "GradeConsistencyCheck",
						"ProvenanceRecorder", "ConcurrentPushRetry", "IdenticalPushLocks", "AuditTrail",
						"BalpAuditCaptureInterceptor", "ExportOwners", "CapabilitySecurity", "AccessGuard",
						"SiteWriteGuard", "ApiDocs"),
				names(server.getInterceptorService().getAllRegisteredInterceptors()));
	}

	@Test
	void theStorageInterceptorsRunInTheDocumentedOrder() {
		assertEquals(List.of("ImportOperations", "FollowUpPlanTrigger", "MalignancySafetyNet",
						"ProfileValidatingInterceptor", "SubscriptionMatcherInterceptor",
						"SubscriptionValidatingInterceptor", "PatientMatching", "SiteCodeMapping",
						"RegistryExportInterceptor"),
				names(storage.getAllRegisteredInterceptors()));
	}

	private static List<String> names(List<Object> interceptors) {
		return interceptors.stream().map(interceptor -> interceptor.getClass().getSimpleName()).toList();
	}
}
