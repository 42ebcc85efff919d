package org.cartltfu.hub.intake;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * An uploaded spreadsheet saved as CSV, read the way the hospitals' Excel writes it: UTF-8 with or without a byte
 * order mark (Excel's "CSV UTF-8"), UTF-16 with a byte order mark ("Unicode text"), or the encoding the upload
 * declares (Chinese Excel saves GB18030, Vietnamese windows-1258). Undeclared bytes that are not UTF-8 are refused
 * rather than guessed: a wrong guess turns names and free text into mojibake without anyone noticing. The delimiter
 * is the header's: comma, or semicolon (Excel where the decimal mark is a comma), or tab. Lines whose first cell
 * starts with {@code #} are help (the templates carry two) and blank lines are skipped. Text is composed (NFC), so
 * that a name reads the same whichever way its accents were encoded.
 */
public record CsvTable(int headerLine, List<String> header, List<Row> rows) {

    /** @param line the file line the row starts on (1 is the header) */
    public record Row(int line, Map<String, String> cells) {}

    public static final class Refused extends Exception {
        private final transient List<CellError> errors;

        Refused(List<CellError> errors) {
            super(errors.get(0).toString());
            this.errors = List.copyOf(errors);
        }

        public List<CellError> errors() {
            return errors;
        }
    }

    /** @param declared the charset the upload names (Content-Type), or null */
    public static CsvTable read(byte[] bytes, Charset declared) throws Refused {
        return parse(decode(bytes, declared));
    }

    static String decode(byte[] bytes, Charset declared) throws Refused {
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            return strict(bytes, 3, StandardCharsets.UTF_8);
        }
        if (startsWith(bytes, 0xFF, 0xFE)) {
            return strict(bytes, 2, StandardCharsets.UTF_16LE);
        }
        if (startsWith(bytes, 0xFE, 0xFF)) {
            return strict(bytes, 2, StandardCharsets.UTF_16BE);
        }
        return strict(bytes, 0, declared == null ? StandardCharsets.UTF_8 : declared);
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String strict(byte[] bytes, int offset, Charset charset) throws Refused {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        CharBuffer out = CharBuffer.allocate((int) (bytes.length * (double) decoder.maxCharsPerByte()) + 16);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = offset; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            String hint = charset.equals(StandardCharsets.UTF_8)
                    ? " Save it in Excel as \"CSV UTF-8\", or name the encoding it was saved in (Content-Type: text/csv;"
                            + " charset=GB18030 from Chinese Excel, charset=windows-1258 from Vietnamese Excel)."
                    : " Check that the file was saved in " + charset.name() + ".";
            throw new Refused(List.of(new CellError(
                    line,
                    null,
                    "this line holds bytes that are not " + charset.name() + " (byte " + (in.position() + 1)
                            + " of the file); nothing was stored." + hint)));
        }
        decoder.flush(out);
        // Composed (NFC): windows-1258 and some Mac exports write tone marks as separate combining characters.
        return java.text.Normalizer.normalize(out.flip(), java.text.Normalizer.Form.NFC);
    }

    static CsvTable parse(String text) throws Refused {
        String firstLine = text.lines().findFirst().orElse("");
        CSVFormat format = CSVFormat.RFC4180
                .builder()
                .setDelimiter(delimiter(firstLine))
                .setIgnoreEmptyLines(false)
                .setTrim(true)
                .build();
        List<String> header = null;
        int headerLine = 0;
        List<Row> rows = new ArrayList<>();
        List<CellError> errors = new ArrayList<>();
        Lines lines = new Lines(text);
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            for (CSVRecord record : parser) {
                int line = lines.at(record.getCharacterPosition());
                List<String> values = record.toList();
                if (values.stream().allMatch(String::isBlank) || values.get(0).startsWith("#")) {
                    continue;
                }
                if (header == null) {
                    header = header(values, line, errors);
                    headerLine = line;
                    continue;
                }
                if (values.size() > header.size()
                        && values.subList(header.size(), values.size()).stream().anyMatch(value -> !value.isBlank())) {
                    errors.add(new CellError(
                            line,
                            null,
                            "has " + values.size() + " cells but the header has " + header.size()
                                    + " columns (a value with the delimiter in it must be in double quotes)"));
                    continue;
                }
                Map<String, String> cells = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    cells.put(header.get(i), i < values.size() ? values.get(i) : "");
                }
                rows.add(new Row(line, cells));
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException broken) {
            // commons-csv's words for an unclosed quote or a character after a closing quote.
            errors.add(CellError.file("is not valid CSV: " + broken.getMessage()));
        }
        if (header == null && errors.isEmpty()) {
            errors.add(CellError.file("is empty: it needs a header line with the column names and a line per visit"));
        }
        if (!errors.isEmpty()) {
            throw new Refused(errors);
        }
        return new CsvTable(headerLine, header, rows);
    }

    private static List<String> header(List<String> values, int line, List<CellError> errors) {
        List<String> names = new ArrayList<>();
        for (String value : values) {
            String name = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (names.contains(name) && !name.isEmpty()) {
                errors.add(new CellError(line, name, "appears twice in the header"));
            }
            names.add(name);
        }
        return names;
    }

    private static char delimiter(String headerLine) {
        char best = ',';
        long most = headerLine.chars().filter(c -> c == ',').count();
        for (char candidate : new char[] {';', '\t'}) {
            long count = headerLine.chars().filter(c -> c == candidate).count();
            if (count > most) {
                best = candidate;
                most = count;
            }
        }
        return best;
    }

    /** Line numbers of character positions, read forwards once (records come in order). */
    private static final class Lines {
        private final String text;
        private int position;
        private int line = 1;

        Lines(String text) {
            this.text = text;
        }

        int at(long target) {
            for (; position < target && position < text.length(); position++) {
                if (text.charAt(position) == '\n') {
                    line++;
                }
            }
            return line;
        }
    }
}
