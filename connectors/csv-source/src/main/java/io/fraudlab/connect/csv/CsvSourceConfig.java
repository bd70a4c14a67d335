package io.fraudlab.connect.csv;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The connector's configuration, parsed and cross-checked once; tasks read typed values from it. */
public final class CsvSourceConfig extends AbstractConfig {
    public static final String INPUT_PATH = "input.path";
    public static final String FILE_PATTERN = "file.pattern";
    public static final String FILE_MIN_AGE_MS = "file.min.age.ms";
    public static final String TOPIC = "topic";
    public static final String HAS_HEADER = "csv.has.header";
    public static final String SEPARATOR = "csv.separator";
    public static final String QUOTE = "csv.quote";
    public static final String SCHEMA_COLUMNS = "schema.columns";
    public static final String KEY_COLUMN = "key.column";
    public static final String BATCH_SIZE = "batch.size";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String FINISHED_PATH = "finished.path";
    public static final String ERROR_PATH = "error.path";
    public static final String ERRORS_TOPIC = "errors.topic";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(INPUT_PATH, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Directory watched for CSV files (not recursive; created if missing).")
            .define(FILE_PATTERN, Type.STRING, ".*\\.csv", CsvSourceConfig::validateRegex, Importance.MEDIUM,
                    "Regular expression a file name must match in full. Names starting with '.' are always "
                    + "ignored, so writers can copy to a hidden name and rename.")
            .define(FILE_MIN_AGE_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Only read files not modified for this long (guards against files still being written).")
            .define(TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Topic receiving one typed record per data row.")
            .define(HAS_HEADER, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Whether line 1 of each file is a header naming the columns.")
            .define(SEPARATOR, Type.STRING, ",", CsvSourceConfig::validateChar, Importance.MEDIUM,
                    "Field separator, one character ('\\t' for tab).")
            .define(QUOTE, Type.STRING, "\"", CsvSourceConfig::validateChar, Importance.LOW,
                    "Quote character, one character.")
            .define(SCHEMA_COLUMNS, Type.STRING, "", CsvSourceConfig::validateColumns, Importance.HIGH,
                    "Typed columns 'Name:TYPE,...' with TYPE in STRING, INT32, INT64, FLOAT64, BOOLEAN. A file "
                    + "whose header does not list these names in this order is rejected. Empty: every "
                    + "column is a STRING named by the header.")
            .define(KEY_COLUMN, Type.STRING, "", Importance.MEDIUM,
                    "Column whose value becomes the record key; empty: no key.")
            .define(BATCH_SIZE, Type.INT, 1000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Maximum rows returned by one poll.")
            .define(POLL_INTERVAL_MS, Type.LONG, 250L, ConfigDef.Range.between(10, 60_000), Importance.LOW,
                    "How long an idle task waits before looking for new files.")
            .define(FINISHED_PATH, Type.STRING, "", Importance.MEDIUM,
                    "Directory completed files are moved to once all their records are written; empty: files "
                    + "stay and the stored offsets keep them from being read again.")
            .define(ERROR_PATH, Type.STRING, "", Importance.MEDIUM,
                    "Directory rejected files (bad header, unreadable) are moved to; empty: they stay.")
            .define(ERRORS_TOPIC, Type.STRING, "", Importance.MEDIUM,
                    "Dead-letter topic: each malformed row (raw line) and each rejected file, with headers "
                    + "error.type, error.file, error.line, error.message. Empty: errors are only logged.");

    private final List<Column> columns;
    private final Pattern filePattern;

    public CsvSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        String spec = getString(SCHEMA_COLUMNS).trim();
        this.columns = spec.isEmpty() ? null : Column.parseList(spec);
        this.filePattern = Pattern.compile(getString(FILE_PATTERN));
        if (separator() == quote()) {
            throw new ConfigException(QUOTE, getString(QUOTE), "the quote must differ from " + SEPARATOR);
        }
        if (!hasHeader() && columns == null) {
            throw new ConfigException(SCHEMA_COLUMNS, spec, "required when " + HAS_HEADER + "=false (no header names the columns)");
        }
        String key = keyColumn();
        if (key != null && columns != null && columns.stream().noneMatch(c -> c.name().equals(key))) {
            throw new ConfigException(KEY_COLUMN, key, "not one of the columns in " + SCHEMA_COLUMNS);
        }
    }

    public Path inputPath() {
        return Paths.get(getString(INPUT_PATH)).toAbsolutePath().normalize();
    }

    public Pattern filePattern() {
        return filePattern;
    }

    public long fileMinAgeMs() {
        return getLong(FILE_MIN_AGE_MS);
    }

    public String topic() {
        return getString(TOPIC);
    }

    public boolean hasHeader() {
        return getBoolean(HAS_HEADER);
    }

    public char separator() {
        return toChar(getString(SEPARATOR));
    }

    public char quote() {
        return toChar(getString(QUOTE));
    }

    /** The declared columns, or null when the header alone names them (all STRING). */
    public List<Column> columns() {
        return columns;
    }

    public String keyColumn() {
        return blankToNull(getString(KEY_COLUMN));
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public long pollIntervalMs() {
        return getLong(POLL_INTERVAL_MS);
    }

    public Path finishedPath() {
        String p = blankToNull(getString(FINISHED_PATH));
        return p == null ? null : Paths.get(p).toAbsolutePath().normalize();
    }

    public Path errorPath() {
        String p = blankToNull(getString(ERROR_PATH));
        return p == null ? null : Paths.get(p).toAbsolutePath().normalize();
    }

    public String errorsTopic() {
        return blankToNull(getString(ERRORS_TOPIC));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static char toChar(String value) {
        if ("\\t".equals(value) || "tab".equalsIgnoreCase(value)) {
            return '\t';
        }
        return value.charAt(0);
    }

    private static void validateChar(String name, Object value) {
        String s = (String) value;
        if (s == null || !(s.length() == 1 || "\\t".equals(s) || "tab".equalsIgnoreCase(s))) {
            throw new ConfigException(name, value, "must be exactly one character");
        }
    }

    private static void validateRegex(String name, Object value) {
        try {
            Pattern.compile((String) value);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(name, value, "not a valid regular expression: " + e.getDescription());
        }
    }

    private static void validateColumns(String name, Object value) {
        String s = value == null ? "" : ((String) value).trim();
        if (s.isEmpty()) {
            return;
        }
        try {
            Column.parseList(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }
}
