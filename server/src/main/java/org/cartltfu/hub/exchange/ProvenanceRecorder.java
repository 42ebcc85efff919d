package org.cartltfu.hub.exchange;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.Caller;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * One Provenance per accepted write request, in the same database transaction: targets are the resources the
 * request created, changed or deleted (a replayed push that changes nothing gets none), the agent is the caller's
 * site Organization taken from its access token. Clients cannot write Provenance themselves (see
 * {@code SiteWriteGuard}), so the record cannot be forged.
 */
@Interceptor
public class ProvenanceRecorder {

    private static final String TARGETS = ProvenanceRecorder.class.getName() + ".targets";
    private static final java.util.Set<String> RECORDS = java.util.Set.of("Provenance", "AuditEvent");

    private final Callers callers;
    private final SiteDirectory sites;
    private final DaoRegistry daos;
    private final FhirContext fhirContext;

    public ProvenanceRecorder(Callers callers, SiteDirectory sites, DaoRegistry daos, FhirContext fhirContext) {
        this.callers = callers;
        this.sites = sites;
        this.daos = daos;
        this.fhirContext = fhirContext;
    }

    private record Target(Reference reference, String activity) {}

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = HookOrder.PROVENANCE)
    public void created(IBaseResource resource, RequestDetails request, TransactionDetails transaction) {
        collect(resource, "CREATE", request, transaction);
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = HookOrder.PROVENANCE)
    public void updated(
            IBaseResource previous, IBaseResource resource, RequestDetails request, TransactionDetails transaction) {
        collect(resource, "UPDATE", request, transaction);
    }

    /**
     * A deletion is recorded just before it happens (same database transaction), because afterwards HAPI refuses new
     * references to the deleted resource.
     */
    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = HookOrder.PROVENANCE)
    public void deleting(IBaseResource resource, RequestDetails request) {
        Optional<Caller> caller = callers.of(request);
        if (caller.isPresent()) {
            String type = fhirContext.getResourceType(resource);
            IIdType id = resource.getIdElement();
            store(
                    caller.get(),
                    List.of(new Target(
                            new Reference(type + "/" + id.getIdPart() + "/_history/" + id.getVersionIdPart()),
                            "DELETE")));
        }
    }

    /** A Provenance (or AuditEvent) that names a resource must not stop the resource from being deleted. */
    @Hook(value = Pointcut.STORAGE_PRESTORAGE_DELETE_CONFLICTS, order = HookOrder.PROVENANCE)
    public DeleteConflictOutcome ignoreRecordsOfTheDeleted(DeleteConflictList conflicts) {
        conflicts.removeIf(conflict -> RECORDS.contains(conflict.getSourceId().getResourceType()));
        return null;
    }

    /** A transaction bundle gets one Provenance for all its writes, once they are all done. */
    @Hook(value = Pointcut.STORAGE_TRANSACTION_PROCESSED, order = HookOrder.PROVENANCE)
    public void transactionProcessed(RequestDetails request, TransactionDetails transaction) {
        write(request, transaction);
    }

    private void collect(
            IBaseResource resource, String activity, RequestDetails request, TransactionDetails transaction) {
        if (callers.of(request).isEmpty()) {
            return;
        }
        List<Target> targets = transaction.getUserData(TARGETS);
        if (targets == null) {
            targets = new ArrayList<>();
            transaction.putUserData(TARGETS, targets);
        }
        String type = fhirContext.getResourceType(resource);
        targets.add(
                new Target(new Reference(type + "/" + resource.getIdElement().getIdPart()), activity));
        // A transaction (POSTed, or built by an operation such as $report-visits) is recorded once, when it is done.
        if (!transaction.isFhirTransaction()) {
            write(request, transaction);
        }
    }

    private void write(RequestDetails request, TransactionDetails transaction) {
        List<Target> targets = transaction.getUserData(TARGETS);
        Optional<Caller> caller = callers.of(request);
        if (targets == null || targets.isEmpty() || caller.isEmpty()) {
            return;
        }
        transaction.putUserData(TARGETS, null);
        store(caller.get(), targets);
    }

    private void store(Caller caller, List<Target> targets) {
        Provenance provenance = new Provenance();
        provenance.setRecorded(new Date());
        targets.forEach(target -> provenance.addTarget(target.reference()));
        List<String> activities =
                targets.stream().map(Target::activity).distinct().toList();
        if (activities.size() == 1) {
            provenance
                    .getActivity()
                    .addCoding()
                    .setSystem(CarTIg.V3_DATA_OPERATION)
                    .setCode(activities.get(0));
        }
        Reference site = sites.agent(caller.site());
        provenance
                .addAgent()
                .setWho(site)
                .getType()
                .addCoding()
                .setSystem(CarTIg.PROVENANCE_PARTICIPANT_TYPE)
                .setCode("author");
        daos.getResourceDao("Provenance").create(provenance, new SystemRequestDetails());
    }
}
