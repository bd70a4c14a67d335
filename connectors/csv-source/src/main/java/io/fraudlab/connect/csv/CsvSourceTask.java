package io.fraudlab.connect.csv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the watched directory file by file (name order). Each poll returns at most {@code batch.size} rows of
 * one file. Offsets are {file, version} -> {line, eof}: a restart resumes after the last written line, and a
 * file whose end mark was committed is never read again. A completed file is moved to {@code finished.path}
 * only after Kafka acknowledged its last record, so a crash cannot lose rows.
 */
public class CsvSourceTask extends SourceTask {
    static final String OFFSET_LINE = "line";
    static final String OFFSET_EOF = "eof";
    static final String OFFSET_REJECTED = "rejected";
    static final String HEADER_TYPE = "error.type";
    static final String HEADER_FILE = "error.file";
    static final String HEADER_LINE = "error.line";
    static final String HEADER_MESSAGE = "error.message";
    private static final int LOGGED_BAD_ROWS_PER_FILE = 10;
    private static final Logger log = LoggerFactory.getLogger(CsvSourceTask.class);

    private CsvSourceConfig config;
    private CsvLineParser parser;
    private Schema declaredSchema;
    /** Files (path|version) finished or rejected during this task's life: never listed again. */
    private final Set<String> done = new HashSet<>();
    /** Completed files whose last record Kafka acknowledged; moved by the poll thread. */
    private final ConcurrentLinkedQueue<Path> acked = new ConcurrentLinkedQueue<>();
    private final ReentrantLock pollLock = new ReentrantLock();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private CsvFile current;

    @Override
    public String version() {
        return CsvSourceConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new CsvSourceConfig(props);
        parser = new CsvLineParser(config.separator(), config.quote());
        declaredSchema = config.columns() == null ? null : CsvFile.schemaOf(config.columns());
        try {
            Files.createDirectories(config.inputPath());
        } catch (IOException e) {
            throw new ConnectException("cannot create input.path " + config.inputPath() + ": " + e, e);
        }
        log.info("CSV source watching {} for '{}' into topic {}", config.inputPath(), config.filePattern(),
                config.topic());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        pollLock.lock();
        try {
            if (stopping.getCount() == 0) {
                closeCurrent();
                return null;
            }
            moveAcked();
            List<SourceRecord> out = new ArrayList<>(Math.min(config.batchSize(), 4096));
            if (current == null) {
                current = openNext(out);
            }
            if (current != null) {
                readBatch(out);
            }
            if (!out.isEmpty()) {
                return out;
            }
        } finally {
            pollLock.unlock();
        }
        // Idle: wait for new files without spinning; stop() cuts the wait short.
        stopping.await(config.pollIntervalMs(), TimeUnit.MILLISECONDS);
        return null;
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        Map<String, ?> offset = record.sourceOffset();
        if (Boolean.TRUE.equals(offset.get(OFFSET_EOF)) && !Boolean.TRUE.equals(offset.get(OFFSET_REJECTED))) {
            acked.add(Path.of((String) record.sourcePartition().get(CsvFile.PARTITION_FILE)));
        }
    }

    @Override
    public void stop() {
        stopping.countDown();
        // stop() may run on another thread during poll(); poll() then closes the file itself.
        if (pollLock.tryLock()) {
            try {
                closeCurrent();
            } finally {
                pollLock.unlock();
            }
        }
    }

    // ---- files ---------------------------------------------------------------------------------------------

    /** Opens the next unread file, checking its header; a rejected file adds its dead-letter record to out. */
    private CsvFile openNext(List<SourceRecord> out) {
        for (Path path : listCandidates()) {
            String version;
            try {
                BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
                version = attrs.size() + "-" + attrs.lastModifiedTime().toMillis();
            } catch (IOException e) {
                continue; // vanished between listing and now
            }
            String key = path + "|" + version;
            if (done.contains(key)) {
                continue;
            }
            Map<String, Object> stored = storedOffset(path, version);
            if (stored != null && Boolean.TRUE.equals(stored.get(OFFSET_EOF))) {
                // Read in an earlier run; its move may not have happened before a crash.
                done.add(key);
                boolean rejected = Boolean.TRUE.equals(stored.get(OFFSET_REJECTED));
                move(path, rejected ? config.errorPath() : config.finishedPath());
                continue;
            }
            long resumeAfter = stored != null ? lineOf(stored) : 0L;
            CsvFile file;
            try {
                file = new CsvFile(path, version);
            } catch (IOException e) {
                reject(path, CsvFile.partition(path, version), key, 0, "", "file", "cannot read file: " + e, out);
                return null;
            }
            try {
                if (!prepare(file, key, out)) {
                    return null;
                }
                while (file.lineNo < resumeAfter && file.nextLine() != null) {
                    // skip lines already written before a restart
                }
            } catch (IOException e) {
                file.close();
                reject(path, file.partition, key, file.lineNo, "", "file", "cannot read file: " + e, out);
                return null;
            }
            if (resumeAfter > 0) {
                log.info("Resuming {} after line {}", path, resumeAfter);
            } else {
                log.info("Reading {}", path);
            }
            return file;
        }
        return null;
    }

    /**
     * The committed offset of a file version: the one stored under the partition's canonical key order, or
     * under the reversed order older releases wrote from some JVMs, whichever is further on (a file's
     * offsets only move forward, and its end mark is final).
     */
    private Map<String, Object> storedOffset(Path path, String version) {
        OffsetStorageReader reader = context.offsetStorageReader();
        Map<String, Object> canonical = reader.offset(CsvFile.partition(path, version));
        Map<String, Object> reversed = reader.offset(CsvFile.reversedPartition(path, version));
        return further(canonical, reversed);
    }

    static Map<String, Object> further(Map<String, Object> a, Map<String, Object> b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        if (Boolean.TRUE.equals(a.get(OFFSET_EOF)) || Boolean.TRUE.equals(b.get(OFFSET_EOF))) {
            return Boolean.TRUE.equals(a.get(OFFSET_EOF)) ? a : b;
        }
        return lineOf(a) >= lineOf(b) ? a : b;
    }

    private static long lineOf(Map<String, Object> offset) {
        return offset.get(OFFSET_LINE) instanceof Number n ? n.longValue() : 0L;
    }

    private List<Path> listCandidates() {
        long newest = System.currentTimeMillis() - config.fileMinAgeMs();
        try (Stream<Path> entries = Files.list(config.inputPath())) {
            return entries
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return !name.startsWith(".") && config.filePattern().matcher(name).matches();
                    })
                    .filter(p -> Files.isRegularFile(p))
                    .filter(p -> config.fileMinAgeMs() == 0 || lastModified(p) <= newest)
                    .map(p -> p.toAbsolutePath().normalize())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            log.warn("Cannot list input.path {}: {}", config.inputPath(), e.toString());
            return List.of();
        }
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Reads the header (if any) and fixes the file's schema; false when the file was rejected. */
    private boolean prepare(CsvFile file, String key, List<SourceRecord> out) throws IOException {
        List<Column> declared = config.columns();
        if (!config.hasHeader()) {
            file.useColumns(declared, declaredSchema, config.keyColumn());
            return true;
        }
        String header = file.nextLine();
        if (header == null) {
            file.close();
            // An empty file has nothing to ingest; count it as done rather than as an error.
            log.warn("File {} is empty (no header line); skipping it", file.path);
            done.add(key);
            move(file.path, config.finishedPath());
            return false;
        }
        if (!header.isEmpty() && header.charAt(0) == '\uFEFF') {
            header = header.substring(1); // UTF-8 byte order mark
        }
        String problem;
        String[] names = null;
        try {
            names = parser.parse(header);
            for (int i = 0; i < names.length; i++) {
                names[i] = names[i].trim();
            }
            problem = declared != null ? headerMismatch(names, declared) : headerProblem(names);
        } catch (CsvFormatException e) {
            problem = "header line cannot be parsed: " + e.getMessage();
        }
        if (problem != null) {
            file.close();
            reject(file.path, file.partition, key, 1, header, "header", problem, out);
            return false;
        }
        if (declared != null) {
            file.useColumns(declared, declaredSchema, config.keyColumn());
        } else {
            List<Column> columns = new ArrayList<>(names.length);
            for (String name : names) {
                columns.add(new Column(name, ColumnType.STRING));
            }
            file.useColumns(columns, CsvFile.schemaOf(columns), config.keyColumn());
        }
        return true;
    }

    /** Null when the header lists the declared names in order, else what differs first. */
    static String headerMismatch(String[] names, List<Column> declared) {
        int common = Math.min(names.length, declared.size());
        for (int i = 0; i < common; i++) {
            if (!names[i].equals(declared.get(i).name())) {
                return "header column " + (i + 1) + " is '" + names[i] + "' but schema.columns expects '"
                        + declared.get(i).name() + "'";
            }
        }
        if (names.length != declared.size()) {
            return "header has " + names.length + " columns but schema.columns declares " + declared.size()
                    + (names.length > declared.size() ? " (first extra column: '" + names[common] + "')"
                    : " (first missing column: '" + declared.get(common).name() + "')");
        }
        return null;
    }

    private String headerProblem(String[] names) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i].isEmpty()) {
                return "header column " + (i + 1) + " has no name";
            }
            if (!seen.add(names[i])) {
                return "header column " + (i + 1) + " repeats the name '" + names[i] + "'";
            }
        }
        String keyColumn = config.keyColumn();
        if (keyColumn != null && !seen.contains(keyColumn)) {
            return "header has no key.column '" + keyColumn + "'";
        }
        return null;
    }

    // ---- rows ----------------------------------------------------------------------------------------------

    private void readBatch(List<SourceRecord> out) {
        CsvFile file = current;
        int before = out.size();
        int limit = config.batchSize();
        boolean end;
        try {
            String line;
            while (out.size() - before < limit && (line = file.nextLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                SourceRecord record = toRecord(file, line);
                if (record != null) {
                    out.add(record);
                }
            }
            end = file.atEnd();
        } catch (IOException e) {
            current = null;
            file.close();
            String key = file.partition.get(CsvFile.PARTITION_FILE) + "|" + file.partition.get(CsvFile.PARTITION_VERSION);
            reject(file.path, file.partition, key, file.lineNo, "", "file",
                    "read failed after " + file.rows + " rows were written: " + e, out);
            return;
        }
        if (end) {
            finish(file, out, before);
        }
    }

    private SourceRecord toRecord(CsvFile file, String line) {
        Object[] values;
        try {
            String[] raw = parser.parse(line);
            if (raw.length != file.columns.size()) {
                throw new CsvFormatException("expected " + file.columns.size() + " fields but found " + raw.length);
            }
            values = new Object[raw.length];
            for (int i = 0; i < raw.length; i++) {
                Column column = file.columns.get(i);
                try {
                    values[i] = column.type().convert(raw[i]);
                } catch (CsvFormatException e) {
                    throw new CsvFormatException("column " + (i + 1) + " '" + column.name() + "': " + e.getMessage());
                }
            }
        } catch (CsvFormatException e) {
            return malformed(file, line, e.getMessage());
        }
        Struct value = new Struct(file.schema);
        for (int i = 0; i < values.length; i++) {
            value.put(file.fields[i], values[i]);
        }
        file.rows++;
        Map<String, Object> offset = Map.of(OFFSET_LINE, file.lineNo);
        if (file.keyIndex < 0) {
            return new SourceRecord(file.partition, offset, config.topic(), file.schema, value);
        }
        return new SourceRecord(file.partition, offset, config.topic(), null,
                file.fields[file.keyIndex].schema(), values[file.keyIndex], file.schema, value);
    }

    private SourceRecord malformed(CsvFile file, String line, String message) {
        file.malformed++;
        if (file.malformed <= LOGGED_BAD_ROWS_PER_FILE) {
            log.warn("Malformed row in {} line {}: {}{}", file.path, file.lineNo, message,
                    config.errorsTopic() == null ? " (dropped: no errors.topic)" : "");
        }
        if (config.errorsTopic() == null) {
            return null;
        }
        return errorRecord(file.path, file.partition, Map.of(OFFSET_LINE, file.lineNo), file.lineNo, line, "row",
                message);
    }

    /** At the end of a file: mark its last record so its acknowledgement finishes the file. */
    private void finish(CsvFile file, List<SourceRecord> out, int firstOfFile) {
        current = null;
        file.close();
        String key = file.partition.get(CsvFile.PARTITION_FILE) + "|" + file.partition.get(CsvFile.PARTITION_VERSION);
        done.add(key);
        if (file.malformed > 0) {
            log.warn("Finished {}: {} rows, {} malformed rows {}", file.path, file.rows, file.malformed,
                    config.errorsTopic() == null ? "dropped (no errors.topic)" : "sent to " + config.errorsTopic());
        } else {
            log.info("Finished {}: {} rows", file.path, file.rows);
        }
        if (out.size() > firstOfFile) {
            int last = out.size() - 1;
            SourceRecord r = out.get(last);
            Map<String, Object> offset = new HashMap<>(r.sourceOffset());
            offset.put(OFFSET_EOF, Boolean.TRUE);
            out.set(last, new SourceRecord(r.sourcePartition(), offset, r.topic(), r.kafkaPartition(), r.keySchema(),
                    r.key(), r.valueSchema(), r.value(), r.timestamp(), r.headers()));
        } else {
            // Nothing left to write from this file (e.g. trailing blank lines): no record to wait for.
            move(file.path, config.finishedPath());
        }
    }

    // ---- errors --------------------------------------------------------------------------------------------

    private void reject(Path path, Map<String, String> partition, String key, long line, String raw, String type,
                        String message, List<SourceRecord> out) {
        done.add(key);
        Path movedTo = move(path, config.errorPath());
        log.error("Rejected file {} ({} error at line {}): {}{}", path, type, line, message,
                movedTo != null ? "; moved to " + movedTo : "");
        if (config.errorsTopic() != null) {
            Map<String, Object> offset = Map.of(OFFSET_LINE, line, OFFSET_EOF, Boolean.TRUE, OFFSET_REJECTED, Boolean.TRUE);
            out.add(errorRecord(path, partition, offset, line, raw, type, message));
        }
    }

    private SourceRecord errorRecord(Path path, Map<String, String> partition, Map<String, Object> offset, long line,
                                     String raw, String type, String message) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(HEADER_TYPE, type);
        headers.addString(HEADER_FILE, path.toString());
        headers.addLong(HEADER_LINE, line);
        headers.addString(HEADER_MESSAGE, message);
        return new SourceRecord(partition, offset, config.errorsTopic(), null, Schema.STRING_SCHEMA,
                path.getFileName().toString(), Schema.STRING_SCHEMA, raw, null, headers);
    }

    // ---- moving files --------------------------------------------------------------------------------------

    private void moveAcked() {
        Path path;
        while ((path = acked.poll()) != null) {
            move(path, config.finishedPath());
        }
    }

    /** Moves a file into dir (if dir is set and the file still exists); returns where it went, or null. */
    private Path move(Path path, Path dir) {
        if (dir == null || !Files.exists(path)) {
            return null;
        }
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(path.getFileName());
            if (Files.exists(target)) {
                target = dir.resolve(path.getFileName() + "." + System.currentTimeMillis());
            }
            Files.move(path, target);
            return target;
        } catch (IOException e) {
            log.error("Cannot move {} to {}: {}", path, dir, e.toString());
            return null;
        }
    }

    private void closeCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
