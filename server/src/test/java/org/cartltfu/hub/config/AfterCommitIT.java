package org.cartltfu.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cartltfu.hub.HubServerIT;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Work after a committed write runs when the write's persistence session is closed (for FHIR requests), once, and
 * never for a write that rolled back.
 */
class AfterCommitIT extends HubServerIT {

    @Autowired
    RestfulServer server;

    @Autowired
    EntityManagerFactory entityManagers;

    @Autowired
    DaoRegistry daos;

    @Autowired
    IInterceptorService storage;

    private final String marker = "after-commit-probe-" + UUID.randomUUID();

    /** For each run: whether a persistence session was still bound to the thread. */
    private final List<Boolean> runs = new CopyOnWriteArrayList<>();

    @Interceptor
    public class Probe {
        @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
        public void created(RequestDetails request, IBaseResource resource) {
            if (resource instanceof Organization organization
                    && organization.getName().startsWith(marker)) {
                AfterCommit.run(request, () -> runs.add(TransactionSynchronizationManager.hasResource(entityManagers)));
            }
        }
    }

    private final Probe probe = new Probe();

    @BeforeEach
    void register() {
        server.getInterceptorService().registerInterceptor(probe);
    }

    @AfterEach
    void unregister() {
        server.getInterceptorService().unregisterInterceptor(probe);
    }

    @Test
    void aWriteByAFhirRequestIsFollowedUpOnceItsSessionHasClosed() {
        client.create().resource(new Organization().setName(marker)).execute();
        assertEquals(List.of(false), runs);
    }

    @Test
    void aTransactionThatRollsBackIsNotFollowedUp() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry()
                .setResource(new Organization().setName(marker))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Organization");
        // A version precondition that cannot hold fails the second entry, after the first one was written.
        String other = client.create()
                .resource(new Organization().setName("after-commit-other"))
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        bundle.addEntry()
                .setResource(new Organization().setName("after-commit-other"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(other)
                .setIfMatch("W/\"99\"");
        try {
            client.transaction().withBundle(bundle).execute();
            throw new AssertionError("the transaction was expected to fail");
        } catch (BaseServerResponseException refused) {
            assertEquals(409, refused.getStatusCode());
        }
        assertEquals(List.of(), runs);
    }

    @Test
    void aWriteOutsideAFhirRequestIsFollowedUpRightAfterItsCommit() {
        // Here no request end is coming: the work runs at the commit, while the finished session is still bound.
        server.getInterceptorService().unregisterInterceptor(probe);
        storage.registerInterceptor(probe);
        try {
            daos.getResourceDao(Organization.class)
                    .create(new Organization().setName(marker), new SystemRequestDetails());
        } finally {
            storage.unregisterInterceptor(probe);
        }
        assertEquals(List.of(true), runs);
    }
}
