package org.cartltfu.hub;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.core.io.ClassPathResource;

/**
 * Profile-conformant resources of any type the IG requires profiles for, copied from the IG's example journey and
 * re-pointed at a given patient, site Organization, infusion and product (so tests need not rebuild each profile).
 */
public final class ProfiledResources {

    /** Which example resource to copy for each type (the profile's name). */
    private static final Map<String, String> TEMPLATE_PROFILES = Map.of(
            "Patient", "cart-patient",
            "Consent", "research-consent",
            "Procedure", "cart-infusion",
            "Observation", "lab-ferritin",
            "AdverseEvent", "crs-event",
            "Encounter", "followup-visit");

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Bundle JOURNEY = load();

    private ProfiledResources() {}

    public static boolean hasTemplate(String type) {
        return TEMPLATE_PROFILES.containsKey(type);
    }

    /**
     * A fresh copy (no id, new identifier values) whose references to a Patient, an Organization, a Procedure or a
     * BiologicallyDerivedProduct point at the given ones.
     */
    public static Resource of(String type, String patient, String organization, String infusion, String product) {
        String profile = CarTIg.CANONICAL_BASE + "/StructureDefinition/" + TEMPLATE_PROFILES.get(type);
        Map<String, String> targets = new HashMap<>();
        Resource template = null;
        for (Bundle.BundleEntryComponent entry : JOURNEY.getEntry()) {
            Resource resource = entry.getResource();
            String target = switch (resource.getResourceType().name()) {
                case "Patient" -> patient;
                case "Organization" -> organization;
                case "Procedure" -> infusion;
                case "BiologicallyDerivedProduct" -> product;
                default -> null;
            };
            if (target != null) {
                targets.put(entry.getFullUrl(), target);
            }
            if (template == null && resource.getMeta().hasProfile(profile)) {
                template = resource;
            }
        }
        Resource copy = template.copy();
        copy.setIdElement(null);
        for (Reference reference : FHIR.newTerser().getAllPopulatedChildElementsOfType(copy, Reference.class)) {
            if (reference.hasReference() && targets.containsKey(reference.getReference())) {
                reference.setReference(targets.get(reference.getReference()));
            }
        }
        if (copy instanceof Patient copiedPatient) {
            copiedPatient
                    .getIdentifier()
                    .forEach(identifier -> identifier.setValue(identifier.getValue() + "-"
                            + UUID.randomUUID().toString().substring(0, 8)));
        }
        return copy;
    }

    private static Bundle load() {
        try (InputStream in = new ClassPathResource(CarTIg.JOURNEY_BUNDLE_CLASSPATH).getInputStream()) {
            return (Bundle) FHIR.newJsonParser().parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
