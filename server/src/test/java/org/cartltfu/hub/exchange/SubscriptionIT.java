package org.cartltfu.hub.exchange;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.ProfiledResources;
import org.cartltfu.hub.record.SiteDirectory;
import org.cartltfu.hub.security.TestClients;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * REST-hook notifications to a real HTTP receiver on 127.0.0.1: the hub hears about severe CRS/ICANS, a spoke hears
 * about follow-up plans for its own patients, and a receiver that is down at first still gets the notification.
 */
class SubscriptionIT extends HubServerIT {

    private record Delivery(String method, String path, String body) {}

    @Autowired
    private SiteDirectory sites;

    private HttpServer receiver;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusedAtHub = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            // The hub's receiver is "down" for its first two deliveries: the server must retry.
            boolean down = path.startsWith("/hub") && refusedAtHub.getAndIncrement() < 2;
            deliveries.add(new Delivery(exchange.getRequestMethod(), path, down ? "(refused) " + body : body));
            exchange.sendResponseHeaders(down ? 503 : 200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String endpoint(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    @Test
    void hubIsNotifiedOfSevereCrsAndSpokeOfItsPatientsPlans() throws Exception {
        String vn = sites.organizationId("vn-bachmai").orElseThrow();
        String my = sites.organizationId("my-ummc").orElseThrow();
        subscribe(
                "AdverseEvent?astct-grade=3,4,5&event=https://cart-ltfu.org/fhir/CodeSystem/cart-event-type|crs,"
                        + "https://cart-ltfu.org/fhir/CodeSystem/cart-event-type|icans",
                endpoint("/hub"));
        subscribe("CarePlan?patient.organization=Organization/" + vn, endpoint("/spoke/vn-bachmai"));

        String infusion = Journey.post(client, fhirContext).infusion();
        IGenericClient spoke = clientWithToken(TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.cruds"));
        String mrn = UUID.randomUUID().toString();
        Bundle mild = spoke.transaction()
                .withBundle(SpokePush.bundle(
                        "vn-bachmai",
                        mrn,
                        UUID.randomUUID().toString(),
                        UUID.randomUUID().toString(),
                        2,
                        infusion))
                .execute();
        String mildEvent = idOf(mild.getEntry().get(2));
        Bundle severe = spoke.transaction()
                .withBundle(SpokePush.bundle(
                        "vn-bachmai",
                        mrn,
                        UUID.randomUUID().toString(),
                        UUID.randomUUID().toString(),
                        4,
                        infusion))
                .execute();
        String severeEvent = idOf(severe.getEntry().get(2));
        String patient = "Patient/" + idOf(severe.getEntry().get(0));

        awaitDelivery(
                d -> d.path().startsWith("/hub")
                        && !d.body().startsWith("(refused)")
                        && (d.path().contains(severeEvent) || d.body().contains(severeEvent)),
                "grade 4 CRS at the hub");
        long attempts = deliveries.stream()
                .filter(d -> d.path().startsWith("/hub")
                        && (d.path().contains(severeEvent) || d.body().contains(severeEvent)))
                .count();
        assertTrue(attempts >= 3, "two refused deliveries, then the successful retry: " + deliveries);
        assertTrue(
                deliveries.stream()
                        .noneMatch(d -> d.path().contains(mildEvent) || d.body().contains(mildEvent)),
                "grade 2 must not be notified: " + deliveries);

        Patient otherPatient = (Patient) ProfiledResources.of("Patient", null, "Organization/" + my, infusion, null);
        String other = client.create()
                .resource(otherPatient)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        String otherPlan =
                client.create().resource(plan(other)).execute().getId().getIdPart();
        String ownPlan =
                client.create().resource(plan(patient)).execute().getId().getIdPart();

        awaitDelivery(
                d -> d.path().startsWith("/spoke/vn-bachmai")
                        && (d.path().contains(ownPlan) || d.body().contains(ownPlan)),
                "the vn-bachmai patient's plan at vn-bachmai");
        assertTrue(
                deliveries.stream()
                        .noneMatch(d -> d.path().contains(otherPlan) || d.body().contains(otherPlan)),
                "another site's plan must not reach vn-bachmai: " + deliveries);
        System.out.printf(
                "SUBSCRIPTIONS: %d deliveries received (%d refused by the receiver and retried)%n",
                deliveries.size(),
                deliveries.stream()
                        .filter(d -> d.body().startsWith("(refused)"))
                        .count());
    }

    private static CarePlan plan(String patient) {
        CarePlan plan = new CarePlan();
        plan.setStatus(CarePlan.CarePlanStatus.ACTIVE);
        plan.setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.setTitle("LTFU 15-year track");
        plan.setSubject(new Reference(patient));
        return plan;
    }

    private static String idOf(Bundle.BundleEntryComponent entry) {
        return entry.getResponse().getLocation().replaceAll("/_history/.*", "").replaceAll(".*/", "");
    }

    private void subscribe(String criteria, String endpoint) {
        Subscription subscription = new Subscription();
        subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        subscription.setReason("CAR-T LTFU notification");
        subscription.setCriteria(criteria);
        subscription
                .getChannel()
                .setType(Subscription.SubscriptionChannelType.RESTHOOK)
                .setEndpoint(endpoint)
                .setPayload("application/fhir+json");
        String id = client.create().resource(subscription).execute().getId().getIdPart();
        await().dontCatchUncaughtExceptions()
                .atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals(
                        Subscription.SubscriptionStatus.ACTIVE,
                        client.read()
                                .resource(Subscription.class)
                                .withId(id)
                                .execute()
                                .getStatus(),
                        "subscription never became active: " + criteria));
    }

    private void awaitDelivery(Predicate<Delivery> wanted, String what) {
        await().dontCatchUncaughtExceptions()
                .atMost(Duration.ofSeconds(90))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertTrue(
                        deliveries.stream().anyMatch(wanted),
                        () -> "no delivery of " + what + "; received: " + deliveries));
    }
}
