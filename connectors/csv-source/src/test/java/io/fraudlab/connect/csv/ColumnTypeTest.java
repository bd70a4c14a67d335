package io.fraudlab.connect.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ColumnTypeTest {

    @Test
    void float64ReadsKaggleExponents() throws Exception {
        assertEquals(100000.0, ColumnType.FLOAT64.convert("1e+05"));
        assertEquals(-2.68638196892377e-05, ColumnType.FLOAT64.convert("-2.68638196892377e-05"));
        assertEquals(-1.3598071336738, ColumnType.FLOAT64.convert("-1.3598071336738"));
        assertEquals(0.0, ColumnType.FLOAT64.convert("0"));
        assertEquals(149.62, ColumnType.FLOAT64.convert(" 149.62 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "NaN", "Infinity", "1f", "1d", "0x10", "-", "1e999", "1,5"})
    void float64RejectsNonNumbers(String raw) {
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> ColumnType.FLOAT64.convert(raw));
        assertTrue(e.getMessage().contains(raw.trim()), e.getMessage());
    }

    @Test
    void integersAcceptExactExponentsOnly() throws Exception {
        assertEquals(0, ColumnType.INT32.convert("0"));
        assertEquals(1, ColumnType.INT32.convert("1"));
        assertEquals(100000, ColumnType.INT32.convert("1e+05"));
        assertEquals(3, ColumnType.INT32.convert("3.0"));
        assertEquals(9_000_000_000L, ColumnType.INT64.convert("9000000000"));
        assertEquals(-5L, ColumnType.INT64.convert("-5"));
        assertThrows(CsvFormatException.class, () -> ColumnType.INT32.convert("1.5"));
        assertThrows(CsvFormatException.class, () -> ColumnType.INT32.convert("9000000000"));
        assertThrows(CsvFormatException.class, () -> ColumnType.INT64.convert("1e30"));
        assertThrows(CsvFormatException.class, () -> ColumnType.INT64.convert("twelve"));
    }

    @Test
    void booleansAcceptCommonSpellings() throws Exception {
        for (String t : List.of("true", "TRUE", "t", "yes", "1")) {
            assertEquals(Boolean.TRUE, ColumnType.BOOLEAN.convert(t), t);
        }
        for (String f : List.of("false", "F", "no", "0")) {
            assertEquals(Boolean.FALSE, ColumnType.BOOLEAN.convert(f), f);
        }
        assertThrows(CsvFormatException.class, () -> ColumnType.BOOLEAN.convert("maybe"));
    }

    @Test
    void emptyTypedValueIsNullButEmptyStringStays() throws Exception {
        assertNull(ColumnType.FLOAT64.convert(""));
        assertNull(ColumnType.INT32.convert("  "));
        assertNull(ColumnType.BOOLEAN.convert(""));
        assertEquals("", ColumnType.STRING.convert(""));
        assertEquals(" Kai ", ColumnType.STRING.convert(" Kai "));
    }

    @Test
    void schemasAreOptionalOfTheRightType() {
        assertEquals(Schema.Type.FLOAT64, ColumnType.FLOAT64.schema().type());
        assertEquals(Schema.Type.INT32, ColumnType.INT32.schema().type());
        assertTrue(ColumnType.INT64.schema().isOptional());
    }

    @Test
    void columnListParsesNamesAndTypes() {
        List<Column> cols = Column.parseList("Time:FLOAT64, V1:float64,Class:INT32,User");
        assertEquals(List.of(new Column("Time", ColumnType.FLOAT64), new Column("V1", ColumnType.FLOAT64),
                new Column("Class", ColumnType.INT32), new Column("User", ColumnType.STRING)), cols);
    }

    @Test
    void columnListErrorsNameTheEntry() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Column.parseList("Time:FLOAT64,Amount:DECIMAL"));
        assertTrue(unknown.getMessage().contains("entry 2 'Amount:DECIMAL'"), unknown.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> Column.parseList("A:INT32,A:INT64"));
        assertTrue(twice.getMessage().contains("'A' appears twice"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Column.parseList("A:INT32,,B"));
        assertThrows(IllegalArgumentException.class, () -> Column.parseList(":INT32"));
    }
}
