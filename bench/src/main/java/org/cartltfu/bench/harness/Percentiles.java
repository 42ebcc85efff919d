package org.cartltfu.bench.harness;

import java.util.List;

/** Nearest-rank percentiles of latencies given in nanoseconds, returned in milliseconds. */
final class Percentiles {

    private Percentiles() {}

    static Double ms(List<Long> nanos, double p) {
        if (nanos.isEmpty()) {
            return null;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
