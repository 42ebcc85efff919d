package org.cartltfu.hub.registry.views;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.cartltfu.hub.registry.views.ViewDefinition.Column;

/**
 * Writes rows as newline-delimited JSON: one object per row, its keys the column names in column order, numbers and
 * booleans as JSON numbers and booleans, collection columns as arrays. An empty value is written as {@code null}
 * rather than left out, so every line has every column (loaders that map keys to table columns need no schema
 * guessing). Each row goes to the writer as it comes; the caller flushes and closes the writer.
 */
public final class NdjsonRows implements RowSink {

    private final Writer out;
    private final List<Column> columns;
    private final JsonGenerator json;

    public NdjsonRows(Writer out, List<Column> columns) throws IOException {
        this.out = out;
        this.columns = List.copyOf(columns);
        // The generator buffers; it hands each finished row to the writer without flushing or closing it.
        this.json = new ObjectMapper()
                .getFactory()
                .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
                .configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, false)
                .createGenerator(out);
        // Lines are ended here, not by Jackson's separator between root values (a space by default).
        json.setRootValueSeparator(null);
    }

    @Override
    public void accept(List<Object> values) throws IOException {
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException(
                    "row has " + values.size() + " values for " + columns.size() + " columns");
        }
        json.writeStartObject();
        for (int i = 0; i < values.size(); i++) {
            json.writeFieldName(columns.get(i).name());
            json.writeObject(values.get(i));
        }
        json.writeEndObject();
        json.flush();
        out.write('\n');
    }
}
