package org.cartltfu.hub.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;

class NdjsonImportTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Set<String> DIRECTORY = Set.of("Practitioner", "Organization", "Location");

    private static NdjsonImport.Plan plan(String ndjson) throws Exception {
        return plan(ndjson.getBytes(StandardCharsets.UTF_8), 100);
    }

    private static NdjsonImport.Plan plan(byte[] ndjson, int max) throws Exception {
        return new NdjsonImport(FHIR, "vn-bachmai", type -> !DIRECTORY.contains(type), max)
                .plan(new ByteArrayInputStream(ndjson));
    }

    private static List<String> errors(String ndjson) {
        return errors(ndjson.getBytes(StandardCharsets.UTF_8), 100);
    }

    private static List<String> errors(byte[] ndjson, int max) {
        NdjsonImport.Refused refused = assertThrows(NdjsonImport.Refused.class, () -> plan(ndjson, max));
        return refused.errors().stream().map(CellError::toString).toList();
    }

    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"identifier\":[{\"system\":\""
            + CarTIg.SID_SPOKE_MRN_PREFIX + "vn-bachmai\",\"value\":\"BM-1\"}]}";
    private static final String ENCOUNTER = "{\"resourceType\":\"Encounter\",\"id\":\"e1\",\"status\":\"finished\","
            + "\"class\":{\"code\":\"AMB\"},\"subject\":{\"reference\":\"Patient/p1\"},\"participant\":[{\"individual\":"
            + "{\"reference\":\"Practitioner/dr1\"}}],\"serviceProvider\":{\"reference\":\"Organization/nowhere\"}}";
    private static final String PRACTITIONER = "{\"resourceType\":\"Practitioner\",\"id\":\"dr1\",\"identifier\":[{"
            + "\"system\":\"http://hl7.org/fhir/sid/us-npi\",\"value\":\"999\"}],\"name\":[{\"prefix\":[\"Dr.\"],"
            + "\"given\":[\"Lan\"],\"family\":\"Nguyen\"}]}";

    private static String observation(String id, String subjectReference) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id
                + "\",\"contained\":[{\"resourceType\":\"Observation\","
                + "\"id\":\"inner\",\"status\":\"final\",\"code\":{\"text\":\"y\"}}],\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"" + subjectReference
                + "\"},\"encounter\":{\"reference\":\"Encounter/e1\"},"
                + "\"hasMember\":[{\"reference\":\"#inner\"}]}";
    }

    @Test
    void referencesBetweenTheFilesPointAtTheNewEntriesWhateverTheOrderOfTheLines() throws Exception {
        NdjsonImport.Plan plan = plan(observation("o1", "http://ehr.bachmai.example/fhir/Patient/p1") + "\n" + ENCOUNTER
                + "\n" + PATIENT + "\n" + PRACTITIONER + "\n");
        List<Bundle.BundleEntryComponent> entries = plan.transaction().getEntry();
        assertEquals(3, entries.size(), "the practitioner is not stored");
        Observation observation = (Observation) entries.get(0).getResource();
        Encounter encounter = (Encounter) entries.get(1).getResource();
        String patientUrl = entries.get(2).getFullUrl();
        assertTrue(patientUrl.startsWith("urn:uuid:"));
        assertEquals(patientUrl, observation.getSubject().getReference(), "an absolute reference of the source server");
        assertEquals(entries.get(1).getFullUrl(), observation.getEncounter().getReference());
        assertEquals(patientUrl, encounter.getSubject().getReference());
        assertEquals("#inner", observation.getHasMemberFirstRep().getReference(), "a contained reference stays");
        assertEquals(
                "Organization/nowhere",
                encounter.getServiceProvider().getReference(),
                "a reference outside the files is left for the hub to resolve (or refuse)");
        assertEquals(
                List.of(1, 2, 3),
                plan.origins().stream().map(NdjsonImport.Origin::line).toList());
        assertEquals("Observation/o1", plan.origins().get(0).sourceId());
        assertEquals(4, plan.lines());
        entries.forEach(entry -> {
            assertEquals(Bundle.HTTPVerb.POST, entry.getRequest().getMethod());
            assertFalse(entry.getResource().getIdElement().hasIdPart(), "the hub gives its own ids");
        });
    }

    @Test
    void whatTheImporterMayNotStoreIsNamedByIdentifierAndName() throws Exception {
        NdjsonImport.Plan plan = plan(PATIENT + "\n" + ENCOUNTER + "\n" + PRACTITIONER + "\n"
                + "{\"resourceType\":\"Provenance\",\"id\":\"pv\",\"target\":[{\"reference\":\"Encounter/e1\"}],"
                + "\"recorded\":\"2025-01-01T00:00:00Z\",\"agent\":[{\"who\":{\"display\":\"EHR\"}}]}\n");
        Encounter encounter = (Encounter) plan.transaction().getEntry().get(1).getResource();
        var individual = encounter.getParticipantFirstRep().getIndividual();
        assertNull(individual.getReference());
        assertEquals(
                "http://hl7.org/fhir/sid/us-npi", individual.getIdentifier().getSystem());
        assertEquals("999", individual.getIdentifier().getValue());
        assertEquals("Dr. Lan Nguyen", individual.getDisplay());
        assertEquals("Practitioner", individual.getType());
        assertEquals(1, plan.notStored().get("Practitioner").count());
        assertEquals(1, plan.notStored().get("Provenance").count());
        assertTrue(plan.notStored().get("Provenance").why().contains("own Provenance"));
        assertEquals(2, plan.transaction().getEntry().size());
    }

    @Test
    void eachResourceIsCreatedOnlyIfNoneHasItsSourceIdAndThePatientIsMatched() throws Exception {
        NdjsonImport.Plan plan = plan(PATIENT + "\n" + ENCOUNTER + "\n");
        Bundle.BundleEntryComponent patient = plan.transaction().getEntry().get(0);
        Bundle.BundleEntryComponent encounter = plan.transaction().getEntry().get(1);
        assertNull(patient.getRequest().getIfNoneExist(), "matched by PatientMatching's identifiers in the hub");
        assertEquals(1, ((Patient) patient.getResource()).getIdentifier().size(), "no source id on a Patient");
        String source = CarTIg.SID_SOURCE_PREFIX + "vn-bachmai";
        assertEquals(
                "identifier=" + source + "|Encounter/e1", encounter.getRequest().getIfNoneExist());
        assertTrue(((Encounter) encounter.getResource())
                .getIdentifier().stream()
                        .anyMatch(id ->
                                id.getSystem().equals(source) && id.getValue().equals("Encounter/e1")));

        NdjsonImport.Plan withMrn = plan("{\"resourceType\":\"Patient\",\"id\":\"p1\",\"identifier\":[{\"system\":\""
                + CarTIg.SID_HUB_MRN + "\",\"value\":\"SGH-7\"}]}");
        assertEquals(
                "identifier=" + CarTIg.SID_HUB_MRN + "|SGH-7",
                withMrn.transaction().getEntryFirstRep().getRequest().getIfNoneExist());

        // A type with at most one identifier keeps the one it has and is matched by it.
        NdjsonImport.Plan single = plan("{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"q1\",\"status\":"
                + "\"completed\",\"identifier\":{\"system\":\"urn:ehr\",\"value\":\"QR-1\"}}");
        assertEquals(
                "identifier=urn:ehr|QR-1",
                single.transaction().getEntryFirstRep().getRequest().getIfNoneExist());
        assertEquals(
                "QR-1",
                ((QuestionnaireResponse) single.transaction().getEntryFirstRep().getResource())
                        .getIdentifier()
                        .getValue());
    }

    @Test
    void everyBadLineIsNamed() {
        List<String> errors = errors(PATIENT + "\n"
                + "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"status\":\"final\",\"colour\":\"red\"}\n"
                + "not json\n"
                + "\n"
                + "{\"resourceType\":\"Encounter\",\"status\":\"finished\"}\n"
                + "{\"resourceType\":\"Bundle\",\"id\":\"b\",\"type\":\"collection\"}\n"
                + PATIENT + "\n");
        assertEquals(5, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("Line 2: ") && errors.get(0).contains("colour"), errors.get(0));
        assertTrue(errors.get(1).startsWith("Line 3: not a FHIR R4 resource"), errors.get(1));
        assertTrue(errors.get(2).startsWith("Line 5: Encounter has no id"), errors.get(2));
        assertTrue(errors.get(3).startsWith("Line 6: Bundle is not imported"), errors.get(3));
        assertEquals("Line 7: Patient/p1 is also line 1", errors.get(4));
    }

    @Test
    void theFilesAsAWholeAreChecked() {
        assertEquals(List.of("File: no resources: an import is one FHIR resource in JSON per line"), errors("\n\n"));
        byte[] latin1 = ("{\"resourceType\":\"Patient\",\"id\":\"p1\",\"name\":[{\"family\":\"Tr\u00e2n\"}]}")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of("Line 1: not UTF-8 (NDJSON is always UTF-8)"), errors(latin1, 100));
        byte[] three =
                (PATIENT + "\n" + ENCOUNTER + "\n" + observation("o1", "Patient/p1")).getBytes(StandardCharsets.UTF_8);
        List<String> tooMany = errors(three, 2);
        assertEquals(1, tooMany.size());
        assertTrue(tooMany.get(0).startsWith("Line 3: more than 2 resources"), tooMany.get(0));
    }

    @Test
    void aByteOrderMarkAndBlankLinesAreFine() throws Exception {
        NdjsonImport.Plan plan = plan("\uFEFF" + PATIENT + "\n\n   \n" + ENCOUNTER + "\r\n");
        assertEquals(2, plan.transaction().getEntry().size());
        assertEquals(
                List.of(1, 4),
                plan.origins().stream().map(NdjsonImport.Origin::line).toList());
    }
}
