package org.cartltfu.hub.clinical;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cartltfu.hub.config.AfterCommit;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.hub.record.PatientRecords;
import org.cartltfu.hub.record.ToxicityEvent;
import org.cartltfu.ig.CarTIg;
import org.cartltfu.ig.CartTask;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * When a CRS or ICANS event states a highest grade that the episode's recorded assessments contradict, the event is
 * kept as sent but tagged {@code cart-task#grade-review} for a clinician, and the response carries a warning (in the
 * OperationOutcome, or the transaction entry's outcome). The server never regrades. Checked after commit, so that
 * assessments sent in the same bundle count whatever their order.
 */
@Interceptor
public class GradeConsistencyCheck {

    private static final String WARNINGS = GradeConsistencyCheck.class.getName() + ".warnings";
    private static final Logger log = LoggerFactory.getLogger(GradeConsistencyCheck.class);

    private final DaoRegistry daos;
    private final PatientRecords records;
    private final TransactionTemplate newTransaction;

    public GradeConsistencyCheck(DaoRegistry daos, PatientRecords records, PlatformTransactionManager transactions) {
        this.daos = daos;
        this.records = records;
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = HookOrder.GRADE_CONSISTENCY)
    public void created(RequestDetails request, IBaseResource resource) {
        checkAfterCommit(request, resource);
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = HookOrder.GRADE_CONSISTENCY)
    public void updated(RequestDetails request, IBaseResource previous, IBaseResource resource) {
        checkAfterCommit(request, resource);
    }

    private void checkAfterCommit(RequestDetails request, IBaseResource resource) {
        if (!(resource instanceof AdverseEvent event)
                || new ToxicityEvent(event).statedGrade().isEmpty()
                || request == null
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        String eventId = event.getIdElement().toUnqualifiedVersionless().getValue();
        AfterCommit.run(
                request,
                () -> check(eventId).ifPresent(warning -> warnings(request).add(new Warning(eventId, warning))));
    }

    private Optional<String> check(String eventId) {
        try {
            return newTransaction.execute(status -> contradiction(eventId));
        } catch (RuntimeException e) {
            log.error("Could not check the stated grade of {}", eventId, e);
            return Optional.empty();
        }
    }

    private Optional<String> contradiction(String eventId) {
        SystemRequestDetails system = new SystemRequestDetails();
        AdverseEvent event = daos.getResourceDao(AdverseEvent.class).read(new IdType(eventId), system);
        ToxicityEvent recorded = new ToxicityEvent(event);
        String toxicity = recorded.toxicity().orElse(null);
        Optional<Integer> statedGrade = recorded.statedGrade();
        if (toxicity == null || recorded.onset() == null || statedGrade.isEmpty()) {
            return Optional.empty();
        }
        int stated = statedGrade.get();
        LocalDate onset = ClinicalDates.localDate(recorded.onset());
        LocalDate resolution = ClinicalDates.localDate(recorded.resolution());
        IdType patientId = new IdType(event.getSubject().getReference());
        Patient patient = records.patient(patientId, system);
        LocalDate birthDate = patient.hasBirthDate()
                ? ClinicalDates.localDate(patient.getBirthDateElement().getValueAsString())
                : null;
        List<GradedAssessment> episode = records.assessments(patientId).stream()
                .map(observation -> GradedAssessment.of(observation, birthDate))
                .filter(assessment -> assessment.toxicity().equals(toxicity))
                .filter(assessment -> onset != null && !assessment.date().isBefore(onset))
                .filter(assessment -> resolution == null || !assessment.date().isAfter(resolution))
                .toList();
        if (episode.isEmpty()) {
            return Optional.empty();
        }
        // The episode's maximum is at least the largest lower bound and at most the largest upper bound.
        int atLeast = episode.stream().mapToInt(GradedAssessment::lowest).max().orElseThrow();
        int atMost = episode.stream().mapToInt(GradedAssessment::highest).max().orElseThrow();
        if (stated >= atLeast && stated <= atMost) {
            return Optional.empty();
        }
        String supported = atLeast == atMost ? "grade " + atLeast : "grades " + atLeast + " to " + atMost;
        String warning = "The stated highest " + toxicity.toUpperCase() + " grade " + stated + " of " + eventId
                + " disagrees with its " + episode.size() + " recorded assessment(s), which support " + supported
                + "; the event is kept as sent and tagged for clinician review (" + CarTIg.CS + "cart-task|"
                + CartTask.GRADE_REVIEW.code() + ")";
        Meta review = new Meta();
        review.addTag(CartTask.GRADE_REVIEW.system(), CartTask.GRADE_REVIEW.code(), "Review the stated toxicity grade");
        daos.getResourceDao(AdverseEvent.class).metaAddOperation(new IdType(eventId), review, system);
        return Optional.of(warning);
    }

    /** Puts the warnings where the client will see them: the OperationOutcome, or the transaction entry's outcome. */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = HookOrder.GRADE_CONSISTENCY)
    public boolean addWarnings(RequestDetails request, ResponseDetails response) {
        List<Warning> warnings = warnings(request);
        if (warnings.isEmpty()) {
            return true;
        }
        IBaseResource body = response.getResponseResource();
        if (body instanceof OperationOutcome outcome) {
            warnings.forEach(warning -> addIssue(outcome, warning));
        } else if (body instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                String location = entry.getResponse().getLocation();
                warnings.stream()
                        .filter(warning -> location != null && location.startsWith(warning.eventId() + "/"))
                        .forEach(warning -> {
                            OperationOutcome outcome =
                                    entry.getResponse().getOutcome() instanceof OperationOutcome existing
                                            ? existing
                                            : new OperationOutcome();
                            addIssue(outcome, warning);
                            entry.getResponse().setOutcome(outcome);
                        });
            }
        } else if (body instanceof AdverseEvent event) {
            event.getMeta()
                    .addTag(
                            CartTask.GRADE_REVIEW.system(),
                            CartTask.GRADE_REVIEW.code(),
                            "Review the stated toxicity grade");
        }
        return true;
    }

    private static void addIssue(OperationOutcome outcome, Warning warning) {
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.WARNING)
                .setCode(OperationOutcome.IssueType.BUSINESSRULE)
                .setDiagnostics(warning.message())
                .addExpression("AdverseEvent.extension('" + CarTIg.EXT_ASTCT_GRADE + "')");
    }

    @SuppressWarnings("unchecked")
    private static List<Warning> warnings(RequestDetails request) {
        return (List<Warning>) request.getUserData().computeIfAbsent(WARNINGS, key -> new ArrayList<Warning>());
    }

    record Warning(String eventId, String message) {}
}
