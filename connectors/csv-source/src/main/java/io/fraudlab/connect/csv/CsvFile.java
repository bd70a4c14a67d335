package io.fraudlab.connect.csv;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * One input file while it is read: its reader, line counter, and the Connect schema of its rows. The source
 * partition names the file and its size and modification time, so a new file reusing a finished file's name
 * is read again.
 */
final class CsvFile implements Closeable {
    static final String PARTITION_FILE = "file";
    static final String PARTITION_VERSION = "version";

    final Path path;
    final Map<String, String> partition;
    private final BufferedReader reader;
    private String lookahead;
    private boolean lookaheadValid;
    /** Number of the last line handed out (1-based; the header is line 1). */
    long lineNo;
    long rows;
    long malformed;

    List<Column> columns;
    Schema schema;
    Field[] fields;
    int keyIndex = -1;

    CsvFile(Path path, String version) throws IOException {
        this.path = path;
        this.partition = partition(path, version);
        // InputStreamReader replaces undecodable bytes instead of failing the whole file; a row with them
        // then fails its type check and goes to the dead-letter topic like any other bad row.
        this.reader = new BufferedReader(new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8),
                1 << 16);
    }

    /**
     * The source partition, its keys always in the order file, version. The worker stores offsets under the
     * partition's serialized form (JSON in the map's iteration order) and finds them again by those bytes, so
     * the order must be the same in every JVM: {@code Map.of} iterates in an order salted per JVM, and a
     * restarted worker then missed the offsets of the file it was reading and read it again from the top.
     */
    static Map<String, String> partition(Path path, String version) {
        Map<String, String> partition = new LinkedHashMap<>(4);
        partition.put(PARTITION_FILE, path.toString());
        partition.put(PARTITION_VERSION, version);
        return Collections.unmodifiableMap(partition);
    }

    /** The same partition with its keys the other way round: how half of the JVMs running releases that
     * built it with {@code Map.of} stored it. Read once when a file is opened, so an upgrade resumes too. */
    static Map<String, String> reversedPartition(Path path, String version) {
        Map<String, String> partition = new LinkedHashMap<>(4);
        partition.put(PARTITION_VERSION, version);
        partition.put(PARTITION_FILE, path.toString());
        return Collections.unmodifiableMap(partition);
    }

    /** The next line, or null at the end of the file. */
    String nextLine() throws IOException {
        String line = lookaheadValid ? lookahead : reader.readLine();
        lookaheadValid = false;
        lookahead = null;
        if (line != null) {
            lineNo++;
        }
        return line;
    }

    /** True when no line is left; reads one line ahead so the last row of a file can carry the end mark. */
    boolean atEnd() throws IOException {
        if (!lookaheadValid) {
            lookahead = reader.readLine();
            lookaheadValid = true;
        }
        return lookahead == null;
    }

    void useColumns(List<Column> columns, Schema schema, String keyColumn) {
        this.columns = columns;
        this.schema = schema;
        this.fields = schema.fields().toArray(new Field[0]);
        this.keyIndex = -1;
        if (keyColumn != null) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equals(keyColumn)) {
                    keyIndex = i;
                }
            }
        }
    }

    static Schema schemaOf(List<Column> columns) {
        SchemaBuilder builder = SchemaBuilder.struct().name("io.fraudlab.connect.csv.Row");
        for (Column c : columns) {
            builder.field(c.name(), c.type().schema());
        }
        return builder.build();
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // nothing useful to do: the file is finished or being abandoned
        }
    }
}
