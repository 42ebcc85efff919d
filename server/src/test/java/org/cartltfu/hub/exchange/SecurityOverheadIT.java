package org.cartltfu.hub.exchange;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.cartltfu.hub.HubApplication;
import org.cartltfu.hub.HubServerIT;
import org.cartltfu.hub.Journey;
import org.cartltfu.hub.security.TestClients;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures (does not assert) what authentication, authorization, Provenance and audit cost on a typical spoke push:
 * the same kind of bundle is pushed alternately to this test's server (everything on) and to a second server in the
 * same JVM with security and audit off, so both see the same machine load. Token acquisition is left out: a client
 * reuses its token for its lifetime.
 */
class SecurityOverheadIT extends HubServerIT {

	private static final int WARM_UP = 15;
	private static final int MEASURED = 60;

	@Test
	void measureOverheadOfSecurityProvenanceAndAudit() {
		List<String> arguments = new ArrayList<>(List.of(
				"--server.port=0",
				"--hub.security.enabled=false",
				"--hub.exchange.audit-enabled=false",
				"--hub.storage.embedded-postgres.data-dir=" + Path.of("target/test-data/overhead-" + UUID.randomUUID(), "postgres"),
				"--hub.storage.search-index-dir=" + Path.of("target/test-data/overhead-" + UUID.randomUUID(), "lucene")));
		try (ConfigurableApplicationContext open = new SpringApplicationBuilder(HubApplication.class)
				.profiles("test").run(arguments.toArray(String[]::new))) {
			int openPort = ((WebServerApplicationContext) open).getWebServer().getPort();
			IGenericClient secured = clientWithToken(TestClients.token(TestClients.SPOKE_VN, serverRoot(), "system/*.cruds"));
			IGenericClient unsecured = fhirContext.newRestfulGenericClient("http://localhost:" + openPort + "/fhir");
			// Each server needs the spoke's Organization and a hub infusion the CRS events refer to.
			String securedInfusion = Journey.post(client, fhirContext).infusion();
			String openInfusion = Journey.post(unsecured, fhirContext).infusion();

			long[] on = new long[MEASURED];
			long[] off = new long[MEASURED];
			for (int i = 0; i < WARM_UP + MEASURED; i++) {
				long securedTime = push(secured, securedInfusion);
				long openTime = push(unsecured, openInfusion);
				if (i >= WARM_UP) {
					on[i - WARM_UP] = securedTime;
					off[i - WARM_UP] = openTime;
				}
			}
			Arrays.sort(on);
			Arrays.sort(off);
			System.out.printf("OVERHEAD: spoke push of 3 entries (Patient, Observation, AdverseEvent), %d pushes each, "
							+ "alternating; median on=%.1f ms off=%.1f ms ratio=%.2f; p90 on=%.1f ms off=%.1f ms ratio=%.2f%n",
					MEASURED, ms(on[MEASURED / 2]), ms(off[MEASURED / 2]), (double) on[MEASURED / 2] / off[MEASURED / 2],
					ms(on[MEASURED * 9 / 10]), ms(off[MEASURED * 9 / 10]),
					(double) on[MEASURED * 9 / 10] / off[MEASURED * 9 / 10]);
		}
	}

	private static long push(IGenericClient client, String infusion) {
		Bundle bundle = SpokePush.bundle("vn-bachmai", UUID.randomUUID().toString(), UUID.randomUUID().toString(),
				UUID.randomUUID().toString(), 2, infusion);
		long start = System.nanoTime();
		client.transaction().withBundle(bundle).execute();
		return System.nanoTime() - start;
	}

	private static double ms(long nanos) {
		return nanos / 1_000_000.0;
	}
}
