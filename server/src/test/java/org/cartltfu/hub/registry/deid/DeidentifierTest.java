package org.cartltfu.hub.registry.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Set;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class DeidentifierTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final LocalDate INFUSION = LocalDate.of(2024, 3, 4);
    private static final RecipientKey KEY = new RecipientKey(
            "registry-test",
            HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    private static final Set<String> RELEASED = Set.of("Patient", "Observation", "Procedure");
    private static final String CRID = "https://cart-ltfu.org/fhir/sid/cibmtr-crid";

    private final Deidentifier studyDays =
            new Deidentifier(FHIR, KEY, DatePolicy.STUDY_DAY, 30, BirthDatePolicy.YEAR, Set.of(CRID), RELEASED);
    private final Deidentifier shifted =
            new Deidentifier(FHIR, KEY, DatePolicy.SHIFT, 30, BirthDatePolicy.AGE_AT_INFUSION, Set.of(), RELEASED);

    private static Patient patient() {
        Patient patient = new Patient();
        patient.setId("Patient/p1");
        patient.getMeta()
                .addProfile(CarTIg.PROFILE_PATIENT)
                .setSource("#spoke-push")
                .setVersionId("3");
        patient.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString("<div>Nguyễn Văn An</div>");
        patient.addIdentifier().setSystem(CarTIg.SID_HUB_MRN).setValue("SGH-2024-000731");
        patient.addIdentifier().setSystem(CRID).setValue("4821937705");
        patient.addName().setFamily("Nguyễn").addGiven("Văn").addGiven("An").setText("Nguyễn Văn An");
        patient.addTelecom().setValue("+84 912 345 678");
        patient.addAddress().setCity("Hà Nội").setCountry("VN");
        patient.setBirthDateElement(new DateType("1968-05-14"));
        patient.setManagingOrganization(new Reference("Organization/bachmai").setDisplay("Bach Mai Hospital"));
        return patient;
    }

    private static Observation crp() {
        Observation crp = new Observation();
        crp.setId("Observation/o1");
        crp.getCode().addCoding().setSystem(CarTIg.LOINC).setCode("1988-5").setDisplay("C reactive protein");
        crp.getCode().setText("CRP taken by Dr Lim at bed 12");
        crp.setSubject(new Reference("Patient/p1").setDisplay("Nguyễn Văn An"));
        crp.setEffective(new DateTimeType("2024-03-05T23:30:00+07:00"));
        crp.setIssuedElement(new org.hl7.fhir.r4.model.InstantType("2024-03-06T01:00:00+08:00"));
        crp.addPerformer(new Reference("Practitioner/dr-lim"));
        crp.setValue(new Quantity()
                .setValue(12.5)
                .setUnit("mg/L")
                .setSystem(CarTIg.UCUM)
                .setCode("mg/L"));
        crp.addNote(new Annotation().setText("patient Nguyễn called back"));
        crp.addExtension("https://example.org/free-text", new StringType("Nguyễn"));
        return crp;
    }

    @Test
    void aPatientKeepsOnlyWhatTheRegistryMayHave() {
        Patient patient = patient();
        studyDays.apply(patient, "p1", INFUSION);
        assertEquals(studyDays.pseudonym("Patient", "p1"), patient.getIdPart());
        assertEquals(new Pseudonyms(KEY).of("Patient/p1"), patient.getIdPart());
        assertTrue(patient.getName().isEmpty()
                && patient.getTelecom().isEmpty()
                && patient.getAddress().isEmpty());
        assertFalse(patient.hasText(), "narrative");
        assertFalse(patient.hasManagingOrganization(), "a site the registry does not receive");
        assertEquals(1, patient.getIdentifier().size());
        assertEquals(CRID, patient.getIdentifierFirstRep().getSystem());
        assertEquals("1968", patient.getBirthDateElement().getValueAsString());
        assertEquals(1, patient.getMeta().getProfile().size());
        assertNull(patient.getMeta().getSource());
        assertNull(patient.getMeta().getVersionId());
        assertEquals("PSEUDED", patient.getMeta().getSecurityFirstRep().getCode());
        String json = FHIR.newJsonParser().encodeResourceToString(patient);
        for (String leaked : new String[] {"Nguyễn", "SGH-2024-000731", "912 345", "Hà Nội", "bachmai", "1968-05-14"}) {
            assertFalse(json.contains(leaked), leaked + " in " + json);
        }
    }

    @Test
    void datesBecomeStudyDaysOnTheLocalCalendarDate() {
        Observation crp = crp();
        studyDays.apply(crp, "p1", INFUSION);
        DateTimeType effective = crp.getEffectiveDateTimeType();
        assertNull(effective.getValue());
        // 23:30 in Hanoi on 5 March is day 1, although it is already 6 March in Singapore.
        assertEquals(
                1,
                ((IntegerType) effective.getExtensionByUrl(CarTIg.EXT_STUDY_DAY).getValue()).getValue());
        assertEquals(
                2,
                ((IntegerType) crp.getIssuedElement()
                                .getExtensionByUrl(CarTIg.EXT_STUDY_DAY)
                                .getValue())
                        .getValue());
        assertEquals(
                "Patient/" + studyDays.pseudonym("Patient", "p1"),
                crp.getSubject().getReference());
        assertFalse(crp.getSubject().hasDisplay());
    }

    @Test
    void freeTextGoesButCodesAndUnitsStay() {
        Observation crp = crp();
        studyDays.apply(crp, "p1", INFUSION);
        assertFalse(crp.hasNote());
        assertFalse(crp.getCode().hasText());
        assertEquals("C reactive protein", crp.getCode().getCodingFirstRep().getDisplay());
        assertEquals("mg/L", crp.getValueQuantity().getUnit());
        assertTrue(crp.getExtension().isEmpty(), "an extension whose only value was free text is removed");
        assertTrue(crp.getPerformer().isEmpty(), "practitioners are not released");
        assertFalse(FHIR.newJsonParser().encodeResourceToString(crp).contains("Nguyễn"));
    }

    @Test
    void shiftedDatesKeepTimeAndOffsetAndMoveByThePatientsShift() {
        Observation crp = crp();
        shifted.apply(crp, "p1", INFUSION);
        int shift = new DateMasking(KEY, 30).shiftDays("p1");
        assertTrue(shift != 0 && Math.abs(shift) <= 30);
        String expected = LocalDate.of(2024, 3, 5).plusDays(shift) + "T23:30:00+07:00";
        assertEquals(expected, crp.getEffectiveDateTimeType().getValueAsString());
    }

    @Test
    void ageAtInfusionReplacesTheBirthDate() {
        Patient patient = patient();
        shifted.apply(patient, "p1", INFUSION);
        assertFalse(patient.hasBirthDate());
        Extension age = patient.getExtensionByUrl(CarTIg.EXT_AGE_AT_INFUSION);
        assertEquals(55, ((Age) age.getValue()).getValue().intValue());
        assertTrue(patient.getIdentifier().isEmpty(), "no identifier system registered for this recipient");
    }

    @Test
    void partialDatesAndEmptiedElementsDisappear() {
        Procedure infusion = new Procedure();
        infusion.setId("Procedure/x1");
        infusion.setSubject(new Reference("Patient/p1"));
        infusion.setPerformed(new DateTimeType("2024-03"));
        infusion.addPerformer().setActor(new Reference("Practitioner/dr-lim"));
        studyDays.apply(infusion, "p1", INFUSION);
        assertFalse(infusion.hasPerformed(), "a month cannot become a study day; it is left out, not kept real");
        assertTrue(infusion.getPerformer().isEmpty(), "a performer whose only content was dropped is removed");
    }

    @Test
    void studyDaysNeedAnInfusion() {
        try {
            studyDays.apply(crp(), "p1", null);
            throw new AssertionError("expected a refusal");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("no infusion date"));
        }
    }
}
