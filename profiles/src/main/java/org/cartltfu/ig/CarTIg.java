package org.cartltfu.ig;

/**
 * Constants of the CAR-T long-term follow-up implementation guide (FHIR R4). Plain Java, no HAPI dependency.
 *
 * <p>The FHIR package (profiles + terminology + examples) is on the classpath at {@link #PACKAGE_CLASSPATH}; load it
 * with HAPI's package installer or {@code NpmPackageValidationSupport.loadPackageFromClasspath(PACKAGE_CLASSPATH_URL)}.
 */
public final class CarTIg {

    private CarTIg() {}

    // ---------------------------------------------------------------- package
    public static final String CANONICAL_BASE = "https://cart-ltfu.org/fhir";
    public static final String PACKAGE_ID = "org.cart-ltfu.ig";
    public static final String PACKAGE_VERSION = "0.3.0";
    public static final String FHIR_VERSION = "4.0.1";
    /** Classpath resource name of the FHIR NPM package (tar.gz). */
    public static final String PACKAGE_CLASSPATH = "cart-ltfu-ig/package.tgz";
    /** The same, in the "classpath:" URL form HAPI's package installer and NpmPackageValidationSupport accept. */
    public static final String PACKAGE_CLASSPATH_URL = "classpath:" + PACKAGE_CLASSPATH;
    /** Classpath folder with the example resources (journey transaction bundle). */
    public static final String EXAMPLES_CLASSPATH = "cart-ltfu-ig/examples/";

    public static final String JOURNEY_BUNDLE_CLASSPATH = EXAMPLES_CLASSPATH + "Bundle-journey-example.json";

    public static final String SD = CANONICAL_BASE + "/StructureDefinition/";
    public static final String CS = CANONICAL_BASE + "/CodeSystem/";
    public static final String VS = CANONICAL_BASE + "/ValueSet/";
    public static final String CM = CANONICAL_BASE + "/ConceptMap/";
    public static final String SID = CANONICAL_BASE + "/sid/";

    // ---------------------------------------------------------------- profiles
    public static final String PROFILE_PATIENT = SD + "cart-patient";
    public static final String PROFILE_SPOKE_ORGANIZATION = SD + "spoke-organization";
    public static final String PROFILE_SPOKE_ENDPOINT = SD + "spoke-endpoint";
    public static final String PROFILE_PRODUCT = SD + "cart-product";
    public static final String PROFILE_INFUSION = SD + "cart-infusion";
    public static final String PROFILE_CRS_EVENT = SD + "crs-event";
    public static final String PROFILE_ICANS_EVENT = SD + "icans-event";
    public static final String PROFILE_CRS_ASSESSMENT = SD + "crs-assessment";
    public static final String PROFILE_ICE_SCORE = SD + "ice-score";
    public static final String PROFILE_CAPD_SCORE = SD + "capd-score";
    public static final String PROFILE_ICANS_ASSESSMENT = SD + "icans-assessment";
    public static final String PROFILE_LAB = SD + "cart-lab-observation";
    public static final String PROFILE_LAB_FERRITIN = SD + "lab-ferritin";
    public static final String PROFILE_LAB_CRP = SD + "lab-crp";
    public static final String PROFILE_LAB_ANC = SD + "lab-anc";
    public static final String PROFILE_LAB_PLATELETS = SD + "lab-platelets";
    public static final String PROFILE_LAB_IGG = SD + "lab-igg";
    public static final String PROFILE_DISEASE_RESPONSE = SD + "disease-response";
    public static final String PROFILE_SURVIVAL_STATUS = SD + "survival-status";
    public static final String PROFILE_CART_PERSISTENCE = SD + "cart-persistence";
    public static final String PROFILE_NEW_MALIGNANCY = SD + "new-malignancy";
    public static final String PROFILE_FOLLOWUP_VISIT = SD + "followup-visit";
    public static final String PROFILE_PROVENANCE = SD + "cart-provenance";
    public static final String PROFILE_RESEARCH_CONSENT = SD + "research-consent";

    // ---------------------------------------------------------------- extensions
    /** AdverseEvent: highest ASTCT grade of the episode (valueCodeableConcept). */
    public static final String EXT_ASTCT_GRADE = SD + "astct-grade";
    /** AdverseEvent: date the episode resolved (valueDateTime). */
    public static final String EXT_RESOLUTION_DATE = SD + "resolution-date";
    /** AdverseEvent: therapy given for CRS/ICANS (valueCodeableConcept from crs-therapy), repeats. */
    public static final String EXT_TOXICITY_THERAPY = SD + "toxicity-therapy";
    /** date/dateTime/instant in a de-identified extract: day relative to the first infusion (valueInteger). */
    public static final String EXT_STUDY_DAY = SD + "study-day";
    /** Patient in a de-identified extract: age in whole years at the first infusion (valueAge). */
    public static final String EXT_AGE_AT_INFUSION = SD + "age-at-infusion";
    /** Procedure (infusion): the infused BiologicallyDerivedProduct (valueReference). */
    public static final String EXT_INFUSED_PRODUCT = SD + "infused-product";

    // ---------------------------------------------------------------- code systems
    public static final String CS_ASTCT_CRS_GRADE = CS + "astct-crs-grade";
    public static final String CS_ASTCT_ICANS_GRADE = CS + "astct-icans-grade";
    public static final String CS_CRS_PRESSOR_SUPPORT = CS + "crs-pressor-support";
    public static final String CS_CRS_O2_SUPPORT = CS + "crs-o2-support";
    public static final String CS_ICE_ITEM = CS + "ice-item";
    public static final String CS_CAPD_SCORE = CS + "capd-score";
    public static final String CS_ICANS_CONSCIOUSNESS = CS + "icans-consciousness";
    public static final String CS_ICANS_SEIZURE = CS + "icans-seizure";
    public static final String CS_ICANS_MOTOR = CS + "icans-motor";
    public static final String CS_ICANS_ICP = CS + "icans-icp";
    public static final String CS_LTFU_TIMEPOINT = CS + "ltfu-timepoint";
    public static final String CS_CRS_THERAPY = CS + "crs-therapy";
    public static final String CS_CART_PRODUCT = CS + "cart-product";
    public static final String CS_CART_OBSERVATION = CS + "cart-observation";
    public static final String CS_CART_EVENT_TYPE = CS + "cart-event-type";
    public static final String CS_CART_PROCEDURE = CS + "cart-procedure";
    public static final String CS_CART_IDENTIFIER_TYPE = CS + "cart-identifier-type";
    public static final String CS_TOXICITY_GRADING_SCALE = CS + "toxicity-grading-scale";
    public static final String CS_DISEASE_RESPONSE = CS + "disease-response";
    public static final String CS_SURVIVAL_STATUS = CS + "survival-status";
    public static final String CS_CAUSE_OF_DEATH = CS + "cause-of-death";
    public static final String CS_DETECTION_RESULT = CS + "detection-result";
    public static final String CS_PERSISTENCE_METHOD = CS + "persistence-method";
    public static final String CS_JURISDICTION_POLICY = CS + "jurisdiction-policy";
    /** Work items the hub raises for clinicians (Task.code, review tags). */
    public static final String CS_CART_TASK = CS + "cart-task";

    // ---------------------------------------------------------------- codes the server's logic reads
    /** In {@link #CS_CART_PROCEDURE}: the CAR-T infusion, day 0. */
    public static final String CODE_INFUSION = "cart-infusion";
    /** In {@link #LOINC}: body temperature, a component of the CRS assessment. */
    public static final String LOINC_BODY_TEMPERATURE = "8310-5";
    // The codes of our own CodeSystems the logic reads are enums implementing IgCode (CartObservation, ...).

    // ---------------------------------------------------------------- external systems
    public static final String LOINC = "http://loinc.org";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String NCIT = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl";
    public static final String UCUM = "http://unitsofmeasure.org";
    // HL7 and other standard systems the hub writes (VocabularyTest checks them against HAPI's model).
    public static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
    public static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    public static final String AUDIT_ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    public static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    public static final String PROVENANCE_PARTICIPANT_TYPE =
            "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    public static final String V3_DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";
    public static final String V3_PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public static final String V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String V3_OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    public static final String CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    public static final String CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
    public static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    public static final String USAGE_CONTEXT_TYPE = "http://terminology.hl7.org/CodeSystem/usage-context-type";
    public static final String RESTFUL_SECURITY_SERVICE =
            "http://terminology.hl7.org/CodeSystem/restful-security-service";
    public static final String DICOM_DCM = "http://dicom.nema.org/resources/ontology/DCM";
    public static final String SMART_OAUTH_URIS =
            "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    // ---------------------------------------------------------------- identifier systems
    public static final String SID_HUB_MRN = SID + "hub-mrn";
    /** Append the spoke site code, e.g. {@code SID_SPOKE_MRN_PREFIX + "vn-bachmai"}. */
    public static final String SID_SPOKE_MRN_PREFIX = SID + "spoke-mrn/";
    /** Append the ISO 3166-1 alpha-2 country code in lower case, e.g. "vn". */
    public static final String SID_PASSPORT_PREFIX = SID + "passport/";
    /** Append the ISO 3166-1 alpha-2 country code in lower case. National IDs are never exported. */
    public static final String SID_NATIONAL_ID_PREFIX = SID + "national-id/";

    public static final String SID_CIBMTR_CRID = SID + "cibmtr-crid";
    public static final String SID_EBMT_ID = SID + "ebmt-id";
    public static final String SID_COI = SID + "coi";
    /** Site (hub/spoke) codes used as Organization.identifier: sg-sgh, vn-bachmai, in-aiims, my-hkl, cn-pumch. */
    public static final String SID_SITE = SID + "site";
    /**
     * Append the site code: a resource's id in the system it was imported from (value {@code Type/id}), kept so that
     * importing the same files again changes nothing.
     */
    public static final String SID_SOURCE_PREFIX = SID + "source/";
    /** Append the cart-product code, e.g. "yescarta" (manufacturer lot / batch numbers). */
    public static final String SID_LOT_PREFIX = SID + "lot/";

    public static final String HUB_SITE_CODE = "sg-sgh";

    // ---------------------------------------------------------------- the hub's own records
    // Identifier systems, codes and bases the hub writes into its own Provenance, AuditEvents and export jobs. No
    // partner sends them, so the package does not define them (VocabularyTest lists them as such).
    /** An OAuth client id (AuditEvent and Provenance agents). */
    public static final String SID_OAUTH_CLIENT = SID + "oauth-client";
    /** The registry client a Bulk Data export job belongs to. */
    public static final String SID_REGISTRY_CLIENT = SID + "registry-client";
    /** A Bulk Data export job's id (extract AuditEvents). */
    public static final String SID_EXPORT_JOB = SID + "export-job";
    /** One run of a registry extract (extract AuditEvents). */
    public static final String SID_EXTRACT_RUN = SID + "extract-run";
    /** The hub's follow-up CarePlan of a patient (value: the patient's id). */
    public static final String SID_LTFU_PLAN = SID + "ltfu-plan";
    /** A visit reported through a form or CSV (value: site, patient and time point). */
    public static final String SID_VISIT_REPORT = SID + "visit-report";
    /** AuditEvent.subtype of a registry or hub extract ({@code bulk-export}). */
    public static final String CS_CART_AUDIT = CS + "cart-audit";
    /**
     * Append {@code Type/id}: what an AuditEvent names, as a logical reference, so the audit trail never keeps the data
     * it describes from being deleted.
     */
    public static final String AUDITED_BASE = CANONICAL_BASE + "/audited/";
    /** Append the policy code: {@code Consent.policy.uri} of a research consent. */
    public static final String POLICY_BASE = CANONICAL_BASE + "/policy/";
}
