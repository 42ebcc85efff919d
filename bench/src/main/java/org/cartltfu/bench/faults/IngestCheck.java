package org.cartltfu.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.cartltfu.bench.cohort.CohortGenerator;
import org.cartltfu.bench.cohort.Json;
import org.cartltfu.bench.cohort.Site;
import org.cartltfu.bench.push.CohortPusher;
import org.cartltfu.bench.push.FhirHttp;

/**
 * Pushes patients' transactions as spokes that resend until they are answered (every entry conditional, see
 * {@link IdempotentPush}), while someone else breaks the servers (kills an instance, restarts the database), then
 * checks what was stored: every acknowledged transaction whole, no resource stored twice, no transaction stored in
 * part. The reliability figures of the project come from this check.
 *
 * <p>A transaction is resent on a connection failure, a timeout, 5xx, 429 and 409 (a concurrent identical push lost
 * a race): what a spoke's interface engine does. Any other 4xx is a refusal and counts as such (it must be 0: the
 * data are valid). A transaction is given up after {@code giveUpMillis}.
 */
public final class IngestCheck {

    /** What a run found; {@code lost}, {@code duplicates} and {@code partial} must be 0. */
    public record Result(
            int transactions,
            long acknowledged,
            long resent,
            long gaveUp,
            long refused,
            long keysChecked,
            long lost,
            long duplicates,
            long partial,
            Map<String, Long> answers,
            List<Minute> minutes,
            List<String> examples,
            double seconds) {

        public boolean clean() {
            return lost == 0 && duplicates == 0 && partial == 0 && gaveUp == 0 && refused == 0;
        }
    }

    /** One minute of the run: answers completed in it, their 5xx, and latency percentiles (ms). */
    public record Minute(int minute, long answers, long serverErrors, double p50Ms, double p95Ms) {}

    private record Answer(long atMillis, int status, long nanos) {}

    private final FhirHttp fhir;
    private final long giveUpMillis;
    private final long budgetMillis;

    /** @param budgetMillis no new patient is started after this (a soak of fixed length); its pushes complete */
    public IngestCheck(FhirHttp fhir, long giveUpMillis, long budgetMillis) {
        this.fhir = fhir;
        this.giveUpMillis = giveUpMillis;
        this.budgetMillis = budgetMillis;
    }

    public Result run(CohortGenerator cohort, int from, int to, int workers) throws Exception {
        long t0 = System.nanoTime();
        resend(() -> {
            new CohortPusher(fhir).seedSites();
            return true;
        });
        Map<String, Long> answers = new ConcurrentHashMap<>();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong resent = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<IdempotentPush> acked = Collections.synchronizedList(new ArrayList<>());
        List<IdempotentPush> unanswered = Collections.synchronizedList(new ArrayList<>());
        List<String> examples = Collections.synchronizedList(new ArrayList<>());
        List<Answer> timeline = Collections.synchronizedList(new ArrayList<>());
        long started = System.currentTimeMillis();
        int[] transactions = {0};
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    for (int i = from + worker; i < to; i += workers) {
                        if (System.currentTimeMillis() - started > budgetMillis) {
                            return null;
                        }
                        for (CohortGenerator.Push generated : cohort.patient(i).pushes()) {
                            IdempotentPush push = IdempotentPush.of(generated);
                            byte[] body = Json.MAPPER.writeValueAsBytes(push.bundle());
                            long deadline = System.currentTimeMillis() + giveUpMillis;
                            boolean answered = false;
                            for (int attempt = 0; !answered && System.currentTimeMillis() < deadline; attempt++) {
                                if (attempt > 0) {
                                    resent.incrementAndGet();
                                    Thread.sleep(Math.min(2000, 100L << Math.min(attempt, 5)));
                                }
                                String answer;
                                try {
                                    FhirHttp.Response r =
                                            fhir.transaction(push.push().site().code(), body);
                                    answer = String.valueOf(r.status());
                                    if (r.ok()) {
                                        answered = true;
                                    } else if (!resendable(r.status())) {
                                        refused.incrementAndGet();
                                        note(examples, push, r.status() + " " + r.body());
                                        answers.merge(answer, 1L, Long::sum);
                                        break;
                                    } else if (r.status() >= 500) {
                                        note(examples, push, r.status() + " " + r.body());
                                    }
                                } catch (java.io.IOException e) {
                                    answer = "connection: " + e.getClass().getSimpleName();
                                }
                                answers.merge(answer, 1L, Long::sum);
                            }
                            if (answered) {
                                acknowledged.incrementAndGet();
                                acked.add(push);
                            } else {
                                unanswered.add(push);
                            }
                            synchronized (transactions) {
                                transactions[0]++;
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

        // What is stored, counted per identifier through the hub's own search (the hub sees every site's data).
        Map<IdempotentPush.Key, Integer> stored = stored(acked, unanswered);
        long lost = 0;
        long keys = 0;
        Set<IdempotentPush.Key> ackedKeys = new HashSet<>();
        for (IdempotentPush push : acked) {
            for (IdempotentPush.Key key : push.keys()) {
                if (ackedKeys.add(key)) {
                    keys++;
                    if (stored.getOrDefault(key, 0) == 0) {
                        lost++;
                        note(examples, push, "acknowledged but not stored: " + key);
                    }
                }
            }
        }
        long duplicates = 0;
        for (Map.Entry<IdempotentPush.Key, Integer> e : stored.entrySet()) {
            if (e.getValue() > 1) {
                duplicates += e.getValue() - 1;
                if (examples.size() < 10) {
                    examples.add("stored " + e.getValue() + " times: " + e.getKey());
                }
            }
        }
        long partial = 0;
        for (IdempotentPush push : unanswered) {
            long present = push.keys().stream()
                    .filter(k -> !isShared(k))
                    .filter(k -> stored.getOrDefault(k, 0) > 0)
                    .count();
            long own = push.keys().stream().filter(k -> !isShared(k)).count();
            if (present > 0 && present < own) {
                partial++;
                note(examples, push, "stored in part: " + present + " of " + own);
            }
        }
        return new Result(
                transactions[0],
                acknowledged.get(),
                resent.get(),
                unanswered.size(),
                refused.get(),
                keys,
                lost,
                duplicates,
                partial,
                new TreeMap<>(answers),
                minutes(started, timeline),
                List.copyOf(examples),
                (System.nanoTime() - t0) / 1e9);
    }

    private static List<Minute> minutes(long started, List<Answer> timeline) {
        Map<Integer, List<Answer>> byMinute = new TreeMap<>();
        synchronized (timeline) {
            timeline.forEach(a -> byMinute.computeIfAbsent(
                            (int) ((a.atMillis() - started) / 60_000), m -> new ArrayList<>())
                    .add(a));
        }
        List<Minute> minutes = new ArrayList<>();
        byMinute.forEach((minute, answers) -> {
            long[] ms = answers.stream().mapToLong(Answer::nanos).sorted().toArray();
            minutes.add(new Minute(
                    minute,
                    answers.size(),
                    answers.stream().filter(a -> a.status() >= 500).count(),
                    ms[(int) Math.floor(0.50 * (ms.length - 1))] / 1e6,
                    ms[(int) Math.floor(0.95 * (ms.length - 1))] / 1e6));
        });
        return minutes;
    }

    private static boolean resendable(int status) {
        return status >= 500 || status == 429 || status == 409 || status == 408;
    }

    /** Sites, patients and products recur in many transactions: not a sign of a partial one. */
    private static boolean isShared(IdempotentPush.Key key) {
        return !key.system().startsWith(IdempotentPush.system(""));
    }

    private static void note(List<String> examples, IdempotentPush push, String what) {
        if (examples.size() < 10) {
            examples.add(push.push().site().code() + " " + push.push().label() + ": "
                    + what.substring(0, Math.min(400, what.length())));
        }
    }

    /** How many resources carry each identifier the pushes used. */
    private Map<IdempotentPush.Key, Integer> stored(List<IdempotentPush> acked, List<IdempotentPush> unanswered)
            throws Exception {
        Map<String, Set<String>> searches = new TreeMap<>(); // type -> systems
        for (List<IdempotentPush> pushes : List.of(acked, unanswered)) {
            for (IdempotentPush push : pushes) {
                push.keys()
                        .forEach(k -> searches.computeIfAbsent(k.type(), t -> new HashSet<>())
                                .add(k.system()));
            }
        }
        Set<IdempotentPush.Key> wanted = new HashSet<>();
        for (List<IdempotentPush> pushes : List.of(acked, unanswered)) {
            pushes.forEach(p -> wanted.addAll(p.keys()));
        }
        Map<IdempotentPush.Key, Integer> counts = new HashMap<>();
        for (Map.Entry<String, Set<String>> search : searches.entrySet()) {
            String type = search.getKey();
            for (String system : search.getValue()) {
                Set<String> values = wanted.stream()
                        .filter(k -> k.type().equals(type) && k.system().equals(system))
                        .map(IdempotentPush.Key::value)
                        .collect(Collectors.toSet());
                count(type, system, values, counts);
            }
        }
        return counts;
    }

    private void count(String type, String system, Set<String> values, Map<IdempotentPush.Key, Integer> counts)
            throws Exception {
        String next = type + "?identifier=" + system + "|&_elements=identifier&_count=500";
        while (next != null) {
            FhirHttp.Response page = resend(fhir, Site.HUB.code(), next);
            JsonNode bundle = Json.MAPPER.readTree(page.body());
            for (JsonNode entry : bundle.path("entry")) {
                for (JsonNode identifier : identifiers(entry.path("resource").path("identifier"))) {
                    String value = identifier.path("value").asText();
                    if (system.equals(identifier.path("system").asText()) && values.contains(value)) {
                        counts.merge(new IdempotentPush.Key(type, system, value), 1, Integer::sum);
                    }
                }
            }
            next = null;
            for (JsonNode link : bundle.path("link")) {
                if (link.path("relation").asText().equals("next")) {
                    next = link.path("url").asText();
                }
            }
            if (next != null) {
                // The server's next links are absolute; ours must go through the same base (the balancer).
                URI uri = URI.create(next);
                next = uri.getRawPath().replaceFirst("^.*/fhir/?", "")
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            }
        }
    }

    private static List<JsonNode> identifiers(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(list::add);
        } else if (node.isObject()) {
            list.add(node);
        }
        return list;
    }

    private static FhirHttp.Response resend(FhirHttp fhir, String site, String relative) throws Exception {
        FhirHttp.Response[] answer = new FhirHttp.Response[1];
        resend(() -> {
            answer[0] = fhir.get(site, relative);
            if (!answer[0].ok()) {
                throw new IllegalStateException(
                        "search " + relative + ": " + answer[0].status() + " " + answer[0].body());
            }
            return true;
        });
        return answer[0];
    }

    private interface Attempt {
        boolean run() throws Exception;
    }

    /** The check itself must survive the faults it measures: its own calls are retried for two minutes. */
    private static void resend(Attempt attempt) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try {
                attempt.run();
                return;
            } catch (Exception e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    public static ObjectNode json(Result r) {
        ObjectNode o = Json.MAPPER.valueToTree(r);
        o.put("clean", r.clean());
        return o;
    }
}
