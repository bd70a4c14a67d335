package io.fraudlab.connect.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CsvLineParserTest {
    private final CsvLineParser parser = new CsvLineParser(',', '"');

    @Test
    void splitsPlainFields() throws Exception {
        assertArrayEquals(new String[] {"0", "-1.3598071336738", "149.62"}, parser.parse("0,-1.3598071336738,149.62"));
    }

    @Test
    void unquotesKaggleHeaderAndLabels() throws Exception {
        assertArrayEquals(new String[] {"Time", "V1", "Amount", "Class"},
                parser.parse("\"Time\",\"V1\",\"Amount\",\"Class\""));
        assertArrayEquals(new String[] {"0", "149.62", "0"}, parser.parse("0,149.62,\"0\""));
    }

    @Test
    void keepsSeparatorsAndDoubledQuotesInsideQuotes() throws Exception {
        assertArrayEquals(new String[] {"a,b", "say \"hi\"", ""}, parser.parse("\"a,b\",\"say \"\"hi\"\"\",\"\""));
    }

    @Test
    void keepsEmptyFieldsIncludingTrailingOne() throws Exception {
        assertArrayEquals(new String[] {"1", "", "3", ""}, parser.parse("1,,3,"));
        assertArrayEquals(new String[] {""}, parser.parse(""));
    }

    @Test
    void honoursOtherSeparatorAndQuote() throws Exception {
        CsvLineParser tabs = new CsvLineParser('\t', '\'');
        assertArrayEquals(new String[] {"a,b", "c\td"}, tabs.parse("a,b\t'c\td'"));
    }

    @Test
    void rejectsUnterminatedQuote() {
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> parser.parse("1,\"abc,2"));
        assertTrue(e.getMessage().contains("unterminated quoted field 2"), e.getMessage());
    }

    @Test
    void rejectsTextAfterClosingQuote() {
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> parser.parse("\"ab\"c,1"));
        assertTrue(e.getMessage().contains("after the closing quote of field 1"), e.getMessage());
    }

    @Test
    void refusesSameSeparatorAndQuote() {
        assertThrows(IllegalArgumentException.class, () -> new CsvLineParser(',', ','));
    }

    @Test
    void reusedParserReturnsFreshArrays() throws Exception {
        String[] first = parser.parse("a,b");
        parser.parse("c,d,e");
        assertArrayEquals(new String[] {"a", "b"}, first);
    }
}
