package org.cartltfu.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.List;
import org.cartltfu.hub.HubServerIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The order of the request pipeline is a decision ({@link HookOrder}, the README's "request pipeline" tables): here
 * it is pinned as the running hub calls its interceptors, for the pointcuts where more than one feature acts.
 */
class PipelineOrderIT extends HubServerIT {

    @Autowired
    private PipelineReport pipeline;

    @Test
    void requestsPassTheChecksThenTheAccessGuard() {
        assertEquals(
                List.of("InputLimits", "PagingParameterCheck", "AccessGuard"),
                pipeline.order(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED));
        assertEquals(
                List.of("SearchModifierCheck", "IdenticalPushLocks", "ExportOwners"),
                pipeline.order(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED));
    }

    @Test
    void answersAreCompletedGuardedAuditedThenRendered() {
        assertEquals(
                List.of(
                        "AfterCommit",
                        "GradeConsistencyCheck",
                        "AccessGuard",
                        "AuditTrail",
                        "HAPI ResponseHighlighterInterceptor"),
                pipeline.order(Pointcut.SERVER_OUTGOING_RESPONSE));
        assertEquals(
                List.of("BackendUnavailable", "UnparseableInputAsBadRequest", "AccessGuard"),
                pipeline.order(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION));
    }

    @Test
    void aTransactionIsMappedValidatedMatchedThenAuthorised() {
        assertEquals(
                List.of("SiteCodeMapping", "ProfileValidatingInterceptor", "PatientMatching", "AccessGuard"),
                pipeline.order(Pointcut.STORAGE_TRANSACTION_PROCESSING));
        assertEquals(
                List.of(
                        "SiteCodeMapping",
                        "ImportOperations",
                        "ProfileValidatingInterceptor",
                        "PatientMatching",
                        "RegistryExportInterceptor",
                        "AccessGuard",
                        "HAPI SubscriptionValidatingInterceptor"),
                pipeline.order(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED));
    }

    @Test
    void atCommitEveryWriteHappensBeforeSiteOwnershipIsChecked() {
        assertEquals(
                List.of(
                        "HAPI SubscriptionMatcherInterceptor",
                        "HAPI BalpAuditCaptureInterceptor",
                        "SiteCodeMapping",
                        "FollowUpPlanTrigger",
                        "MalignancySafetyNet",
                        "GradeConsistencyCheck",
                        "ProvenanceRecorder",
                        "SiteWriteGuard"),
                pipeline.order(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED));
    }
}
