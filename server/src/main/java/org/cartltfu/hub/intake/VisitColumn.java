package org.cartltfu.hub.intake;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cartltfu.ig.CarTIg;

/**
 * The columns of a follow-up visit report (one row is one patient's visit at one time point), the same for a CSV
 * upload and the web form. {@link #system} names the CodeSystem a coded column's values come from.
 */
enum VisitColumn {
    PATIENT(Kind.IDENTIFIER, null),
    HUB_MRN(Kind.IDENTIFIER, null),
    SPOKE_MRN(Kind.IDENTIFIER, null),
    TIMEPOINT(Kind.CODE, CarTIg.CS_LTFU_TIMEPOINT),
    VISIT_DATE(Kind.DATE, null),
    SURVIVAL(Kind.CODE, CarTIg.CS_SURVIVAL_STATUS),
    RESPONSE(Kind.CODE, CarTIg.CS_DISEASE_RESPONSE),
    RESPONSE_METHOD(Kind.TEXT, null),
    CRP(Kind.QUANTITY, null),
    FERRITIN(Kind.QUANTITY, null),
    ANC(Kind.QUANTITY, null),
    PLATELETS(Kind.QUANTITY, null),
    IGG(Kind.QUANTITY, null),
    PERSISTENCE(Kind.CODE, CarTIg.CS_DETECTION_RESULT),
    PERSISTENCE_METHOD(Kind.CODE, CarTIg.CS_PERSISTENCE_METHOD),
    NEW_MALIGNANCY(Kind.TEXT, null),
    NEW_MALIGNANCY_DATE(Kind.DATE, null),
    INFECTIONS(Kind.TEXT, null),
    HOSPITALISATIONS(Kind.TEXT, null);

    enum Kind {
        IDENTIFIER,
        CODE,
        DATE,
        TEXT,
        QUANTITY
    }

    final Kind kind;
    final String system;

    VisitColumn(Kind kind, String system) {
        this.kind = kind;
        this.system = system;
    }

    /** The column's name in a file's header. */
    String header() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<VisitColumn> named(String header) {
        return Arrays.stream(values())
                .filter(column -> column.header().equals(header))
                .findFirst();
    }

    /** The time points of the follow-up forms (CIBMTR 4100, EBMT MED-A): day 100, 6 months, every year. */
    static boolean isFollowUpTimepoint(String code) {
        return code.equals("D100") || code.equals("M6") || code.matches("Y\\d+");
    }

    VisitLab lab() {
        return VisitLab.valueOf(name());
    }

    /**
     * The columns of the template for a time point: the labs of the first 100 days (CRP and ferritin, for late CRS
     * and HLH-like syndromes) only at D100; blood counts and IgG (cytopenias, B-cell aplasia) at every visit.
     */
    static List<VisitColumn> template(String timepoint) {
        return Arrays.stream(values())
                .filter(column -> column != PATIENT)
                .filter(column -> "D100".equals(timepoint) || (column != CRP && column != FERRITIN))
                .toList();
    }
}
