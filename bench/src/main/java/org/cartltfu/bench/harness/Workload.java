package org.cartltfu.bench.harness;

import java.util.List;

/**
 * A named benchmark workload. Built in: the plain workload, the typical cohort search, Patient/$toxicity-history and
 * $trace-product (cohort ingest always runs first). Other features add theirs (e.g. bulk export) by implementing this
 * interface and
 * listing the class in {@code META-INF/services/org.cartltfu.bench.harness.Workload}; {@code --workloads} selects by
 * name. A workload must bound its own requests and time (see {@link BenchContext#budget()}).
 */
public interface Workload {

    String name();

    List<Row> run(BenchContext context) throws Exception;
}
