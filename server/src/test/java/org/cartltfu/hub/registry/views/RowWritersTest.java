package org.cartltfu.hub.registry.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cartltfu.hub.registry.views.Views.parse;
import static org.cartltfu.hub.registry.views.Views.row;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.cartltfu.hub.registry.views.ViewDefinition.Column;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class RowWritersTest {

    private static final List<Column> COLUMNS = List.of(
            new Column("id", "id", null, false, null),
            new Column("note", "note", null, false, null),
            new Column("value", "value", null, false, null),
            new Column("flag", "flag", null, false, null),
            new Column("codes", "codes", null, true, null));

    @Test
    void csvQuotesFieldsWithCommasQuotesAndLineBreaksOnly() throws IOException {
        StringWriter out = new StringWriter();
        CsvRows csv = new CsvRows(out, COLUMNS, true);
        csv.accept(row("a1", "plain text", new BigDecimal("5.0"), true, List.of("tocilizumab")));
        csv.accept(row("a2", "fever, then \"mild\" hypotension", new BigDecimal("1E+3"), false, List.of()));
        csv.accept(row("a3", "line one\r\nline two", 42, null, List.of("x", "y\"z")));
        csv.accept(row("a4", null, null, null, List.of()));
        assertThat(out.toString())
                .isEqualTo("id,note,value,flag,codes\r\n"
                        + "a1,plain text,5.0,true,\"[\"\"tocilizumab\"\"]\"\r\n"
                        + "a2,\"fever, then \"\"mild\"\" hypotension\",1000,false,[]\r\n"
                        + "a3,\"line one\r\nline two\",42,,\"[\"\"x\"\",\"\"y\\\"\"z\"\"]\"\r\n"
                        + "a4,,,,[]\r\n");
    }

    @Test
    void csvWritesTextThatLooksLikeAFormulaAsDataAndNumbersWithTheirSign() throws IOException {
        StringWriter out = new StringWriter();
        CsvRows csv = new CsvRows(out, COLUMNS, false);
        csv.accept(row("=HYPERLINK(\"http://x\")", "+1 fever", new BigDecimal("-1.5"), null, List.of()));
        csv.accept(row("@SUM(A1)", "-dose", -2, null, List.of()));
        csv.accept(row("\tcmd", "a=b", 0, null, List.of("=1")));
        assertThat(out.toString())
                .isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\",'+1 fever,-1.5,,[]\r\n"
                        + "'@SUM(A1),'-dose,-2,,[]\r\n"
                        + "'\tcmd,a=b,0,,\"[\"\"=1\"\"]\"\r\n");
    }

    @Test
    void csvWithoutHeaderStartsWithTheFirstRow() throws IOException {
        StringWriter out = new StringWriter();
        new CsvRows(out, COLUMNS, false).accept(row("a1", "x", 1, true, List.of()));
        assertThat(out.toString()).isEqualTo("a1,x,1,true,[]\r\n");
    }

    @Test
    void ndjsonWritesOneObjectPerLineWithEveryColumnAndNullsAsNull() throws IOException {
        StringWriter out = new StringWriter();
        NdjsonRows ndjson = new NdjsonRows(out, COLUMNS);
        ndjson.accept(row("a1", "fever, \"mild\"\nnext", new BigDecimal("5.0"), true, List.of("tocilizumab", "other")));
        ndjson.accept(row("a2", null, 3, null, List.of()));
        assertThat(out.toString())
                .isEqualTo("{\"id\":\"a1\",\"note\":\"fever, \\\"mild\\\"\\nnext\",\"value\":5.0,\"flag\":true,"
                        + "\"codes\":[\"tocilizumab\",\"other\"]}\n"
                        + "{\"id\":\"a2\",\"note\":null,\"value\":3,\"flag\":null,\"codes\":[]}\n");
        ObjectMapper json = new ObjectMapper();
        for (String line : out.toString().split("\n")) {
            assertThat(json.readValue(line, Map.class)).containsOnlyKeys("id", "note", "value", "flag", "codes");
        }
    }

    @Test
    void aRunStreamsEveryRowIntoTheWriter() throws IOException {
        ViewRunner runner = Views.runner("""
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "select": [{"column": [{"name": "id", "path": "getResourceKey()"}]},
				            {"forEachOrNull": "name", "column": [{"name": "family", "path": "family"},
				                                                {"name": "given", "path": "given", "collection": true}]}]}
				""");
        List<Resource> patients = List.of(parse("""
						{"resourceType": "Patient", "id": "p1",
						 "name": [{"family": "Tran, Thi", "given": ["Mai"]}, {"family": "Le"}]}
						"""), parse("{\"resourceType\": \"Patient\", \"id\": \"p2\"}"));
        StringWriter csv = new StringWriter();
        assertThat(runner.run(patients, new CsvRows(csv, runner.columns(), true)))
                .isEqualTo(3);
        assertThat(csv.toString())
                .isEqualTo("id,family,given\r\n"
                        + "p1,\"Tran, Thi\",\"[\"\"Mai\"\"]\"\r\n"
                        + "p1,Le,[]\r\n"
                        + "p2,,[]\r\n");
        StringWriter ndjson = new StringWriter();
        runner.run(patients, new NdjsonRows(ndjson, runner.columns()));
        assertThat(ndjson.toString())
                .isEqualTo("{\"id\":\"p1\",\"family\":\"Tran, Thi\",\"given\":[\"Mai\"]}\n"
                        + "{\"id\":\"p1\",\"family\":\"Le\",\"given\":[]}\n"
                        + "{\"id\":\"p2\",\"family\":null,\"given\":[]}\n");
    }
}
