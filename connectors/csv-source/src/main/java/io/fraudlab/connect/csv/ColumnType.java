package io.fraudlab.connect.csv;

import java.math.BigDecimal;
import java.util.Locale;
import org.apache.kafka.connect.data.Schema;

/**
 * The column types {@code schema.columns} may name, each with its Connect schema and its text conversion.
 * Every field is optional: an empty non-string value becomes null (e.g. a missing Class label).
 */
public enum ColumnType {
    STRING(Schema.OPTIONAL_STRING_SCHEMA),
    INT32(Schema.OPTIONAL_INT32_SCHEMA),
    INT64(Schema.OPTIONAL_INT64_SCHEMA),
    FLOAT64(Schema.OPTIONAL_FLOAT64_SCHEMA),
    BOOLEAN(Schema.OPTIONAL_BOOLEAN_SCHEMA);

    private final Schema schema;

    ColumnType(Schema schema) {
        this.schema = schema;
    }

    public Schema schema() {
        return schema;
    }

    public static ColumnType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown column type '" + name.trim() + "' (expected one of STRING, "
                    + "INT32, INT64, FLOAT64, BOOLEAN)", e);
        }
    }

    /** Converts the (already unquoted) text of a field; throws with a message naming the value and type. */
    public Object convert(String raw) throws CsvFormatException {
        if (this == STRING) {
            return raw;
        }
        String s = raw.trim();
        if (s.isEmpty()) {
            return null;
        }
        switch (this) {
            case INT32: {
                long v = parseIntegral(s);
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new CsvFormatException("'" + s + "' is out of range for INT32");
                }
                return (int) v;
            }
            case INT64:
                return parseIntegral(s);
            case FLOAT64:
                return parseDouble(s);
            case BOOLEAN:
                return parseBoolean(s);
            default:
                throw new AssertionError(this);
        }
    }

    private static long parseIntegral(String s) throws CsvFormatException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException ignored) {
            // Slow path for Kaggle-style "1e+05" or "3.0": exact integral values only.
        }
        checkNumericChars(s, "an integer");
        try {
            return new BigDecimal(s).longValueExact();
        } catch (NumberFormatException e) {
            throw new CsvFormatException("'" + s + "' is not an integer");
        } catch (ArithmeticException e) {
            throw new CsvFormatException("'" + s + "' is not an integer in INT64 range");
        }
    }

    private static double parseDouble(String s) throws CsvFormatException {
        // Double.parseDouble also takes "NaN", "Infinity", hex and "1f"/"1d" suffixes: none are CSV numbers.
        checkNumericChars(s, "a number");
        try {
            double d = Double.parseDouble(s);
            if (Double.isInfinite(d)) {
                throw new CsvFormatException("'" + s + "' is out of range for FLOAT64");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new CsvFormatException("'" + s + "' is not a number");
        }
    }

    private static void checkNumericChars(String s, String what) throws CsvFormatException {
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                throw new CsvFormatException("'" + s + "' is not " + what);
            }
        }
        if (!digit) {
            throw new CsvFormatException("'" + s + "' is not " + what);
        }
    }

    private static Boolean parseBoolean(String s) throws CsvFormatException {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true": case "t": case "yes": case "y": case "1":
                return Boolean.TRUE;
            case "false": case "f": case "no": case "n": case "0":
                return Boolean.FALSE;
            default:
                throw new CsvFormatException("'" + s + "' is not a boolean (true/false, 1/0, yes/no)");
        }
    }
}
