package org.cartltfu.hub.clinical.grading;

/**
 * Neurological findings that ASTCT excludes from the ICANS grade. They are accepted so a spoke can send them,
 * and come back as notes telling the clinician to record them as separate adverse events.
 */
public enum ExcludedFinding {
    TREMOR("tremor does not change the ICANS grade; grade it separately by CTCAE v5"),
    MYOCLONUS("myoclonus does not change the ICANS grade; grade it separately by CTCAE v5"),
    INTRACRANIAL_HAEMORRHAGE("intracranial haemorrhage, with or without oedema, is excluded from ICANS;"
            + " grade it separately by CTCAE v5");

    private final String note;

    ExcludedFinding(String note) {
        this.note = note;
    }

    /** Why the finding was ignored and where it belongs instead. */
    public String note() {
        return note;
    }
}
