package org.cartltfu.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cell by cell, against the CodeSystems of the IG package the server installs. */
class VisitRowReaderTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 2);
    private static Vocabulary vocabulary;

    @BeforeAll
    static void loadTheIg() throws Exception {
        NpmPackage ig;
        try (InputStream in = VisitRowReaderTest.class.getClassLoader().getResourceAsStream(CarTIg.PACKAGE_CLASSPATH)) {
            ig = NpmPackage.fromPackage(in);
        }
        FhirContext fhir = FhirContext.forR4Cached();
        vocabulary = new Vocabulary(url -> {
            try (InputStream in = ig.loadByCanonical(url)) {
                return in == null ? null : (CodeSystem) fhir.newJsonParser().parseResource(in);
            } catch (java.io.IOException unreadable) {
                throw new java.io.UncheckedIOException(unreadable);
            }
        });
    }

    private static List<VisitReport> read(String csv) throws CsvTable.Refused {
        return new VisitRowReader(vocabulary, TODAY).read(CsvTable.read(csv.getBytes(StandardCharsets.UTF_8), null));
    }

    private static List<String> errors(String csv) {
        try {
            read(csv);
        } catch (CsvTable.Refused refused) {
            return refused.errors().stream().map(CellError::toString).toList();
        }
        throw new AssertionError("was accepted");
    }

    @Test
    void aFullRowBecomesAReportInTheHubsCodesAndUnits() throws Exception {
        VisitReport report =
                read("hub_mrn,spoke_mrn,timepoint,visit_date,survival,response,response_method,crp,ferritin,"
                                + "anc,platelets,igg,persistence,persistence_method,new_malignancy,new_malignancy_date,infections,"
                                + "hospitalisations\n"
                                + "SGH-1, BM-7 ,d100,2026-11-30,Alive,Complete response / remission,Lugano 2014,1.2 mg/dL,\"350,5\","
                                + "1500 /uL,142,6.1 g/L,detected,pcr,Basal cell carcinoma,2026-11-01,Pneumonia,3 days for fever\n")
                        .get(0);
        assertThat(report.line()).isEqualTo(2);
        assertThat(report.patientKeys())
                .containsExactly(Map.entry(VisitColumn.HUB_MRN, "SGH-1"), Map.entry(VisitColumn.SPOKE_MRN, "BM-7"));
        assertThat(report.timepoint()).isEqualTo("D100");
        assertThat(report.date()).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(report.survival()).isEqualTo("alive");
        assertThat(report.response()).isEqualTo("complete-response");
        assertThat(report.responseMethod()).isEqualTo("Lugano 2014");
        assertThat(report.labs())
                .extracting(lab -> lab.lab() + "=" + lab.value().toPlainString() + " " + lab.reported())
                .containsExactly(
                        "CRP=12 1.2 mg/dL",
                        "FERRITIN=350.5 null",
                        "ANC=1.5 1500 /uL",
                        "PLATELETS=142 null",
                        "IGG=6.1 null");
        assertThat(report.persistence()).isEqualTo("detected");
        assertThat(report.persistenceMethod()).isEqualTo("pcr");
        assertThat(report.malignancy()).isEqualTo("Basal cell carcinoma");
        assertThat(report.malignancyDate()).isEqualTo(LocalDate.of(2026, 11, 1));
        assertThat(report.infections()).isEqualTo("Pneumonia");
        assertThat(report.hospitalisations()).isEqualTo("3 days for fever");
    }

    @Test
    void codedCellsTakeTheCodeOrItsNameInAnyLanguageOfTheCodeSystem() throws Exception {
        List<VisitReport> reports = read("hub_mrn,timepoint,visit_date,response\n"
                + "A,Y1,2026-01-01,完全缓解\nB,Y2,2026-01-01,Đáp ứng một phần\nC,M6,2026-01-01,RESPONS SEPARA\n");
        assertThat(reports)
                .extracting(VisitReport::response)
                .containsExactly("complete-response", "partial-response", "partial-response");
    }

    @Test
    void everyWrongCellOfEveryLineIsNamedWithTheRuleItBreaks() {
        assertThat(errors("hub_mrn,timepoint,visit_date,survival,crp,anc,igg,persistence_method,new_malignancy_date\n"
                        + "A,D100,03/04/2026,living,12 mgL,abc,-1,,\n"
                        + ",D7,2027-01-01,,,,,pcr,2026-01-01\n"
                        + "C,,,,,,,,\n"))
                .containsExactly(
                        "Line 2, column visit_date: '03/04/2026' is not a date written YYYY-MM-DD (e.g. 2026-12-02); other"
                                + " forms are not guessed, since day and month come in a different order in different countries",
                        "Line 2, column survival: 'living' is not one of alive, dead, unknown",
                        "Line 2, column crp: unit 'mgL' is not one the hub takes for crp: mg/L, mg/l, mg/dL, mg/dl (an empty"
                                + " unit means mg/L)",
                        "Line 2, column anc: 'abc' is not a number (with an optional unit: 10*9/L, 10^9/L, x10^9/L, ×10^9/L,"
                                + " x10*9/L, G/L, /nL, 10*3/uL, 10^3/uL, x10^3/uL, K/uL, 10^3/µL, x10^3/µL, /uL, /µL, cells/uL,"
                                + " /mm3)",
                        "Line 2, column igg: -1 is negative",
                        "Line 3: names no patient: fill hub_mrn or spoke_mrn",
                        "Line 3, column timepoint: D7 is not a follow-up visit; the report takes D100, M6, Y1, Y2, Y3, Y4, Y5, Y6,"
                                + " Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15",
                        "Line 3, column visit_date: 2027-01-01 is in the future",
                        "Line 3, column persistence: is empty but persistence_method is filled: give the result of the"
                                + " persistence test",
                        "Line 3, column new_malignancy: is empty but new_malignancy_date is filled: name the new malignancy",
                        "Line 4, column timepoint: is empty; it is required",
                        "Line 4, column visit_date: is empty; it is required");
    }

    @Test
    void theHeaderMustNameKnownColumnsAPatientColumnTheTimePointAndTheDate() {
        assertThat(errors("mrn,crp\nA,1\n"))
                .containsExactly(
                        "Line 1, column mrn: is not a column of the visit report; the columns are patient, hub_mrn, spoke_mrn,"
                                + " timepoint, visit_date, survival, response, response_method, crp, ferritin, anc, platelets,"
                                + " igg, persistence, persistence_method, new_malignancy, new_malignancy_date, infections,"
                                + " hospitalisations",
                        "Line 1: names no patient column: hub_mrn, spoke_mrn or patient is needed",
                        "Line 1, column timepoint: is missing from the header; it is required",
                        "Line 1, column visit_date: is missing from the header; it is required");
        assertThat(errors("hub_mrn,timepoint,visit_date\n")).containsExactly("File: has a header but no visits");
    }

    @Test
    void textIsBoundedAndMustBeText() {
        assertThat(errors("hub_mrn,timepoint,visit_date,infections\nA,M6,2026-01-01," + "x".repeat(501) + "\n"
                        + "B,M6,2026-01-01,a\u0007b\n"))
                .containsExactly(
                        "Line 2, column infections: is 501 characters long; at most 500 are taken",
                        "Line 3, column infections: holds control characters");
    }

    @Test
    void oneUploadTakesAtMostFiveHundredVisits() {
        StringBuilder csv = new StringBuilder("hub_mrn,timepoint,visit_date\n");
        for (int i = 0; i <= VisitRowReader.MAX_ROWS; i++) {
            csv.append("P").append(i).append(",M6,2026-01-01\n");
        }
        assertThat(errors(csv.toString()))
                .containsExactly("File: has 501 visits; at most 500 are taken in one upload (split the file)");
    }

    @Test
    void unitsAreConvertedToTheStoredOneAndNumbersKeepTheirPrecision() throws Exception {
        VisitReport report = read("hub_mrn,timepoint,visit_date,igg,platelets,ferritin\nA,M6,2026-01-01,650 mg/dL,"
                        + "142 x10^9/L,88.0 ng/mL\n")
                .get(0);
        assertThat(report.labs())
                .extracting(lab -> lab.value().toPlainString() + "|" + lab.reported())
                .containsExactly("88.0|null", "142|null", "6.5|650 mg/dL");
        assertThat(new BigDecimal("6.5"))
                .isEqualByComparingTo(report.labs().get(2).value());
    }
}
