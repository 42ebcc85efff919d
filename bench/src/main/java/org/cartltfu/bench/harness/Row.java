package org.cartltfu.bench.harness;

/**
 * One line of the results table. Throughput fields are null for pure latency rows and vice versa; ratioToCopy is
 * the row's resources/s over raw PostgreSQL COPY of the same resources in the same run.
 */
public record Row(
        String workload,
        String validation,
        int concurrency,
        long requests,
        long failures,
        long resources,
        double seconds,
        Double bundlesPerSecond,
        Double resourcesPerSecond,
        Double p50Ms,
        Double p95Ms,
        Double p99Ms,
        Double ratioToCopy,
        String note) {

    public Row withRatio(Double ratio) {
        return new Row(
                workload,
                validation,
                concurrency,
                requests,
                failures,
                resources,
                seconds,
                bundlesPerSecond,
                resourcesPerSecond,
                p50Ms,
                p95Ms,
                p99Ms,
                ratio,
                note);
    }
}
