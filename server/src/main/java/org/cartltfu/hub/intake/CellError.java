package org.cartltfu.hub.intake;

/**
 * One thing wrong with an uploaded file, where a person can find it in the spreadsheet.
 *
 * @param line the file's line (1 is the header); 0 for the file as a whole
 * @param column the column's name; null for a whole line or the file
 */
public record CellError(int line, String column, String message) {

    public static CellError file(String message) {
        return new CellError(0, null, message);
    }

    /** Where, in words: "Line 4, column crp". */
    public String where() {
        return line == 0 ? "File" : column == null ? "Line " + line : "Line " + line + ", column " + column;
    }

    @Override
    public String toString() {
        return where() + ": " + message;
    }
}
