package org.cartltfu.hub.clinical;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.LinkedHashSet;
import java.util.Set;
import org.cartltfu.hub.config.AfterCommit;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Notices writes that change a patient's follow-up (an infusion, a follow-up visit, a follow-up result) and refreshes
 * that patient's plan once the write has committed: after the whole transaction, so that the order of a bundle's
 * entries does not matter, and once per patient however many entries concern them.
 */
@Interceptor
public class FollowUpPlanTrigger {

    private static final Logger log = LoggerFactory.getLogger(FollowUpPlanTrigger.class);

    private final FollowUpPlanner planner;
    private final TransactionTemplate newTransaction;

    public FollowUpPlanTrigger(FollowUpPlanner planner, PlatformTransactionManager transactions) {
        this.planner = planner;
        this.newTransaction = new TransactionTemplate(transactions);
        // Right after a commit outside a FHIR request the finished transaction is still bound; the refresh needs its
        // own.
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = HookOrder.FOLLOW_UP_PLAN)
    public void created(RequestDetails request, IBaseResource resource) {
        concernedPatient(resource).ifPresent(patient -> refreshAfterCommit(request, patient));
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = HookOrder.FOLLOW_UP_PLAN)
    public void updated(RequestDetails request, IBaseResource previous, IBaseResource resource) {
        concernedPatient(resource).ifPresent(patient -> refreshAfterCommit(request, patient));
    }

    private static java.util.Optional<String> concernedPatient(IBaseResource resource) {
        Reference subject = null;
        if (resource instanceof Procedure procedure
                && procedure.getCode().getCoding().stream()
                        .anyMatch(coding -> CarTIg.CS_CART_PROCEDURE.equals(coding.getSystem()))) {
            subject = procedure.getSubject();
        } else if (resource instanceof Encounter encounter
                && encounter.getType().stream()
                        .flatMap(type -> type.getCoding().stream())
                        .anyMatch(coding -> CarTIg.CS_LTFU_TIMEPOINT.equals(coding.getSystem()))) {
            subject = encounter.getSubject();
        } else if (resource instanceof Observation observation
                && observation.getMeta().getProfile().stream()
                        .anyMatch(profile -> FollowUpPlanner.FOLLOW_UP_DATA_PROFILES.contains(profile.getValue()))) {
            subject = observation.getSubject();
        }
        return subject == null || !subject.hasReference()
                ? java.util.Optional.empty()
                : java.util.Optional.of(new IdType(subject.getReference())
                        .toUnqualifiedVersionless()
                        .getValue());
    }

    @SuppressWarnings("unchecked")
    private void refreshAfterCommit(RequestDetails request, String patient) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            refresh(patient);
            return;
        }
        Set<String> patients = (Set<String>) TransactionSynchronizationManager.getResource(this);
        if (patients == null) {
            Set<String> concerned = new LinkedHashSet<>();
            TransactionSynchronizationManager.bindResource(this, concerned);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResource(FollowUpPlanTrigger.this);
                }
            });
            AfterCommit.run(request, () -> concerned.forEach(this::refresh));
            patients = concerned;
        }
        patients.add(patient);
    }

    private void refresh(String patient) {
        try {
            newTransaction.executeWithoutResult(status -> planner.refresh(new IdType(patient)));
        } catch (RuntimeException e) {
            // The data itself is committed; a plan that failed to refresh is caught up by the next write for the
            // patient.
            log.error("Could not refresh the follow-up plan of {}", patient, e);
        }
    }
}
