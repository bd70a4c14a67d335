/*
 * fraudlab's oracle glue (our code, not ksqlDB's): runs QTT-format files through ksqlDB's own
 * TestExecutor and prints one JSON line per expanded case:
 *   {"file", "name", "verdict": "pass"|"fail"|"error", "reason", "actual"?}
 * With --actual the case is run a second time without its expectations (outputs, expectedException,
 * post) and "actual" holds what the real engine did: {"exception": {"type", "message"}} or
 * {"topics": {topic: [records]}, "sources": [{name, type, schema}]}.
 * It lives in TestExecutor's package only to reach package-level types; nothing of ksqlDB is changed.
 */
package io.confluent.ksql.test.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.confluent.ksql.engine.KsqlEngine;
import io.confluent.ksql.metastore.model.DataSource;
import io.confluent.ksql.test.model.TestCaseNode;
import io.confluent.ksql.test.model.TestFileContext;
import io.confluent.ksql.test.model.WindowData;
import io.confluent.ksql.test.tools.conditions.PostConditions;
import io.confluent.ksql.test.tools.stubs.StubKafkaService;
import io.confluent.ksql.util.BytesUtils;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.kstream.Windowed;

public final class FraudlabOracle {

  // ksqlDB's test mapper (exact decimals, KSQL types), but writing empty strings/collections too:
  // TestJsonMapper's NON_EMPTY inclusion would drop a "" field from a recorded value
  private static final ObjectMapper MAPPER = TestJsonMapper.INSTANCE.get()
      .setSerializationInclusion(JsonInclude.Include.ALWAYS);
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;

  private static final String UPGRADE_FROM =
      System.getProperty("oracle.upgrade.from", "3.4");

  private FraudlabOracle() {
  }

  public static void main(final String[] args) throws Exception {
    boolean actual = false;
    final List<String> files = new ArrayList<>();
    for (final String a : args) {
      if (a.equals("--actual")) {
        actual = true;
      } else {
        files.add(a);
      }
    }
    final PrintWriter out = new PrintWriter(new BufferedWriter(
        new OutputStreamWriter(System.out, StandardCharsets.UTF_8)), false);
    for (final String f : files) {
      runFile(Paths.get(f), actual, out);
      out.flush();
    }
    out.flush();
    System.exit(0);
  }

  private static void runFile(final Path path, final boolean actual, final PrintWriter out) {
    final List<String> lines;
    final JsonNode root;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
      root = MAPPER.readTree(String.join("\n", lines));
    } catch (final Exception e) {
      emit(out, path, -1, "<file>", "error", "unreadable: " + describe(e), null);
      return;
    }
    final TestFileContext ctx = new TestFileContext(path.getFileName(), lines);
    final JsonNode tests = root.get("tests");
    if (tests == null || !tests.isArray()) {
      emit(out, path, -1, "<file>", "error", "no tests array", null);
      return;
    }
    int index = -1;
    for (final JsonNode testJson : tests) {
      index++;
      final List<TestCase> cases;
      try {
        cases = build(testJson, ctx);
      } catch (final Exception e) {
        final JsonNode n = testJson.get("name");
        emit(out, path, index, n == null ? "<unnamed>" : n.asText(), "error",
            "could not build test: " + describe(e), null);
        continue;
      }
      for (int i = 0; i < cases.size(); i++) {
        final TestCase tc = cases.get(i);
        String verdict = "pass";
        String reason = "";
        try (TestExecutor ex = executor(true)) {
          ex.buildAndExecuteQuery(tc, TestExecutionListener.noOp());
        } catch (final AssertionError e) {
          verdict = "fail";
          reason = describe(e);
        } catch (final Throwable e) {
          verdict = "error";
          reason = describe(e);
        }
        ObjectNode act = null;
        if (actual) {
          act = runActual(strip(tc));
        }
        emit(out, path, index, tc.getName(), verdict, reason, act);
      }
    }
  }

  private static List<TestCase> build(final JsonNode testJson, final TestFileContext ctx)
      throws Exception {
    final TestCaseNode node = MAPPER.treeToValue(testJson, TestCaseNode.class);
    return TestCaseBuilder.buildTests(node, ctx.getOriginalFileName(), ctx::getTestLocation);
  }

  /**
   * The case without its expectations (no outputs, expected exception or post conditions), so that
   * the engine's own outcome can be recorded; topics, inputs, statements and properties unchanged.
   */
  private static TestCase strip(final TestCase tc) {
    return new TestCase(
        tc.getTestLocation(),
        tc.getOriginalFileName(),
        tc.getName(),
        tc.getVersionBounds(),
        tc.properties(),
        tc.getTopics(),
        tc.getInputRecords(),
        ImmutableList.of(),
        tc.statements(),
        Optional.empty(),
        PostConditions.NONE
    );
  }

  private static ObjectNode runActual(final TestCase tc) {
    final ObjectNode act = NF.objectNode();
    try (TestExecutor ex = executor(false)) {
      try {
        ex.buildAndExecuteQuery(tc, TestExecutionListener.noOp());
      } catch (final Throwable e) {
        final ObjectNode exc = act.putObject("exception");
        exc.put("type", e.getClass().getName());
        exc.put("message", String.valueOf(e.getMessage()));
        return act;
      }
      final StubKafkaService kafka = (StubKafkaService) field(ex, "kafka");
      final TopicInfoCache cache = (TopicInfoCache) field(ex, "topicInfoCache");
      final KsqlEngine engine = (KsqlEngine) field(ex, "ksqlEngine");
      final Set<String> inputTopics = new HashSet<>();
      for (final Record r : tc.getInputRecords()) {
        inputTopics.add(r.getTopicName());
      }
      final ObjectNode topics = act.putObject("topics");
      for (final TopicInfoCache.TopicInfo ti : cache.all()) {
        final String topic = ti.getTopicName();
        if (inputTopics.contains(topic) || kafka.getTopic(topic) == null) {
          continue;
        }
        final ArrayNode recs = topics.putArray(topic);
        for (final ProducerRecord<byte[], byte[]> rec : kafka.readRecords(topic)) {
          recs.add(record(rec, ti, tc.properties()));
        }
      }
      final ArrayNode sources = act.putArray("sources");
      for (final DataSource ds : engine.getMetaStore().getAllDataSources().values()) {
        final ObjectNode s = sources.addObject();
        s.put("name", ds.getName().text());
        s.put("type", ds.getDataSourceType().getKsqlType());
        s.put("schema", ds.getSchema().toString());
      }
    } catch (final Throwable e) {
      final ObjectNode exc = act.putObject("harness_error");
      exc.put("type", e.getClass().getName());
      exc.put("message", String.valueOf(e.getMessage()));
    }
    return act;
  }

  private static ObjectNode record(
      final ProducerRecord<byte[], byte[]> rec,
      final TopicInfoCache.TopicInfo ti,
      final Map<String, Object> props
  ) {
    final ObjectNode o = NF.objectNode();
    o.put("topic", rec.topic());
    Object key;
    Object value;
    try {
      key = ti.getKeyDeserializer(props).deserialize(rec.topic(), rec.key());
    } catch (final Exception e) {
      o.put("key_error", describe(e));
      key = null;
    }
    try {
      value = ti.getValueDeserializer(props).deserialize(rec.topic(), rec.value());
    } catch (final Exception e) {
      o.put("value_error", describe(e));
      value = null;
    }
    ObjectNode window = null;
    if (key instanceof Windowed) {
      final Windowed<?> w = (Windowed<?>) key;
      final WindowData wd = new WindowData(w);
      window = NF.objectNode();
      window.put("start", wd.start);
      window.put("end", wd.end);
      window.put("type", wd.type.name().toLowerCase());
      key = w.key();
    }
    o.set("key", MAPPER.valueToTree(coerce(key)));
    o.set("value", MAPPER.valueToTree(coerce(value)));
    o.put("timestamp", rec.timestamp());
    if (window != null) {
      o.set("window", window);
    }
    final ArrayNode headers = NF.arrayNode();
    for (final Header h : rec.headers()) {
      final ObjectNode hn = headers.addObject();
      hn.put("KEY", h.key());
      if (h.value() == null) {
        hn.putNull("VALUE");
      } else {
        hn.put("VALUE", Base64.getEncoder().encodeToString(h.value()));
      }
    }
    if (headers.size() > 0) {
      o.set("headers", headers);
    }
    return o;
  }

  /** As TestExecutor.coerceRecordFields: BYTES fields compare as base64 text. */
  @SuppressWarnings("unchecked")
  private static Object coerce(final Object v) {
    if (v instanceof ByteBuffer) {
      final byte[] b = BytesUtils.getByteArray((ByteBuffer) v);
      return b == null || b.length == 0 ? null : BytesUtils.encode(b, BytesUtils.Encoding.BASE64);
    }
    if (!(v instanceof Map)) {
      return v;
    }
    final Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) v);
    m.replaceAll((k, x) -> x instanceof ByteBuffer ? coerce(x) : x);
    return m;
  }

  /**
   * TestExecutor as ksqlDB's functional tests create it, plus upgrade.from=3.4: Apache Kafka Streams
   * 3.5.1 would otherwise merge a table re-aggregation's subtract/add into one record (KIP-904), where
   * Confluent's 7.5.0-ccs build, which ksqlDB 0.29 ships with, emits two (its own expected outputs).
   */
  @SuppressWarnings("unchecked")
  private static TestExecutor executor(final boolean validate) throws Exception {
    final TestExecutor ex = TestExecutor.create(validate, Optional.empty());
    final Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) field(ex, "config"));
    config.put("upgrade.from", UPGRADE_FROM);
    final Field f = TestExecutor.class.getDeclaredField("config");
    f.setAccessible(true);
    f.set(ex, config);
    return ex;
  }

  private static Object field(final Object o, final String name) throws Exception {
    final Field f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(o);
  }

  private static String describe(final Throwable e) {
    final StringBuilder sb = new StringBuilder(e.getClass().getName() + ": " + e.getMessage());
    Throwable c = e.getCause();
    int depth = 0;
    while (c != null && c != e && depth++ < 5) {
      sb.append("\ncaused by ").append(c.getClass().getName()).append(": ").append(c.getMessage());
      c = c.getCause();
    }
    return sb.toString();
  }

  private static void emit(final PrintWriter out, final Path file, final int index, final String name,
      final String verdict, final String reason, final ObjectNode actual) {
    final ObjectNode o = NF.objectNode();
    o.put("file", file.toString());
    o.put("test_index", index);
    o.put("name", name);
    o.put("verdict", verdict);
    o.put("reason", reason);
    if (actual != null) {
      o.set("actual", actual);
    }
    try {
      out.println(MAPPER.writeValueAsString(o));
      out.flush();
    } catch (final Exception e) {
      final StringWriter sw = new StringWriter();
      e.printStackTrace(new PrintWriter(sw));
      out.println("{\"name\":\"" + name.replace("\"", "'") + "\",\"verdict\":\"error\",\"reason\":"
          + "\"could not serialize\"}");
    }
  }
}
