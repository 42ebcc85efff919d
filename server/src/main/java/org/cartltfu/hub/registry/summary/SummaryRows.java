package org.cartltfu.hub.registry.summary;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Period summaries as flat rows for CSV: one row per period, values in {@link PeriodSummary#COLUMNS} order. Absent
 * values are empty strings, repeating values are joined with "|", completeness has two decimals.
 */
public final class SummaryRows {

    public static final List<String> COLUMNS = PeriodSummary.COLUMNS;

    private SummaryRows() {}

    public static List<List<String>> rows(List<PeriodSummary> summaries) {
        return summaries.stream()
                .map(summary -> summary.fields().stream()
                        .map(field -> text(field.value()))
                        .toList())
                .toList();
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Coded coded) {
            return coded.code();
        }
        if (value instanceof Double fraction) {
            return String.format(Locale.ROOT, "%.2f", fraction);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SummaryRows::text).collect(Collectors.joining("|"));
        }
        return value.toString();
    }
}
