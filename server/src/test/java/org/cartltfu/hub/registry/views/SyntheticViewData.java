package org.cartltfu.hub.registry.views;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Per patient, the resources the three shipped views select, and some they must leave out, shaped as the hub stores
 * them (codes, extensions and references of our profiles): follow-up visit Encounters (and an inpatient stay),
 * labs (CRP, ferritin, ANC, platelets, IgG) and daily CRS / ICE assessments that are not labs, CRS and ICANS
 * AdverseEvents (and an infection). One patient in five is in the form of a day-offset extract: dates without a value,
 * carrying only the study-day extension. Patient {@code i} depends only on (seed, i).
 */
final class SyntheticViewData {

    static final String TIMEPOINT = "https://cart-ltfu.org/fhir/CodeSystem/ltfu-timepoint";
    static final String STUDY_DAY = "https://cart-ltfu.org/fhir/StructureDefinition/study-day";
    static final String EVENT_TYPE = "https://cart-ltfu.org/fhir/CodeSystem/cart-event-type";
    static final String GRADE = "https://cart-ltfu.org/fhir/StructureDefinition/astct-grade";
    static final String RESOLUTION = "https://cart-ltfu.org/fhir/StructureDefinition/resolution-date";
    static final String THERAPY = "https://cart-ltfu.org/fhir/StructureDefinition/toxicity-therapy";
    static final String LOINC = "http://loinc.org";

    private static final String[] TIMEPOINTS = {"D7", "D14", "D28", "D100", "M6", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6"};
    private static final int[] TIMEPOINT_DAYS = {7, 14, 28, 100, 182, 365, 730, 1095, 1460, 1825, 2190};
    private static final String[] SITES = {"vn-bachmai", "in-aiims", "my-hkl", "cn-pumch"};
    // LOINC, UCUM, typical value
    private static final String[][] LABS = {
        {"1988-5", "mg/L", "40"},
        {"2276-4", "ug/L", "900"},
        {"751-8", "10*9/L", "1.8"},
        {"777-3", "10*9/L", "120"},
        {"2465-3", "g/L", "5.5"}
    };
    private static final String[] THERAPIES = {"tocilizumab", "corticosteroid", "siltuximab", "anakinra", "other"};

    private SyntheticViewData() {}

    static List<Resource> patient(long seed, int i) {
        Random random = new Random(seed * 1_000_003L + i);
        String patient = "pat-" + i;
        boolean masked = random.nextInt(5) == 0;
        LocalDate infusion = LocalDate.of(2018, 1, 1).plusDays(random.nextInt(2500));
        String site = SITES[random.nextInt(SITES.length)];
        List<Resource> resources = new ArrayList<>();

        Encounter stay = new Encounter();
        stay.setId("enc-" + i + "-stay");
        stay.setStatus(Encounter.EncounterStatus.FINISHED);
        stay.addType().addCoding().setSystem("http://snomed.info/sct").setCode("32485007");
        stay.setSubject(new Reference("Patient/" + patient));
        stay.setPeriod(
                new Period().setStartElement(date(infusion, -1, masked)).setEndElement(date(infusion, 20, masked)));
        resources.add(stay);
        int visits = 3 + random.nextInt(TIMEPOINTS.length - 2);
        for (int v = 0; v < visits; v++) {
            if (random.nextInt(100) < 8) {
                continue; // missed contact
            }
            int day = TIMEPOINT_DAYS[v] + random.nextInt(9) - 4;
            Encounter visit = new Encounter();
            visit.setId("enc-" + i + "-" + TIMEPOINTS[v]);
            visit.setStatus(
                    random.nextInt(30) == 0 ? Encounter.EncounterStatus.CANCELLED : Encounter.EncounterStatus.FINISHED);
            visit.addType().addCoding().setSystem(TIMEPOINT).setCode(TIMEPOINTS[v]);
            visit.getTypeFirstRep()
                    .addCoding()
                    .setSystem("http://snomed.info/sct")
                    .setCode("390906007");
            visit.setSubject(new Reference("Patient/" + patient));
            visit.setPeriod(new Period()
                    .setStartElement(dateTime(infusion, day, masked, 9))
                    .setEndElement(random.nextBoolean() ? dateTime(infusion, day, masked, 11) : null));
            visit.setServiceProvider(new Reference("Organization/" + site));
            resources.add(visit);
        }

        // Daily CRS and ICE assessments (not labs), CRP and ferritin on days 0-28, ANC and platelets on 7/14/28,
        // then ANC, platelets and IgG at each later contact.
        int days = random.nextBoolean() ? 14 : 28;
        for (int d = 0; d < days; d++) {
            resources.add(assessment(i, d, "crs", infusion, masked, random));
            resources.add(assessment(i, d, "ice", infusion, masked, random));
        }
        for (int d = 0; d <= 28; d += 2) {
            resources.add(lab(i, d, LABS[0], infusion, masked, random, patient));
            resources.add(lab(i, d, LABS[1], infusion, masked, random, patient));
        }
        for (int d : new int[] {7, 14, 28, 100, 182, 365, 730}) {
            resources.add(lab(i, d, LABS[2], infusion, masked, random, patient));
            resources.add(lab(i, d, LABS[3], infusion, masked, random, patient));
            if (d >= 100) {
                resources.add(lab(i, d, LABS[4], infusion, masked, random, patient));
            }
        }

        if (random.nextInt(100) < 80) {
            resources.add(toxicity(i, "crs", infusion, masked, random, patient));
        }
        if (random.nextInt(100) < 40) {
            resources.add(toxicity(i, "icans", infusion, masked, random, patient));
        }
        AdverseEvent infection = new AdverseEvent();
        infection.setId("ae-" + i + "-infection");
        infection.setActuality(AdverseEvent.AdverseEventActuality.ACTUAL);
        infection.setEvent(new CodeableConcept().addCoding(new Coding(EVENT_TYPE, "infection", null)));
        infection.setSubject(new Reference("Patient/" + patient));
        infection.setDetectedElement(date(infusion, 40, masked));
        resources.add(infection);
        return resources;
    }

    private static Observation assessment(int i, int day, String kind, LocalDate infusion, boolean masked, Random r) {
        Observation o = new Observation();
        o.setId("obs-" + i + "-" + kind + "-" + day);
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.getCode()
                .addCoding()
                .setSystem("https://cart-ltfu.org/fhir/CodeSystem/cart-observation")
                .setCode(kind + "-assessment");
        o.setSubject(new Reference("Patient/pat-" + i));
        o.setEffective(dateTime(infusion, day, masked, 8));
        o.setValue(new IntegerType(r.nextInt(kind.equals("ice") ? 11 : 5)));
        return o;
    }

    private static Observation lab(
            int i, int day, String[] lab, LocalDate infusion, boolean masked, Random r, String patient) {
        Observation o = new Observation();
        o.setId("obs-" + i + "-" + lab[0] + "-" + day);
        o.setStatus(r.nextInt(50) == 0 ? Observation.ObservationStatus.AMENDED : Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem(LOINC).setCode(lab[0]);
        o.getCode().addCoding().setSystem("https://vn-bachmai.example/lab").setCode("L" + lab[0].hashCode() % 1000);
        o.setSubject(new Reference("Patient/" + patient));
        o.setEffective(dateTime(infusion, day, masked, 7));
        int roll = r.nextInt(100);
        if (roll < 3) {
            o.setValue(new StringType("haemolysed")); // no Quantity: value and unit stay empty
        } else if (roll >= 5) {
            BigDecimal value = new BigDecimal(lab[2])
                    .multiply(BigDecimal.valueOf(50 + r.nextInt(100)))
                    .divide(BigDecimal.valueOf(100));
            o.setValue(new Quantity()
                    .setValue(value)
                    .setSystem("http://unitsofmeasure.org")
                    .setCode(lab[1])
                    .setUnit(lab[1]));
        } // else no value at all
        return o;
    }

    private static AdverseEvent toxicity(
            int i, String kind, LocalDate infusion, boolean masked, Random r, String patient) {
        AdverseEvent e = new AdverseEvent();
        e.setId("ae-" + i + "-" + kind);
        e.setActuality(AdverseEvent.AdverseEventActuality.ACTUAL);
        e.setEvent(new CodeableConcept()
                .addCoding(new Coding(EVENT_TYPE, kind, null))
                .addCoding(new Coding(
                        "http://hl7.org/fhir/sid/icd-10-cm", kind.equals("crs") ? "D89.832" : "G92.02", null)));
        e.setSubject(new Reference("Patient/" + patient));
        int onset = 1 + r.nextInt(7);
        e.setDetectedElement(dateTime(infusion, onset, masked, 14));
        int grade = 1 + r.nextInt(r.nextInt(10) == 0 ? 5 : 2);
        e.addExtension(new Extension(
                GRADE,
                new CodeableConcept()
                        .addCoding(new Coding(
                                "https://cart-ltfu.org/fhir/CodeSystem/astct-" + kind + "-grade",
                                String.valueOf(grade),
                                null))));
        if (r.nextInt(10) < 9) {
            e.addExtension(new Extension(RESOLUTION, dateTime(infusion, onset + 2 + r.nextInt(10), masked, 10)));
        }
        int therapies = grade >= 2 ? 1 + r.nextInt(3) : r.nextInt(2);
        for (int t = 0; t < therapies; t++) {
            e.addExtension(new Extension(
                    THERAPY,
                    new CodeableConcept()
                            .addCoding(new Coding(
                                    "https://cart-ltfu.org/fhir/CodeSystem/crs-therapy", THERAPIES[t], null))));
        }
        e.setOutcome(new CodeableConcept()
                .addCoding(new Coding(
                        "http://terminology.hl7.org/CodeSystem/adverse-event-outcome",
                        grade == 5 ? "fatal" : "resolved",
                        null)));
        e.setSeriousness(new CodeableConcept()
                .addCoding(new Coding(
                        "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness",
                        grade >= 3 ? "serious" : "non-serious",
                        null)));
        return e;
    }

    private static DateTimeType date(LocalDate infusion, int day, boolean masked) {
        DateTimeType date = new DateTimeType(infusion.plusDays(day).toString());
        return masked ? mask(date, day) : date;
    }

    private static DateTimeType dateTime(LocalDate infusion, int day, boolean masked, int hour) {
        DateTimeType date =
                new DateTimeType(infusion.plusDays(day) + "T" + (hour < 10 ? "0" : "") + hour + ":30:00+07:00");
        return masked ? mask(date, day) : date;
    }

    // As the de-identification writes a study-day extract: no value, the day as an extension.
    private static DateTimeType mask(DateTimeType date, int day) {
        DateTimeType masked = new DateTimeType();
        masked.addExtension(STUDY_DAY, new IntegerType(day));
        return masked;
    }
}
