package io.fraudlab.connect.csv;

/** A line or value that does not fit the CSV layout or the declared column type. */
public final class CsvFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public CsvFormatException(String message) {
        super(message);
    }
}
