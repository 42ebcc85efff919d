package org.cartltfu.hub.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Which of our profiles a resource is about, read from the installed guide rather than listed by hand: a profile's
 * signature is the codes its differential fixes (pattern) or binds to one of our value sets on the resource's
 * {@code code}, {@code event}, {@code category} or {@code type}. A resource carrying a profile's signature is a
 * CAR-T fact of that profile (it must conform) or, for the laboratory profiles, a lab we recognise when it conforms.
 */
public final class ProfileRecognition {

    /** Types every instance of which is a CAR-T fact, whatever its codes: our products, and the consents the registry gate reads. */
    private static final Map<String, String> ALWAYS = Map.of(
            "BiologicallyDerivedProduct", CarTIg.PROFILE_PRODUCT,
            "Consent", CarTIg.PROFILE_RESEARCH_CONSENT);

    private static final List<String> SIGNATURE_ELEMENTS = List.of("code", "event", "category", "type");

    /** A profile's signature: for each element path, the codings ("system|code", or "system|" for a whole system) any of which it needs. */
    record Signature(String profile, String type, boolean lab, Map<String, Set<String>> codings) {}

    private final FhirTerser terser;
    private final List<Signature> signatures;

    ProfileRecognition(FhirContext fhirContext, List<Signature> signatures) {
        this.terser = fhirContext.newTerser();
        this.signatures = signatures;
    }

    public static ProfileRecognition fromGuide(FhirContext fhirContext, IValidationSupport support) {
        List<Signature> signatures = new ArrayList<>();
        for (IBaseResource resource : support.<IBaseResource>fetchAllStructureDefinitions()) {
            if (!(resource instanceof StructureDefinition sd)
                    || !sd.getUrl().startsWith(CarTIg.SD)
                    || sd.getKind() != StructureDefinition.StructureDefinitionKind.RESOURCE) {
                continue;
            }
            Map<String, Set<String>> codings = new LinkedHashMap<>();
            for (ElementDefinition element : sd.getDifferential().getElement()) {
                String path = element.getPath();
                if (!SIGNATURE_ELEMENTS.contains(path.substring(path.indexOf('.') + 1))) {
                    continue;
                }
                Set<String> allowed = new HashSet<>();
                if (element.getPattern() instanceof CodeableConcept pattern) {
                    pattern.getCoding().forEach(coding -> allowed.add(coding.getSystem() + "|" + coding.getCode()));
                } else if (element.hasBinding()
                        && element.getBinding().getValueSet() != null
                        && element.getBinding().getValueSet().startsWith(CarTIg.VS)
                        && support.fetchValueSet(element.getBinding().getValueSet()) instanceof ValueSet valueSet) {
                    valueSet.getCompose().getInclude().forEach(include -> {
                        if (include.hasConcept()) {
                            include.getConcept()
                                    .forEach(concept -> allowed.add(include.getSystem() + "|" + concept.getCode()));
                        } else {
                            allowed.add(include.getSystem() + "|");
                        }
                    });
                }
                if (!allowed.isEmpty()) {
                    codings.computeIfAbsent(path, p -> new HashSet<>()).addAll(allowed);
                }
            }
            boolean lab = sd.getUrl().equals(CarTIg.PROFILE_LAB) || CarTIg.PROFILE_LAB.equals(sd.getBaseDefinition());
            if (!codings.isEmpty()) {
                signatures.add(new Signature(sd.getUrl(), sd.getType(), lab, codings));
            }
        }
        // The specific labs before the generic one: a CRP result is recognised as lab-crp, not only as a lab.
        signatures.sort(Comparator.comparing((Signature s) -> s.profile().equals(CarTIg.PROFILE_LAB)));
        return new ProfileRecognition(fhirContext, List.copyOf(signatures));
    }

    /** The profiles this resource must conform to because of what it is (a CAR-T fact), declared or not. */
    public List<String> requiredProfiles(IBaseResource resource) {
        String type = resource.fhirType();
        List<String> profiles = new ArrayList<>();
        if (ALWAYS.containsKey(type)) {
            profiles.add(ALWAYS.get(type));
        }
        signatures.stream()
                .filter(signature -> !signature.lab() && matches(signature, resource))
                .forEach(signature -> profiles.add(signature.profile()));
        return profiles.stream().distinct().toList();
    }

    /** The laboratory profiles this resource is recognised as when it conforms, most specific first. */
    public List<String> labProfiles(IBaseResource resource) {
        return signatures.stream()
                .filter(signature -> signature.lab() && matches(signature, resource))
                .map(Signature::profile)
                .toList();
    }

    private boolean matches(Signature signature, IBaseResource resource) {
        if (!signature.type().equals(resource.fhirType())) {
            return false;
        }
        return signature.codings().entrySet().stream()
                .allMatch(element -> terser.getValues(resource, element.getKey(), CodeableConcept.class).stream()
                        .flatMap(concept -> concept.getCoding().stream())
                        .anyMatch(coding -> element.getValue().contains(key(coding))
                                || element.getValue().contains(coding.getSystem() + "|")));
    }

    private static String key(Coding coding) {
        return coding.getSystem() + "|" + coding.getCode();
    }
}
