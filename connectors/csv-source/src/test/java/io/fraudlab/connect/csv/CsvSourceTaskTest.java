package io.fraudlab.connect.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTaskTest {
    private static final String HEADER = "\"Time\",\"V1\",\"Amount\",\"Class\"";
    private static final String COLUMNS = "Time:FLOAT64,V1:FLOAT64,Amount:FLOAT64,Class:INT32";

    @TempDir
    Path dir;
    private static final JsonConverter KEYS = new JsonConverter();

    static {
        KEYS.configure(Map.of("schemas.enable", "false", "converter.type", "key"));
    }

    /** Offsets the fake worker "committed", keyed like the worker's offset store: by the serialized
     * [connector, partition] (JSON in the partition map's iteration order), not by map equality. */
    private final Map<String, Map<String, Object>> committed = new HashMap<>();

    static String storageKey(Map<String, ?> partition) {
        return new String(KEYS.fromConnectData("", null, List.of("csv", partition)), StandardCharsets.UTF_8);
    }

    private void commit(SourceRecord r) {
        committed.put(storageKey(r.sourcePartition()), new HashMap<>(r.sourceOffset()));
    }
    private CsvSourceTask task;

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    private Map<String, String> props() {
        Map<String, String> p = new HashMap<>();
        p.put("input.path", dir.resolve("in").toString());
        p.put("topic", "rows");
        p.put("schema.columns", COLUMNS);
        p.put("errors.topic", "rows-dlq");
        p.put("finished.path", dir.resolve("done").toString());
        p.put("error.path", dir.resolve("failed").toString());
        p.put("poll.interval.ms", "10");
        return p;
    }

    private CsvSourceTask start(Map<String, String> props) {
        task = new CsvSourceTask();
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return props;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return committed.get(storageKey(partition));
                    }

                    @Override
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> ps) {
                        throw new UnsupportedOperationException();
                    }
                };
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        });
        task.start(props);
        return task;
    }

    private Path write(String name, String... lines) throws IOException {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        return Files.writeString(in.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /** Polls until a poll comes back empty, acknowledging every record like the worker does. */
    private List<SourceRecord> drain() throws Exception {
        List<SourceRecord> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            List<SourceRecord> batch = task.poll();
            if (batch == null) {
                if (task.poll() == null) { // a second empty poll also runs the pending moves
                    return all;
                }
                continue;
            }
            for (SourceRecord r : batch) {
                commit(r);
                task.commitRecord(r, null);
            }
            all.addAll(batch);
        }
        throw new AssertionError("task never went idle");
    }

    private static String header(SourceRecord r, String key) {
        Header h = r.headers().lastWithName(key);
        return h == null ? null : String.valueOf(h.value());
    }

    @Test
    void readsKaggleFormattedRowsAsTypedStructs() throws Exception {
        write("cc.csv", HEADER, "0,-1.3598071336738,149.62,\"0\"", "1e+05,-2.68638196892377e-05,2.69,\"1\"");
        start(props());
        List<SourceRecord> records = drain();
        assertEquals(2, records.size());
        Struct first = (Struct) records.get(0).value();
        assertEquals(0.0, first.get("Time"));
        assertEquals(-1.3598071336738, first.get("V1"));
        assertEquals(149.62, first.get("Amount"));
        assertEquals(0, first.get("Class"));
        Struct second = (Struct) records.get(1).value();
        assertEquals(100000.0, second.get("Time"));
        assertEquals(-2.68638196892377e-05, second.get("V1"));
        assertEquals(1, second.get("Class"));
        assertEquals("rows", records.get(0).topic());
        assertEquals(List.of("Time", "V1", "Amount", "Class"),
                first.schema().fields().stream().map(f -> f.name()).collect(Collectors.toList()));
        assertEquals(2L, records.get(0).sourceOffset().get("line"));
        assertEquals(Boolean.TRUE, records.get(1).sourceOffset().get("eof"));
        assertFalse(Files.exists(dir.resolve("in/cc.csv")));
        assertTrue(Files.exists(dir.resolve("done/cc.csv")));
    }

    @Test
    void headerOnlyNamesGiveStringColumnsAndKey() throws Exception {
        write("users.csv", "id,name", "7,Kai", "8,\"Flo, Jr.\"");
        Map<String, String> p = props();
        p.remove("schema.columns");
        p.put("key.column", "id");
        start(p);
        List<SourceRecord> records = drain();
        assertEquals(2, records.size());
        assertEquals("7", records.get(0).key());
        assertEquals("Flo, Jr.", ((Struct) records.get(1).value()).get("name"));
    }

    @Test
    void noHeaderUsesDeclaredColumns() throws Exception {
        write("plain.csv", "1,2.5,3,0", "2,3.5,4,1");
        Map<String, String> p = props();
        p.put("csv.has.header", "false");
        start(p);
        List<SourceRecord> records = drain();
        assertEquals(2, records.size());
        assertEquals(1L, records.get(0).sourceOffset().get("line"));
        assertEquals(2.0, ((Struct) records.get(1).value()).get("Time"));
    }

    @Test
    void wrongHeaderRejectsTheFileWithOneDeadLetterAndGoesOn() throws Exception {
        write("a_bad.csv", "\"Time\",\"V2\",\"Amount\",\"Class\"", "0,1,2,0");
        write("b_good.csv", HEADER, "0,1,2,0");
        start(props());
        List<SourceRecord> records = drain();
        assertEquals(2, records.size());
        SourceRecord dead = records.get(0);
        assertEquals("rows-dlq", dead.topic());
        assertEquals("header", header(dead, "error.type"));
        assertEquals("1", header(dead, "error.line"));
        assertTrue(header(dead, "error.file").endsWith("a_bad.csv"));
        String message = header(dead, "error.message");
        assertTrue(message.contains("column 2 is 'V2'") && message.contains("'V1'"), message);
        assertEquals("rows", records.get(1).topic());
        assertTrue(Files.exists(dir.resolve("failed/a_bad.csv")));
        assertTrue(Files.exists(dir.resolve("done/b_good.csv")));
    }

    @Test
    void missingColumnIsNamed() {
        String problem = CsvSourceTask.headerMismatch(new String[] {"Time", "V1", "Amount"},
                Column.parseList(COLUMNS));
        assertTrue(problem.contains("first missing column: 'Class'"), problem);
    }

    @Test
    void malformedRowsGoToTheDeadLetterTopicWithTheirLineNumbers() throws Exception {
        write("cc.csv", HEADER, "0,1,2,0", "0,1,2", "0,abc,2,0", "", "0,1,2,\"1", "3,1,2,1");
        start(props());
        List<SourceRecord> records = drain();
        List<SourceRecord> good = records.stream().filter(r -> r.topic().equals("rows")).toList();
        List<SourceRecord> bad = records.stream().filter(r -> r.topic().equals("rows-dlq")).toList();
        assertEquals(2, good.size());
        assertEquals(3, bad.size());
        assertEquals(List.of("3", "4", "6"), bad.stream().map(r -> header(r, "error.line")).toList());
        assertEquals("0,1,2", bad.get(0).value());
        assertTrue(header(bad.get(0), "error.message").contains("expected 4 fields but found 3"));
        assertTrue(header(bad.get(1), "error.message").contains("column 2 'V1': 'abc' is not a number"));
        assertTrue(header(bad.get(2), "error.message").contains("unterminated"));
        assertEquals(3.0, ((Struct) good.get(1).value()).get("Time"));
        assertTrue(Files.exists(dir.resolve("done/cc.csv")));
    }

    @Test
    void batchesRespectBatchSizeAndTheLastRowCarriesTheEndMark() throws Exception {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        IntStream.range(0, 25).forEach(i -> lines.add(i + ",0.5,1.0,0"));
        write("cc.csv", lines.toArray(new String[0]));
        Map<String, String> p = props();
        p.put("batch.size", "10");
        start(p);
        assertEquals(10, task.poll().size());
        assertEquals(10, task.poll().size());
        List<SourceRecord> last = task.poll();
        assertEquals(5, last.size());
        assertEquals(Boolean.TRUE, last.get(4).sourceOffset().get("eof"));
        assertEquals(26L, last.get(4).sourceOffset().get("line"));
        assertNull(task.poll());
        // not acknowledged yet, so the file must not have been moved
        assertTrue(Files.exists(dir.resolve("in/cc.csv")));
    }

    @Test
    void restartResumesAfterTheCommittedLine() throws Exception {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        IntStream.range(0, 6).forEach(i -> lines.add(i + ",0.5,1.0,0"));
        write("cc.csv", lines.toArray(new String[0]));
        Map<String, String> p = props();
        p.put("batch.size", "4");
        start(p);
        for (SourceRecord r : task.poll()) {
            commit(r);
        }
        task.stop();
        start(p);
        List<SourceRecord> rest = drain();
        assertEquals(List.of(4.0, 5.0), rest.stream().map(r -> ((Struct) r.value()).get("Time")).toList());
    }

    @Test
    void fileMarkedFinishedInOffsetsIsNotReadAgain() throws Exception {
        write("cc.csv", HEADER, "0,1,2,0");
        Map<String, String> p = props();
        p.remove("finished.path");
        start(p);
        assertEquals(1, drain().size());
        assertTrue(Files.exists(dir.resolve("in/cc.csv")));
        task.stop();
        start(p); // a new task knows the file only through the committed offsets
        assertEquals(0, drain().size());
    }

    @Test
    void idleTaskReturnsNullAndPicksUpNewFiles() throws Exception {
        start(props());
        assertNull(task.poll());
        write("late.csv", HEADER, "0,1,2,0");
        assertEquals(1, drain().size());
    }

    @Test
    void hiddenAndNonMatchingFilesAreIgnored() throws Exception {
        write(".partial.csv", HEADER, "0,1,2,0");
        write("notes.txt", HEADER, "0,1,2,0");
        start(props());
        assertEquals(0, drain().size());
    }

    @Test
    void fileCommittedAsFinishedButNotMovedIsMovedWithoutRereading() throws Exception {
        Path file = write("cc.csv", HEADER, "0,1,2,0");
        start(props());
        List<SourceRecord> first = task.poll();
        assertEquals(1, first.size());
        // the worker committed the end mark, then died before acknowledging (so before the move)
        commit(first.get(0));
        task.stop();
        assertTrue(Files.exists(file));
        start(props());
        assertEquals(0, drain().size());
        assertFalse(Files.exists(file));
        assertTrue(Files.exists(dir.resolve("done/cc.csv")));
    }

    @Test
    void newFileWithAFinishedFilesNameIsRead() throws Exception {
        write("cc.csv", HEADER, "0,1,2,0");
        start(props());
        assertEquals(1, drain().size());
        write("cc.csv", HEADER, "1,1,2,0", "2,1,2,0");
        List<SourceRecord> again = drain();
        assertEquals(2, again.size());
        assertTrue(Files.exists(dir.resolve("done/cc.csv")));
        try (var names = Files.list(dir.resolve("done"))) {
            assertEquals(2, names.count()); // the second one got a suffix instead of overwriting
        }
    }

    @Test
    void sourcePartitionSerializesTheSameInEveryJvm() {
        // the worker finds offsets by these bytes; a per-JVM order (Map.of) lost them on every other restart
        String key = storageKey(CsvFile.partition(Path.of("/in/cc.csv"), "12-34"));
        assertEquals("[\"csv\",{\"file\":\"/in/cc.csv\",\"version\":\"12-34\"}]", key);
        assertEquals(List.of("file", "version"),
                List.copyOf(CsvFile.partition(Path.of("/in/cc.csv"), "12-34").keySet()));
    }

    @Test
    void resumesFromOffsetsStoredUnderTheReversedKeyOrder() throws Exception {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        IntStream.range(0, 6).forEach(i -> lines.add(i + ",0.5,1.0,0"));
        Path file = write("cc.csv", lines.toArray(new String[0]));
        var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        String version = attrs.size() + "-" + attrs.lastModifiedTime().toMillis();
        Path abs = file.toAbsolutePath().normalize();
        // as an older release stored it from a JVM whose Map.of iterated version first: lines up to 4 written
        committed.put(storageKey(CsvFile.reversedPartition(abs, version)), new HashMap<>(Map.of("line", 4L)));
        start(props());
        List<SourceRecord> rest = drain();
        assertEquals(List.of(3.0, 4.0, 5.0), rest.stream().map(r -> ((Struct) r.value()).get("Time")).toList());
        // and what this release commits is under the canonical order
        assertTrue(committed.containsKey(storageKey(CsvFile.partition(abs, version))));
    }

    @Test
    void theFurtherOfTwoStoredOffsetsWins() {
        Map<String, Object> three = Map.of("line", 3L);
        Map<String, Object> nine = Map.of("line", 9L);
        Map<String, Object> end = Map.of("line", 2L, "eof", true);
        assertEquals(nine, CsvSourceTask.further(three, nine));
        assertEquals(nine, CsvSourceTask.further(nine, three));
        assertEquals(end, CsvSourceTask.further(nine, end));
        assertEquals(three, CsvSourceTask.further(null, three));
        assertNull(CsvSourceTask.further(null, null));
    }
}
