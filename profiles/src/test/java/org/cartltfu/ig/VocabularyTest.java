package org.cartltfu.ig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.codesystems.AuditEntityType;
import org.hl7.fhir.r4.model.codesystems.AuditEventType;
import org.hl7.fhir.r4.model.codesystems.ConditionCategory;
import org.hl7.fhir.r4.model.codesystems.ConditionClinical;
import org.hl7.fhir.r4.model.codesystems.ObjectRole;
import org.hl7.fhir.r4.model.codesystems.ObservationCategory;
import org.hl7.fhir.r4.model.codesystems.ProvenanceAgentType;
import org.hl7.fhir.r4.model.codesystems.RestfulInteraction;
import org.hl7.fhir.r4.model.codesystems.RestfulSecurityService;
import org.hl7.fhir.r4.model.codesystems.UsageContextType;
import org.hl7.fhir.r4.model.codesystems.V3ActCode;
import org.hl7.fhir.r4.model.codesystems.V3DataOperation;
import org.hl7.fhir.r4.model.codesystems.V3ObservationValue;
import org.hl7.fhir.r4.model.codesystems.V3ParticipationType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Java vocabulary ({@link CarTIg} and the {@link IgCode} enums) against the package it describes: every URL of ours
 * names a resource the package defines, every code is defined in its CodeSystem, and every standard system is spelled
 * as HAPI's model spells it. So the server's code cannot drift from the guide.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VocabularyTest {

    /** URLs under our canonical that the hub writes into its own records only; the package does not define them. */
    private static final Set<String> HUB_ONLY = Set.of(CarTIg.CS_CART_AUDIT);

    private final Map<String, MetadataResource> byUrl = new HashMap<>();

    @BeforeAll
    void loadPackage() throws IOException {
        FhirContext fhir = FhirContext.forR4Cached();
        for (byte[] file : BuiltPackage.resourceFiles(BuiltPackage.open()).values()) {
            IBaseResource resource = fhir.newJsonParser().parseResource(new String(file, StandardCharsets.UTF_8));
            if (resource instanceof MetadataResource metadata && metadata.hasUrl()) {
                byUrl.put(metadata.getUrl(), metadata);
            }
        }
    }

    @Test
    void everyConformanceUrlOfOursIsDefinedInThePackage() throws IllegalAccessException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Field field : CarTIg.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != String.class) {
                continue;
            }
            String value = (String) field.get(null);
            boolean conformance = Stream.of(CarTIg.SD, CarTIg.CS, CarTIg.VS, CarTIg.CM)
                    .anyMatch(base -> value.startsWith(base) && value.length() > base.length());
            if (conformance && !HUB_ONLY.contains(value)) {
                checked++;
                if (!byUrl.containsKey(value)) {
                    missing.add(field.getName() + " = " + value);
                }
            }
        }
        assertEquals(List.of(), missing, "CarTIg names URLs the package does not define");
        assertTrue(checked > 40, "only " + checked + " URLs checked");
        HUB_ONLY.forEach(
                url -> assertTrue(!byUrl.containsKey(url), url + " is in the package now: drop it from HUB_ONLY"));
    }

    @Test
    void everyCodeTheServerReadsIsDefinedInItsCodeSystem() {
        List<IgCode> codes = new ArrayList<>();
        codes.addAll(List.of(CartObservation.values()));
        codes.addAll(List.of(CartEventType.values()));
        codes.addAll(List.of(CartTask.values()));
        codes.add(new Fixed(CarTIg.CS_CART_PROCEDURE, CarTIg.CODE_INFUSION));
        List<String> missing = new ArrayList<>();
        for (IgCode code : codes) {
            MetadataResource system = byUrl.get(code.system());
            Set<String> defined = system instanceof CodeSystem cs
                    ? cs.getConcept().stream().map(concept -> concept.getCode()).collect(Collectors.toSet())
                    : Set.of();
            if (!defined.contains(code.code())) {
                missing.add(code.system() + "|" + code.code());
            }
        }
        assertEquals(List.of(), missing, "codes the server uses that the IG does not define");
    }

    @Test
    void everyEnumCoversItsWholeCodeSystem() {
        for (IgCode[] values : List.of(CartObservation.values(), CartEventType.values(), CartTask.values())) {
            CodeSystem system = (CodeSystem) byUrl.get(values[0].system());
            Set<String> defined = system.getConcept().stream()
                    .map(concept -> concept.getCode())
                    .collect(Collectors.toSet());
            Set<String> named = Stream.of(values).map(IgCode::code).collect(Collectors.toSet());
            assertEquals(defined, named, "the enum of " + system.getUrl() + " and the CodeSystem differ");
        }
    }

    @Test
    void standardSystemsAreSpelledAsHapisModelSpellsThem() {
        assertEquals(RestfulInteraction.READ.getSystem(), CarTIg.RESTFUL_INTERACTION);
        assertEquals(AuditEventType.REST.getSystem(), CarTIg.AUDIT_EVENT_TYPE);
        assertEquals(AuditEntityType._1.getSystem(), CarTIg.AUDIT_ENTITY_TYPE);
        assertEquals(ObjectRole._1.getSystem(), CarTIg.OBJECT_ROLE);
        assertEquals(ProvenanceAgentType.AUTHOR.getSystem(), CarTIg.PROVENANCE_PARTICIPANT_TYPE);
        assertEquals(V3DataOperation.CREATE.getSystem(), CarTIg.V3_DATA_OPERATION);
        assertEquals(V3ParticipationType.AUT.getSystem(), CarTIg.V3_PARTICIPATION_TYPE);
        assertEquals(V3ActCode.AMB.getSystem(), CarTIg.V3_ACT_CODE);
        assertEquals(V3ObservationValue.MASKED.getSystem(), CarTIg.V3_OBSERVATION_VALUE);
        assertEquals(ConditionClinical.ACTIVE.getSystem(), CarTIg.CONDITION_CLINICAL);
        assertEquals(ConditionCategory.ENCOUNTERDIAGNOSIS.getSystem(), CarTIg.CONDITION_CATEGORY);
        assertEquals(ObservationCategory.LABORATORY.getSystem(), CarTIg.OBSERVATION_CATEGORY);
        assertEquals(UsageContextType.VENUE.getSystem(), CarTIg.USAGE_CONTEXT_TYPE);
        assertEquals(RestfulSecurityService.SMARTONFHIR.getSystem(), CarTIg.RESTFUL_SECURITY_SERVICE);
    }

    private record Fixed(String system, String code) implements IgCode {}
}
