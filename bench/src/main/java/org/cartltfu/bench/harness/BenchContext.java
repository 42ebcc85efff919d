package org.cartltfu.bench.harness;

import java.time.Duration;
import org.cartltfu.bench.cohort.CohortGenerator;
import org.cartltfu.bench.push.FhirHttp;

/**
 * What a workload gets: the server (under site identities), the cohort loaded so far ([0, loadedPatients) of the
 * generator), the detected validation mode, and the time budget per workload step.
 */
public record BenchContext(
        FhirHttp fhir, CohortGenerator cohort, int loadedPatients, String validation, Duration budget, int searches) {}
