package org.cartltfu.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvTableTest {

    private static final String TEXT = "hub_mrn,timepoint,infections\nSGH-1,D100,\"Viêm phổi, 肺炎\"\n";
    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final Charset WINDOWS_1258 = Charset.forName("windows-1258");

    private static CsvTable read(byte[] bytes, Charset declared) throws CsvTable.Refused {
        return CsvTable.read(bytes, declared);
    }

    private static List<CellError> refusal(byte[] bytes, Charset declared) {
        try {
            CsvTable.read(bytes, declared);
        } catch (CsvTable.Refused refused) {
            return refused.errors();
        }
        throw new AssertionError("was read");
    }

    @Test
    void readsUtf8WithAndWithoutTheByteOrderMark() throws Exception {
        byte[] plain = TEXT.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[plain.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(plain, 0, withBom, 3, plain.length);
        for (byte[] bytes : List.of(plain, withBom)) {
            CsvTable table = read(bytes, null);
            assertThat(table.header()).containsExactly("hub_mrn", "timepoint", "infections");
            assertThat(table.rows()).singleElement().satisfies(row -> {
                assertThat(row.line()).isEqualTo(2);
                assertThat(row.cells())
                        .containsExactly(
                                Map.entry("hub_mrn", "SGH-1"),
                                Map.entry("timepoint", "D100"),
                                Map.entry("infections", "Viêm phổi, 肺炎"));
            });
        }
    }

    @Test
    void readsExcelsUnicodeTextUtf16WithTabs() throws Exception {
        byte[] text = "\uFEFFhub_mrn\ttimepoint\r\nSGH-1\tM6\r\n".getBytes(StandardCharsets.UTF_16LE);
        CsvTable table = read(text, null);
        assertThat(table.rows().get(0).cells()).containsEntry("timepoint", "M6");
    }

    @Test
    void readsTheEncodingAnUploadDeclares() throws Exception {
        String chinese = "hub_mrn,infections\nSGH-1,肺炎（已治愈）\n";
        assertThat(read(chinese.getBytes(GB18030), GB18030).rows().get(0).cells())
                .containsEntry("infections", "肺炎（已治愈）");
        // Vietnamese Excel's windows-1258 writes a tone as a combining mark after the letter (ô 0xF4, hook above
        // 0xD2): read back, it is the one precomposed letter, as typed on any other system.
        byte[] vietnamese = {
            'h',
            'u',
            'b',
            '_',
            'm',
            'r',
            'n',
            ',',
            'i',
            'n',
            'f',
            'e',
            'c',
            't',
            'i',
            'o',
            'n',
            's',
            '\n',
            'S',
            ',',
            'V',
            'i',
            (byte) 0xEA,
            'm',
            ' ',
            'p',
            'h',
            (byte) 0xF4,
            (byte) 0xD2,
            'i',
            '\n'
        };
        assertThat(read(vietnamese, WINDOWS_1258).rows().get(0).cells().get("infections"))
                .isEqualTo("Viêm phổi");
    }

    @Test
    void refusesBytesThatAreNotUtf8WhenNoEncodingIsDeclaredNamingTheLineAndTheWayOut() {
        byte[] bytes = "hub_mrn,infections\nSGH-1,ok\nSGH-2,肺炎\n".getBytes(GB18030);
        assertThat(refusal(bytes, null)).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(3);
            assertThat(error.message()).contains("not UTF-8", "CSV UTF-8", "charset=GB18030", "windows-1258");
        });
    }

    @Test
    void takesTheHeadersDelimiterSkipsHelpAndBlankLinesAndCountsLinesInsideQuotes() throws Exception {
        String text = "hub_mrn;crp;infections\n# help;mg/L;text\n\nSGH-1;12,5;\"first\nsecond\"\nSGH-2;3;\n";
        CsvTable table = read(text.getBytes(StandardCharsets.UTF_8), null);
        assertThat(table.headerLine()).isEqualTo(1);
        assertThat(table.rows()).extracting(CsvTable.Row::line).containsExactly(4, 6);
        assertThat(table.rows().get(0).cells())
                .containsEntry("crp", "12,5")
                .containsEntry("infections", "first\nsecond");
        assertThat(table.rows().get(1).cells()).containsEntry("infections", "");
    }

    @Test
    void namesRowsWithMoreCellsThanTheHeaderAndRepeatedColumns() {
        byte[] bytes = "hub_mrn,crp,CRP\nSGH-1,1,2\nSGH-2,1,2,3\nSGH-3,1,2,,\n".getBytes(StandardCharsets.UTF_8);
        assertThat(refusal(bytes, null))
                .extracting(CellError::toString)
                .containsExactly(
                        "Line 1, column crp: appears twice in the header",
                        "Line 3: has 4 cells but the header has 3 columns (a value with the delimiter in it must be in double"
                                + " quotes)");
    }

    @Test
    void refusesAnEmptyFileAndBrokenQuoting() {
        assertThat(refusal(new byte[0], null))
                .extracting(CellError::toString)
                .containsExactly("File: is empty: it needs a header line with the column names and a line per visit");
        assertThat(refusal("hub_mrn,crp\nSGH-1,\"12\n".getBytes(StandardCharsets.UTF_8), null))
                .singleElement()
                .satisfies(error -> assertThat(error.toString()).startsWith("File: is not valid CSV"));
    }

    @Test
    void aCellErrorSaysWhereInWords() {
        assertThat(new CellError(4, "crp", "x").toString()).isEqualTo("Line 4, column crp: x");
        assertThat(new CellError(4, null, "x").where()).isEqualTo("Line 4");
    }
}
