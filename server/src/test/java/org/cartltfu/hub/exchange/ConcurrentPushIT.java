package org.cartltfu.hub.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.security.TestClients;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** Identical spoke pushes arriving at once create everything exactly once; replaying a push changes nothing. */
class ConcurrentPushIT extends HubServerIT {

    private static final int PUSHES = 32;

    @Test
    void thirtyTwoConcurrentIdenticalPushesCreateEachResourceOnce() throws Exception {
        String mrn = UUID.randomUUID().toString();
        String lab = UUID.randomUUID().toString();
        String event = UUID.randomUUID().toString();
        String infusion = Journey.post(client, fhirContext).infusion();
        IGenericClient spoke = clientWithToken(TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.cruds"));

        ExecutorService pool = Executors.newFixedThreadPool(PUSHES);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Bundle>> results = new ArrayList<>();
        try {
            for (int i = 0; i < PUSHES; i++) {
                Bundle bundle = SpokePush.bundle("vn-bachmai", mrn, lab, event, 3, infusion);
                Callable<Bundle> push = () -> {
                    start.await();
                    return spoke.transaction().withBundle(bundle).execute();
                };
                results.add(pool.submit(push));
            }
            start.countDown();
            for (Future<Bundle> result : results) {
                Bundle response = result.get();
                response.getEntry()
                        .forEach(entry -> assertTrue(
                                entry.getResponse().getStatus().startsWith("200")
                                        || entry.getResponse().getStatus().startsWith("201"),
                                entry.getResponse().getStatus()));
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, total("Patient?identifier=" + SpokePush.MRN + "|" + mrn));
        assertEquals(1, total("Observation?identifier=" + SpokePush.LAB + "|" + lab));
        assertEquals(1, total("AdverseEvent?identifier=" + SpokePush.EVENT + "|" + event));
        String eventVersion = version("AdverseEvent?identifier=" + SpokePush.EVENT + "|" + event);
        String patientId = id("Patient?identifier=" + SpokePush.MRN + "|" + mrn);
        int provenances = total("Provenance?target=" + patientId);
        System.out.printf(
                "CONCURRENT PUSH: %d identical pushes -> 1 Patient, 1 Observation, 1 AdverseEvent "
                        + "(AdverseEvent version %s), %d Provenance(s) naming the patient%n",
                PUSHES, eventVersion, provenances);

        Bundle replay = spoke.transaction()
                .withBundle(SpokePush.bundle("vn-bachmai", mrn, lab, event, 3, infusion))
                .execute();
        replay.getEntry()
                .forEach(entry -> assertTrue(
                        entry.getResponse().getStatus().startsWith("200"),
                        "replay must not create: " + entry.getResponse().getStatus()));
        assertEquals(eventVersion, version("AdverseEvent?identifier=" + SpokePush.EVENT + "|" + event));
        assertEquals("1", version("Patient?identifier=" + SpokePush.MRN + "|" + mrn));
        assertEquals("1", version("Observation?identifier=" + SpokePush.LAB + "|" + lab));
        assertEquals(provenances, total("Provenance?target=" + patientId), "a replay records no new Provenance");
    }

    private int total(String url) {
        return client.search()
                .byUrl(url + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
    }

    private Resource only(String url) {
        Bundle found = client.search().byUrl(url).returnBundle(Bundle.class).execute();
        assertEquals(1, found.getEntry().size(), url);
        return found.getEntryFirstRep().getResource();
    }

    private String version(String url) {
        return only(url).getMeta().getVersionId();
    }

    private String id(String url) {
        return only(url).getIdElement().toUnqualifiedVersionless().getValue();
    }
}
