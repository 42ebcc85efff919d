package org.cartltfu.bench.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.cartltfu.bench.cohort.CohortGenerator;
import org.cartltfu.bench.cohort.Json;
import org.cartltfu.bench.cohort.Site;

/**
 * Pushes cohort transactions as the sites would: the hub's transaction under the hub's identity, then each follow-up
 * transaction under the spoke's. A patient's transactions go in order through one worker (a spoke never reports a
 * visit before the hub registered the infusion); workers run concurrently, one connection each.
 */
public final class CohortPusher {

    /** What a push run achieved. Latencies are per transaction, in nanoseconds. */
    public record Result(
            int workers,
            long bundles,
            long resources,
            long failures,
            long elapsedNanos,
            List<Long> latencies,
            List<String> firstErrors,
            boolean timedOut) {

        public double bundlesPerSecond() {
            return bundles / (elapsedNanos / 1e9);
        }

        public double resourcesPerSecond() {
            return resources / (elapsedNanos / 1e9);
        }
    }

    private final FhirHttp fhir;

    public CohortPusher(FhirHttp fhir) {
        this.fhir = fhir;
    }

    /** Creates the hub and spoke Organizations once, before concurrent pushes race on their conditional creates. */
    public void seedSites() throws Exception {
        ObjectNode bundle = Json.obj().put("resourceType", "Bundle").put("type", "transaction");
        ArrayNode entries = bundle.putArray("entry");
        for (Site site : Site.all()) {
            ObjectNode org = Json.resource("Organization", "spoke-organization");
            org.putArray("identifier")
                    .addObject()
                    .put("system", Json.sid("site"))
                    .put("value", site.code());
            org.put("active", true).put("name", site.name());
            if (site.localName() != null && !site.localName().equals(site.name())) {
                org.putArray("alias").add(site.localName());
            }
            org.putArray("address").addObject().put("city", site.city()).put("country", site.country());
            ObjectNode e = entries.addObject();
            e.set("resource", org);
            e.putObject("request")
                    .put("method", "POST")
                    .put("url", "Organization")
                    .put("ifNoneExist", "identifier=" + Json.sid("site") + "|" + site.code());
        }
        FhirHttp.Response r =
                fhir.transaction(Site.HUB.code(), bundle.toString().getBytes(StandardCharsets.UTF_8));
        if (!r.ok()) {
            throw new IllegalStateException("seeding the sites failed: " + r.status() + " " + r.body());
        }
    }

    /** Pushes patients [from, to) with the given number of workers, stopping new transactions after the budget. */
    public Result push(CohortGenerator generator, int from, int to, int workers, Duration budget) throws Exception {
        AtomicLong bundles = new AtomicLong();
        AtomicLong resources = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + budget.toNanos();
        boolean[] timedOut = {false};
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    for (int i = from + worker; i < to; i += workers) {
                        if (System.nanoTime() > deadline) {
                            timedOut[0] = true;
                            return null;
                        }
                        for (CohortGenerator.Push push : generator.patient(i).pushes()) {
                            byte[] body = Json.MAPPER.writeValueAsBytes(push.bundle());
                            FhirHttp.Response r = fhir.transaction(push.site().code(), body);
                            latencies.add(r.nanos());
                            if (r.ok()) {
                                bundles.incrementAndGet();
                                resources.addAndGet(push.entries());
                            } else {
                                failures.incrementAndGet();
                                if (errors.size() < 5) {
                                    errors.add(push.site().code() + " " + push.label() + " -> " + r.status() + " "
                                            + r.body()
                                                    .substring(
                                                            0,
                                                            Math.min(
                                                                    600,
                                                                    r.body().length())));
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(
                workers,
                bundles.get(),
                resources.get(),
                failures.get(),
                System.nanoTime() - t0,
                List.copyOf(latencies),
                List.copyOf(errors),
                timedOut[0]);
    }
}
