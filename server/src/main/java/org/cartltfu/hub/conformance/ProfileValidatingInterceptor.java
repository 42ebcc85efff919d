package org.cartltfu.hub.conformance;

import static org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.ERROR;
import static org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.FATAL;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorBroadcaster;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.validation.ValidatorPolicyAdvisor;
import ca.uhn.fhir.jpa.validation.ValidatorResourceFetcher;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.util.CompositeInterceptorBroadcaster;
import ca.uhn.fhir.util.HapiExtensions;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;

/**
 * The intake policy, on the storage layer (REST, transactions and the server's own writes alike): every resource of
 * every type is validated before it is stored, at least against the base R4 specification.
 * <ul>
 * <li>CAR-T facts ({@link ProfileRecognition#requiredProfiles}: products, consents, the infusion, CRS/ICANS events and
 * assessments, ICE/CAPD, follow-up visits, outcomes) must conform to their profile whether they declare it or not; a
 * profile that was not declared is added to {@code meta.profile}.</li>
 * <li>Any profile of ours a resource declares must be known and is enforced.</li>
 * <li>A lab result that conforms to one of our laboratory profiles is recognised as such (the profile is added);
 * one that does not is general data.</li>
 * <li>General data (any other resource) is accepted when it is valid against the base specification; profiles of
 * other guides it declares (US Core, …) are reported as unknown warnings, not enforced.</li>
 * </ul>
 * A failure is 422 with the validator's OperationOutcome. A transaction is checked whole before any entry is
 * processed, so that its OperationOutcome names every failing entry (index, element, rule), not only the first.
 *
 * <p>Not checked: the AuditEvents the hub's audit writer stores under {@link #auditRecords()}. A refused audit record
 * is a lost one (an R4-invalid code once cost every operation's event), and validating one cost about 50 ms, which
 * let the audit queue fall a minute behind the requests; the events the hub builds are validated in the end-to-end
 * tests instead ({@code ProvenanceAndAuditIT}).
 */
@Interceptor
public class ProfileValidatingInterceptor {

    /** Request user-data key: the resources a transaction check already validated (by identity). */
    private static final String VALIDATED = ProfileValidatingInterceptor.class.getName() + ".validated";
    /** Request user-data key: the request is the audit writer's (see {@link #auditRecords()}). */
    private static final String AUDIT_RECORDS = ProfileValidatingInterceptor.class.getName() + ".auditRecords";

    private final FhirContext fhirContext;
    private final IValidationSupport validationSupport;
    private final IInterceptorBroadcaster broadcaster;
    private final FhirInstanceValidator instanceValidator;
    private final ProfileRecognition recognition;

    public ProfileValidatingInterceptor(
            FhirContext fhirContext,
            IValidationSupport validationSupport,
            ValidatorResourceFetcher resourceFetcher,
            ValidatorPolicyAdvisor policyAdvisor,
            IInterceptorBroadcaster broadcaster) {
        this.fhirContext = fhirContext;
        this.validationSupport = validationSupport;
        this.broadcaster = broadcaster;
        // As HAPI's repository validation rule sets it up; one instance serves every request.
        this.instanceValidator = new FhirInstanceValidator(validationSupport);
        instanceValidator.setValidatorResourceFetcher(resourceFetcher);
        instanceValidator.setValidatorPolicyAdvisor(policyAdvisor);
        instanceValidator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Warning);
        // Other guides' profiles (US Core, …) are not enforced; an unknown profile of ours is refused in check().
        instanceValidator.setErrorForUnknownProfiles(false);
        this.recognition = ProfileRecognition.fromGuide(fhirContext, validationSupport);
    }

    @Hook(value = Pointcut.STORAGE_TRANSACTION_PROCESSING, order = HookOrder.INTAKE_POLICY)
    void transaction(RequestDetails request, IBaseBundle bundle) {
        OperationOutcome failures = new OperationOutcome();
        int failing = 0;
        List<Bundle.BundleEntryComponent> entries = ((Bundle) bundle).getEntry();
        for (int index = 0; index < entries.size(); index++) {
            Resource resource = entries.get(index).getResource();
            if (resource == null || isPlaceholder(resource)) {
                continue;
            }
            OperationOutcome outcome = check(request, resource);
            if (request != null) {
                validated(request).add(resource);
            }
            if (hasErrors(outcome)) {
                failing++;
                String prefix = "Bundle.entry[" + index + "].resource";
                String label = "Entry " + index + " (" + resource.fhirType()
                        + (entries.get(index).hasFullUrl()
                                ? " " + entries.get(index).getFullUrl()
                                : "") + "): ";
                for (OperationOutcomeIssueComponent issue : outcome.getIssue()) {
                    if (issue.getSeverity() == ERROR || issue.getSeverity() == FATAL) {
                        failures.addIssue(inEntry(issue, label, prefix, resource.fhirType()));
                    }
                }
            }
        }
        if (failing > 0) {
            throw new UnprocessableEntityException(
                    failing + " of " + entries.size() + " entries break the intake rules; nothing was stored",
                    failures);
        }
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = HookOrder.INTAKE_POLICY)
    void create(RequestDetails request, IBaseResource resource) {
        checkOne(request, resource);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = HookOrder.INTAKE_POLICY)
    void update(RequestDetails request, IBaseResource oldResource, IBaseResource newResource) {
        checkOne(request, newResource);
    }

    /** The request under which the audit writer stores the hub's own AuditEvents: they are not validated on storage. */
    public static SystemRequestDetails auditRecords() {
        SystemRequestDetails request = new SystemRequestDetails();
        request.getUserData().put(AUDIT_RECORDS, Boolean.TRUE);
        return request;
    }

    private void checkOne(RequestDetails request, IBaseResource resource) {
        if (isPlaceholder(resource) || (request != null && validated(request).contains(resource))) {
            return;
        }
        if (resource instanceof AuditEvent
                && request != null
                && Boolean.TRUE.equals(request.getUserData().get(AUDIT_RECORDS))) {
            return;
        }
        OperationOutcome outcome = check(request, resource);
        if (hasErrors(outcome)) {
            String first = outcome.getIssue().stream()
                    .filter(issue -> issue.getSeverity() == ERROR || issue.getSeverity() == FATAL)
                    .findFirst()
                    .map(OperationOutcomeIssueComponent::getDiagnostics)
                    .orElse("");
            throw new UnprocessableEntityException(first, outcome);
        }
    }

    /** The policy for one resource; adds the profiles it was found to conform to. */
    OperationOutcome check(RequestDetails request, IBaseResource resource) {
        List<String> ours = resource.getMeta().getProfile().stream()
                .map(IPrimitiveType::getValueAsString)
                .filter(url -> url != null && url.startsWith(CarTIg.CANONICAL_BASE + "/"))
                .toList();
        OperationOutcome unknown = new OperationOutcome();
        ours.stream()
                .filter(url -> validationSupport.fetchStructureDefinition(url) == null)
                .forEach(url -> unknown.addIssue()
                        .setSeverity(ERROR)
                        .setCode(OperationOutcome.IssueType.NOTFOUND)
                        .setDiagnostics("Profile " + url + " is not part of " + CarTIg.PACKAGE_ID + "#"
                                + CarTIg.PACKAGE_VERSION)
                        .addExpression(resource.fhirType() + ".meta.profile"));
        if (unknown.hasIssue()) {
            return unknown;
        }
        List<String> required = new ArrayList<>(recognition.requiredProfiles(resource));
        required.removeAll(ours);
        if (!ours.isEmpty() || !required.isEmpty()) {
            OperationOutcome outcome = validate(request, resource, required);
            if (!hasErrors(outcome)) {
                required.forEach(profile -> resource.getMeta().addProfile(profile));
            }
            return outcome;
        }
        for (String lab : recognition.labProfiles(resource)) {
            OperationOutcome outcome = validate(request, resource, List.of(lab));
            if (!hasErrors(outcome)) {
                resource.getMeta().addProfile(lab);
                return outcome;
            }
        }
        return validate(request, resource, List.of());
    }

    private OperationOutcome validate(RequestDetails request, IBaseResource resource, List<String> profiles) {
        FhirValidator validator = fhirContext.newValidator();
        validator.setInterceptorBroadcaster(
                CompositeInterceptorBroadcaster.newCompositeBroadcaster(broadcaster, request));
        validator.registerValidatorModule(instanceValidator);
        ValidationOptions options = new ValidationOptions();
        profiles.forEach(options::addProfile);
        return (OperationOutcome)
                validator.validateWithResult(resource, options).toOperationOutcome();
    }

    private static OperationOutcomeIssueComponent inEntry(
            OperationOutcomeIssueComponent issue, String label, String prefix, String type) {
        OperationOutcomeIssueComponent copy = issue.copy();
        copy.setDiagnostics(label + issue.getDiagnostics());
        copy.getExpression().clear();
        issue.getExpression().forEach(e -> copy.addExpression(rebase(e.getValue(), prefix, type)));
        copy.getLocation().clear();
        issue.getLocation().forEach(l -> copy.getLocation().add(new StringType(rebase(l.getValue(), prefix, type))));
        if (!copy.hasExpression()) {
            copy.addExpression(prefix);
        }
        return copy;
    }

    private static String rebase(String path, String prefix, String type) {
        return path != null && path.startsWith(type) ? prefix + path.substring(type.length()) : prefix + "." + path;
    }

    private static boolean hasErrors(OperationOutcome outcome) {
        return outcome.getIssue().stream()
                .anyMatch(issue -> issue.getSeverity() == ERROR || issue.getSeverity() == FATAL);
    }

    private static boolean isPlaceholder(IBaseResource resource) {
        return resource instanceof DomainResource domain
                && domain.hasExtension(HapiExtensions.EXT_RESOURCE_PLACEHOLDER);
    }

    @SuppressWarnings("unchecked")
    private static Set<IBaseResource> validated(RequestDetails request) {
        return (Set<IBaseResource>) request.getUserData()
                .computeIfAbsent(VALIDATED, key -> Collections.newSetFromMap(new IdentityHashMap<>()));
    }
}
