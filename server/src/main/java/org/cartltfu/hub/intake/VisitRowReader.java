package org.cartltfu.hub.intake;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cartltfu.ig.CarTIg;

/**
 * Checks an uploaded table cell by cell and turns each row into a {@link VisitReport}. Every problem of every row is
 * collected (a person fixes the spreadsheet once, not once per error); a cell that is wrong is never guessed at:
 * dates only as YYYY-MM-DD (03/04/2026 is March in one country and April in the next), numbers with a point or a
 * comma as the decimal mark, units from {@link VisitLab}'s list.
 */
final class VisitRowReader {

    static final int MAX_ROWS = 500;
    static final int MAX_TEXT = 500;
    private static final Pattern QUANTITY = Pattern.compile("([+-]?\\d+(?:[.,]\\d+)?)\\s*(.*)");

    private final Vocabulary vocabulary;
    private final LocalDate today;

    VisitRowReader(Vocabulary vocabulary, LocalDate today) {
        this.vocabulary = vocabulary;
        this.today = today;
    }

    List<VisitReport> read(CsvTable table) throws CsvTable.Refused {
        List<CellError> errors = new ArrayList<>();
        checkHeader(table.header(), table.headerLine(), errors);
        if (!errors.isEmpty()) {
            throw new CsvTable.Refused(errors);
        }
        if (table.rows().isEmpty()) {
            throw new CsvTable.Refused(List.of(CellError.file("has a header but no visits")));
        }
        if (table.rows().size() > MAX_ROWS) {
            throw new CsvTable.Refused(
                    List.of(CellError.file("has " + table.rows().size() + " visits; at most " + MAX_ROWS
                            + " are taken in one upload (split the file)")));
        }
        List<VisitReport> reports = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            reports.add(row(row, errors));
        }
        if (!errors.isEmpty()) {
            throw new CsvTable.Refused(errors);
        }
        return reports;
    }

    private static void checkHeader(List<String> header, int line, List<CellError> errors) {
        for (String name : header) {
            if (!name.isEmpty() && VisitColumn.named(name).isEmpty()) {
                errors.add(new CellError(
                        line,
                        name,
                        "is not a column of the visit report; the columns are "
                                + java.util.Arrays.stream(VisitColumn.values())
                                        .map(VisitColumn::header)
                                        .collect(Collectors.joining(", "))));
            }
        }
        if (header.stream()
                .noneMatch(name -> VisitColumn.named(name)
                        .map(c -> c.kind == VisitColumn.Kind.IDENTIFIER)
                        .orElse(false))) {
            errors.add(new CellError(line, null, "names no patient column: hub_mrn, spoke_mrn or patient is needed"));
        }
        for (VisitColumn required : List.of(VisitColumn.TIMEPOINT, VisitColumn.VISIT_DATE)) {
            if (!header.contains(required.header())) {
                errors.add(new CellError(line, required.header(), "is missing from the header; it is required"));
            }
        }
    }

    private VisitReport row(CsvTable.Row row, List<CellError> errors) {
        Cells cells = new Cells(row, errors);
        Map<VisitColumn, String> keys = new EnumMap<>(VisitColumn.class);
        for (VisitColumn key : List.of(VisitColumn.PATIENT, VisitColumn.HUB_MRN, VisitColumn.SPOKE_MRN)) {
            cells.text(key, 64).ifPresent(value -> keys.put(key, value));
        }
        if (keys.isEmpty()) {
            errors.add(new CellError(row.line(), null, "names no patient: fill hub_mrn or spoke_mrn"));
        }
        String timepoint = cells.timepoint().orElse(null);
        LocalDate date = cells.date(VisitColumn.VISIT_DATE).orElse(null);
        cells.required(VisitColumn.TIMEPOINT);
        cells.required(VisitColumn.VISIT_DATE);
        String survival = cells.code(VisitColumn.SURVIVAL).orElse(null);
        String response = cells.code(VisitColumn.RESPONSE).orElse(null);
        String responseMethod =
                cells.text(VisitColumn.RESPONSE_METHOD, MAX_TEXT).orElse(null);
        List<VisitReport.Lab> labs = new ArrayList<>();
        for (VisitLab lab : VisitLab.values()) {
            cells.quantity(lab).ifPresent(labs::add);
        }
        String persistence = cells.code(VisitColumn.PERSISTENCE).orElse(null);
        String persistenceMethod = cells.code(VisitColumn.PERSISTENCE_METHOD).orElse(null);
        if (persistenceMethod != null && persistence == null) {
            errors.add(new CellError(
                    row.line(),
                    VisitColumn.PERSISTENCE.header(),
                    "is empty but persistence_method is filled: give the result of the persistence test"));
        }
        String malignancy = cells.text(VisitColumn.NEW_MALIGNANCY, MAX_TEXT).orElse(null);
        LocalDate malignancyDate = cells.date(VisitColumn.NEW_MALIGNANCY_DATE).orElse(null);
        if (malignancyDate != null && malignancy == null) {
            errors.add(new CellError(
                    row.line(),
                    VisitColumn.NEW_MALIGNANCY.header(),
                    "is empty but new_malignancy_date is filled: name the new malignancy"));
        }
        return new VisitReport(
                row.line(),
                keys,
                timepoint,
                date,
                survival,
                response,
                responseMethod,
                labs,
                persistence,
                persistenceMethod,
                malignancy,
                malignancyDate,
                cells.text(VisitColumn.INFECTIONS, MAX_TEXT).orElse(null),
                cells.text(VisitColumn.HOSPITALISATIONS, MAX_TEXT).orElse(null));
    }

    /** One row's cells, each read once, with its problems added to the file's. */
    private final class Cells {
        private final CsvTable.Row row;
        private final List<CellError> errors;

        Cells(CsvTable.Row row, List<CellError> errors) {
            this.row = row;
            this.errors = errors;
        }

        private Optional<String> raw(VisitColumn column) {
            String value = row.cells().get(column.header());
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
        }

        private void error(VisitColumn column, String message) {
            errors.add(new CellError(row.line(), column.header(), message));
        }

        void required(VisitColumn column) {
            if (raw(column).isEmpty()) {
                error(column, "is empty; it is required");
            }
        }

        Optional<String> text(VisitColumn column, int limit) {
            Optional<String> value = raw(column);
            if (value.isPresent() && value.get().length() > limit) {
                error(column, "is " + value.get().length() + " characters long; at most " + limit + " are taken");
                return Optional.empty();
            }
            if (value.isPresent() && value.get().chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
                error(column, "holds control characters");
                return Optional.empty();
            }
            return value;
        }

        Optional<String> code(VisitColumn column) {
            Optional<String> value = raw(column);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            Optional<String> code = vocabulary.code(column.system, value.get());
            if (code.isEmpty()) {
                error(
                        column,
                        "'" + shorten(value.get()) + "' is not one of "
                                + String.join(", ", vocabulary.codes(column.system)));
            }
            return code;
        }

        /** The follow-up forms' time points only (D100, M6, yearly); the early ones are the hub's own assessments. */
        Optional<String> timepoint() {
            Optional<String> code = code(VisitColumn.TIMEPOINT);
            if (code.isPresent() && !VisitColumn.isFollowUpTimepoint(code.get())) {
                error(
                        VisitColumn.TIMEPOINT,
                        code.get() + " is not a follow-up visit; the report takes "
                                + String.join(
                                        ", ",
                                        vocabulary.codes(CarTIg.CS_LTFU_TIMEPOINT).stream()
                                                .filter(VisitColumn::isFollowUpTimepoint)
                                                .toList()));
                return Optional.empty();
            }
            return code;
        }

        Optional<LocalDate> date(VisitColumn column) {
            Optional<String> value = raw(column);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            LocalDate date;
            try {
                if (!value.get().matches("\\d{4}-\\d{2}-\\d{2}")) {
                    throw new DateTimeParseException("not ISO", value.get(), 0);
                }
                date = LocalDate.parse(value.get());
            } catch (DateTimeParseException notIso) {
                error(
                        column,
                        "'" + shorten(value.get()) + "' is not a date written YYYY-MM-DD (e.g. "
                                + today
                                + "); other forms are not guessed, since day and month come in a different order"
                                + " in different countries");
                return Optional.empty();
            }
            if (date.isAfter(today)) {
                error(column, date + " is in the future");
                return Optional.empty();
            }
            return Optional.of(date);
        }

        Optional<VisitReport.Lab> quantity(VisitLab lab) {
            VisitColumn column = VisitColumn.valueOf(lab.name());
            Optional<String> value = raw(column);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            Matcher matcher = QUANTITY.matcher(value.get());
            if (!matcher.matches()) {
                error(
                        column,
                        "'" + shorten(value.get()) + "' is not a number (with an optional unit: " + lab.acceptedUnits()
                                + ")");
                return Optional.empty();
            }
            BigDecimal number = new BigDecimal(matcher.group(1).replace(',', '.'));
            if (number.signum() < 0) {
                error(column, number.toPlainString() + " is negative");
                return Optional.empty();
            }
            String unit = matcher.group(2).strip();
            Optional<BigDecimal> factor = unit.isEmpty() ? Optional.of(BigDecimal.ONE) : lab.factor(unit);
            if (factor.isEmpty()) {
                error(
                        column,
                        "unit '" + shorten(unit) + "' is not one the hub takes for " + lab.column + ": "
                                + lab.acceptedUnits() + " (an empty unit means " + lab.unit + ")");
                return Optional.empty();
            }
            if (factor.get().compareTo(BigDecimal.ONE) == 0) {
                return Optional.of(new VisitReport.Lab(lab, number, null)); // as precise as it was written
            }
            BigDecimal stored = number.multiply(factor.get()).stripTrailingZeros();
            return Optional.of(new VisitReport.Lab(lab, stored.scale() < 0 ? stored.setScale(0) : stored, value.get()));
        }
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
