package org.cartltfu.hub.config;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One token bucket (Bucket4j) per key — a client, a remote address — held in a bounded map that forgets idle keys
 * (a forgotten bucket is a full one, which an idle key would have anyway).
 */
public class RateLimiter {

    /**
     * @param allowed whether this request may go on
     * @param retryAfterSeconds when it was refused: seconds until the next request would be allowed
     * @param refusedBefore when allowed: how many requests of this key were refused since the last allowed one
     */
    public record Decision(boolean allowed, long retryAfterSeconds, long refusedBefore) {}

    private record Entry(Bucket bucket, AtomicLong refused) {}

    private final LoadingCache<String, Entry> buckets;

    public RateLimiter(RateLimitProperties.Limit limit) {
        Duration idle = limit.period().multipliedBy(Math.max(1, limit.capacity() / Math.max(1, limit.refill()) + 1));
        this.buckets = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterAccess(idle)
                .build(key -> new Entry(
                        Bucket.builder()
                                .addLimit(bandwidth -> bandwidth
                                        .capacity(limit.capacity())
                                        .refillGreedy(limit.refill(), limit.period()))
                                .build(),
                        new AtomicLong()));
    }

    public Decision tryAcquire(String key) {
        Entry entry = buckets.get(key);
        ConsumptionProbe probe = entry.bucket().tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Decision(true, 0, entry.refused().getAndSet(0));
        }
        entry.refused().incrementAndGet();
        long seconds = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
        return new Decision(false, Math.max(1, seconds), 0);
    }
}
