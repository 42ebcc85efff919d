package org.cartltfu.hub.registry.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.List;
import org.cartltfu.hub.registry.views.ViewDefinition.Column;

/**
 * Writes rows as CSV (RFC 4180): CRLF line ends; a field holding a comma, a double quote, CR or LF is quoted, its
 * quotes doubled. An empty value is an empty field; a collection column is its JSON array text, e.g.
 * {@code "[""tocilizumab""]"}. Each row goes to the writer as it comes; the caller flushes and closes the writer.
 * A text value that a spreadsheet would take for a formula (it begins with {@code = + - @}, tab or CR) is written
 * with a leading apostrophe, so that what a spoke typed stays data in the analyst's Excel (numbers are not text and
 * keep their sign).
 */
public final class CsvRows implements RowSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Writer out;
    private final int width;

    /** @param header whether to write the column names as the first line, now */
    public CsvRows(Writer out, List<Column> columns, boolean header) throws IOException {
        this.out = out;
        this.width = columns.size();
        if (header) {
            for (int i = 0; i < width; i++) {
                field(i, columns.get(i).name());
            }
            out.write("\r\n");
        }
    }

    @Override
    public void accept(List<Object> values) throws IOException {
        if (values.size() != width) {
            throw new IllegalArgumentException("row has " + values.size() + " values for " + width + " columns");
        }
        for (int i = 0; i < width; i++) {
            field(i, text(values.get(i)));
        }
        out.write("\r\n");
    }

    private static String text(Object value) throws JsonProcessingException {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            return JSON.writeValueAsString(list);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof String text && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return value.toString();
    }

    private void field(int index, String text) throws IOException {
        if (index > 0) {
            out.write(',');
        }
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\r') < 0 && text.indexOf('\n') < 0) {
            out.write(text);
            return;
        }
        out.write('"');
        out.write(text.replace("\"", "\"\""));
        out.write('"');
    }
}
