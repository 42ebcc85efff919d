package org.cartltfu.bench.harness;

import java.util.List;

/**
 * A named benchmark workload. The built-in ones are cohort ingest, the plain workload and their searches; other
 * features add theirs (CRS/ICANS history operation, lot trace, bulk export) by implementing this interface and
 * listing the class in {@code META-INF/services/org.cartltfu.bench.harness.Workload}; {@code --workloads} selects by
 * name. A workload must bound its own requests and time (see {@link BenchContext#budget()}).
 */
public interface Workload {

	String name();

	List<Row> run(BenchContext context) throws Exception;
}
