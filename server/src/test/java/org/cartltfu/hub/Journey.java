package org.cartltfu.hub;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.core.io.ClassPathResource;

/**
 * The IG's example patient journey (infusion, CRS and ICANS episodes, assessments, labs, visits, a new malignancy),
 * posted as one transaction with fresh identifiers, so that every test gets its own patient, product and lot.
 *
 * @param patient the created Patient, e.g. {@code Patient/123}
 * @param infusion the created infusion Procedure
 * @param product the created BiologicallyDerivedProduct
 * @param hubOrganization the hub's Organization
 * @param spokeOrganization the spoke's Organization
 * @param lot the product's manufacturer lot number
 * @param chainOfIdentity the product's chain-of-identity identifier
 */
public record Journey(
        String patient,
        String infusion,
        String product,
        String hubOrganization,
        String spokeOrganization,
        String lot,
        String chainOfIdentity) {

    private static final String EXAMPLE_HUB_MRN = "SGH-2024-000731";
    private static final String EXAMPLE_LOT = "KT24A0193";
    private static final String EXAMPLE_COI = "COI-KTE-24-0042-SGH";

    public static Journey post(IGenericClient client, FhirContext fhirContext) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String lot = EXAMPLE_LOT + "-" + suffix;
        String coi = EXAMPLE_COI + "-" + suffix;
        String json = example()
                .replace(EXAMPLE_HUB_MRN, EXAMPLE_HUB_MRN + "-" + suffix)
                .replace(EXAMPLE_LOT, lot)
                .replace(EXAMPLE_COI, coi);
        Bundle journey = (Bundle) fhirContext.newJsonParser().parseResource(json);
        Bundle response = client.transaction().withBundle(journey).execute();

        String patient = null, infusion = null, product = null, hub = null, spoke = null;
        for (int i = 0; i < journey.getEntry().size(); i++) {
            Resource resource = journey.getEntry().get(i).getResource();
            String status = response.getEntry().get(i).getResponse().getStatus();
            if (!status.startsWith("201") && !status.startsWith("200")) {
                throw new AssertionError("journey entry " + i + " answered " + status);
            }
            String location =
                    response.getEntry().get(i).getResponse().getLocation().replaceAll("/_history/.*", "");
            switch (resource.getResourceType()) {
                case Patient -> patient = location;
                case Procedure -> infusion = location;
                case BiologicallyDerivedProduct -> product = location;
                case Organization -> {
                    String site = ((org.hl7.fhir.r4.model.Organization) resource)
                            .getIdentifierFirstRep()
                            .getValue();
                    if (CarTIg.HUB_SITE_CODE.equals(site)) {
                        hub = location;
                    } else {
                        spoke = location;
                    }
                }
                default -> {}
            }
        }
        return new Journey(patient, infusion, product, hub, spoke, lot, coi);
    }

    private static String example() {
        try (InputStream in = new ClassPathResource(CarTIg.JOURNEY_BUNDLE_CLASSPATH).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
