package io.fraudlab.connect.csv;

import java.util.ArrayList;

/**
 * Splits one CSV line into fields (RFC 4180 quoting: a quoted field may hold the separator, and a doubled
 * quote inside it is one literal quote). One instance per task: it reuses its buffers, so it is not
 * thread-safe. Records never span lines; an unterminated quote is a malformed line.
 */
public final class CsvLineParser {
    private final char separator;
    private final char quote;
    private final ArrayList<String> fields = new ArrayList<>(64);
    private final StringBuilder quoted = new StringBuilder(64);

    public CsvLineParser(char separator, char quote) {
        if (separator == quote) {
            throw new IllegalArgumentException("separator and quote must differ, both are '" + separator + "'");
        }
        this.separator = separator;
        this.quote = quote;
    }

    public String[] parse(String line) throws CsvFormatException {
        fields.clear();
        final int n = line.length();
        int i = 0;
        while (true) {
            if (i < n && line.charAt(i) == quote) {
                i = readQuoted(line, i + 1);
                if (i == n) {
                    break;
                }
                if (line.charAt(i) != separator) {
                    throw new CsvFormatException("unexpected character '" + line.charAt(i)
                            + "' after the closing quote of field " + fields.size() + " (position " + (i + 1) + ")");
                }
                i++;
            } else {
                // Unquoted field: indexOf is much faster than a per-character loop on long numeric lines.
                int end = line.indexOf(separator, i);
                if (end < 0) {
                    fields.add(line.substring(i));
                    break;
                }
                fields.add(line.substring(i, end));
                i = end + 1;
            }
        }
        return fields.toArray(new String[0]);
    }

    /** Reads a quoted field starting after its opening quote; returns the index after the closing quote. */
    private int readQuoted(String line, int start) throws CsvFormatException {
        final int n = line.length();
        quoted.setLength(0);
        int i = start;
        while (true) {
            int q = line.indexOf(quote, i);
            if (q < 0) {
                throw new CsvFormatException("unterminated quoted field " + (fields.size() + 1)
                        + " (opening quote at position " + start + ")");
            }
            quoted.append(line, i, q);
            if (q + 1 < n && line.charAt(q + 1) == quote) {
                quoted.append(quote);
                i = q + 2;
            } else {
                fields.add(quoted.toString());
                return q + 1;
            }
        }
    }
}
