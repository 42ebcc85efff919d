package org.cartltfu.hub.registry.summary;

import java.util.List;

/**
 * Which of the fields a registry form needs are missing in a period's summary. Follow-up fields are only needed
 * where the answer calls for them (a CRS grade only when CRS occurred, a cause only when dead).
 *
 * @param missing  the missing fields' names, as in {@link PeriodSummary#COLUMNS}
 * @param required how many fields the form needs for this period
 */
public record Completeness(List<String> missing, int required) {

    public Completeness {
        missing = List.copyOf(missing);
        if (required < 1 || missing.size() > required) {
            throw new IllegalArgumentException(missing.size() + " missing of " + required + " required fields");
        }
    }

    /** Share of the required fields present, 0.0 to 1.0. */
    public double fraction() {
        return (double) (required - missing.size()) / required;
    }
}
