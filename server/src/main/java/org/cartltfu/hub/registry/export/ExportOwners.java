package org.cartltfu.hub.registry.export;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.provider.ProviderConstants;
import java.util.Optional;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.hub.security.Caller;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.hub.security.Role;

/**
 * An export belongs to the client that started it: only that client (or the hub) may poll it or cancel it, and
 * download its files (the owner is written into each file's {@code Binary.securityContext}, which AccessPolicy reads).
 * A registry's files are marked with a system of their own, so a restarted export can never mistake them for the hub's.
 */
@Interceptor
public class ExportOwners {

    private final Callers callers;
    private final IJobCoordinator jobs;

    public ExportOwners(Callers callers, IJobCoordinator jobs) {
        this.callers = callers;
        this.jobs = jobs;
    }

    /** Someone else's job id is answered as unknown: it must not even reveal that the job exists. */
    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = HookOrder.EXPORT_OWNERS)
    public void pollingOwnJob(RequestDetails request) {
        if (!ProviderConstants.OPERATION_EXPORT_POLL_STATUS.equals(request.getOperation())) {
            return;
        }
        String[] ids = request.getParameters().get(JpaConstants.PARAM_EXPORT_POLL_STATUS_JOB_ID);
        if (ids == null || ids.length != 1) {
            return;
        }
        JobInstance job;
        try {
            job = jobs.getInstance(ids[0]);
        } catch (ResourceNotFoundException e) {
            throw unknown(ids[0]);
        }
        BulkExportJobParameters parameters = job.getParameters(BulkExportJobParameters.class);
        if (!ownerOrHub(parameters.getBinarySecurityContextIdentifierValue(), request)) {
            throw unknown(ids[0]);
        }
    }

    private boolean ownerOrHub(String owner, RequestDetails request) {
        if (!callers.securityEnabled()) {
            return true;
        }
        Optional<Caller> caller = callers.of(request);
        return caller.isPresent()
                && (caller.get().role() == Role.HUB || caller.get().clientId().equals(owner));
    }

    private static ResourceNotFoundException unknown(String id) {
        return new ResourceNotFoundException("No export job with id " + id + " for this client");
    }
}
