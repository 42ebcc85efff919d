package org.cartltfu.hub;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.math.BigDecimal;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/** Resources that conform to our profiles, as a spoke would send them. */
public final class Fixtures {

    public static final String SPOKE_SITE = "vn-bachmai";

    private Fixtures() {}

    /** The spoke's Organization, created once (conditionally on its site code) and referenced by its patients. */
    public static String spokeOrganization(IGenericClient client) {
        Organization spoke = new Organization();
        spoke.getMeta().addProfile(CarTIg.PROFILE_SPOKE_ORGANIZATION);
        spoke.addIdentifier().setSystem(CarTIg.SID_SITE).setValue(SPOKE_SITE);
        spoke.setActive(true);
        spoke.addType()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/organization-type")
                .setCode("prov");
        spoke.setName("Bach Mai Hospital");
        spoke.addAddress().setCity("Hà Nội").setCountry("VN");
        return client.create()
                .resource(spoke)
                .conditionalByUrl("Organization?identifier=" + CarTIg.SID_SITE + "|" + SPOKE_SITE)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    public static Patient patient(String hubMrn, String family, String organizationReference) {
        Patient patient = new Patient();
        patient.getMeta().addProfile(CarTIg.PROFILE_PATIENT);
        patient.addIdentifier(identifier("hub-mrn", CarTIg.SID_HUB_MRN, hubMrn));
        patient.addName().setFamily(family).addGiven("An");
        patient.setGender(Enumerations.AdministrativeGender.MALE);
        patient.setBirthDateElement(new DateType("1968-05-14"));
        patient.setManagingOrganization(new Reference(organizationReference));
        return patient;
    }

    public static Identifier identifier(String type, String system, String value) {
        Identifier identifier = new Identifier().setSystem(system).setValue(value);
        identifier.setType(new CodeableConcept().addCoding(new Coding(CarTIg.CS_CART_IDENTIFIER_TYPE, type, null)));
        return identifier;
    }

    /** A C-reactive protein result (lab-crp profile). */
    public static Observation crp(String subjectReference, String effective, double mgPerLitre) {
        Observation crp = new Observation();
        crp.getMeta().addProfile(CarTIg.PROFILE_LAB_CRP);
        crp.setStatus(Observation.ObservationStatus.FINAL);
        crp.addCategory()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                .setCode("laboratory");
        crp.getCode().addCoding().setSystem(CarTIg.LOINC).setCode("1988-5");
        crp.setSubject(new Reference(subjectReference));
        crp.setEffective(new DateTimeType(effective));
        crp.setValue(new Quantity()
                .setValue(BigDecimal.valueOf(mgPerLitre))
                .setUnit("mg/L")
                .setSystem(CarTIg.UCUM)
                .setCode("mg/L"));
        return crp;
    }
}
