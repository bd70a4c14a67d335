package io.fraudlab.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;

/**
 * The Kafka Streams peer of fraudlab's KSQL benchmarks: the topologies ksqlDB would compile the three
 * benchmark statements to, written as a Kafka Streams developer would write them by hand.
 *
 * <ul>
 *   <li>{@code csas}: DELIMITED credit-card rows, {@code WHERE Amount > 0}, the projection Time, V1..V4,
 *       Amount, Class, written as JSON (ksql_throughput.py).
 *   <li>{@code windowed}: per card key, 1-minute tumbling windows (ksqlDB's default 24 h grace), COUNT
 *       and SUM(Amount), a key's latest value per commit interval (ksqlDB's record cache, as the engine), JSON
 *       (ksql_windowed.py).
 *   <li>{@code join}: transactions LEFT JOIN a users table (JSON {"REGION": ...}) on the key, JSON out
 *       (ksql_join.py).
 * </ul>
 *
 * <p>The JVM stays up across runs, so a first run of each workload warms it (JIT, class loading) and
 * later runs are timed. It reads commands on stdin and answers on stdout, one line each:
 * {@code run <workload> <guarantee> <application.id> <sink> <source> <users|-> [key=value ...]} starts
 * a fresh KafkaStreams instance with those client settings and answers {@code running <application.id>}; {@code stop <application.id>} closes it, deletes its local state and
 * answers {@code stopped <application.id>}; {@code quit} ends the process. The caller times a run from
 * its {@code run} line until the sink topic holds the last output record.
 */
public final class StreamsBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int AMOUNT = 29; // Time, V1..V28, Amount, Class
  private static final int CLASS = 30;

  private StreamsBench() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> opts = parseArgs(args);
    Map<String, KafkaStreams> running = new HashMap<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    System.out.flush();
    String line;
    while ((line = in.readLine()) != null) {
      String[] cmd = line.trim().split("\\s+");
      if (cmd.length == 0 || cmd[0].isEmpty()) {
        continue;
      }
      try {
        switch (cmd[0]) {
          case "run" -> {
            // run <workload> <guarantee> <application.id> <sink> <source> [<users>|-] [key=value ...]
            String workload = cmd[1];
            String appId = cmd[3];
            Map<String, String> settings = new HashMap<>();
            for (int i = 7; i < cmd.length; i++) {
              int eq = cmd[i].indexOf('=');
              settings.put(cmd[i].substring(0, eq), cmd[i].substring(eq + 1));
            }
            Topology topology = topology(workload, cmd[5], cmd[6].equals("-") ? null : cmd[6], cmd[4]);
            KafkaStreams streams = new KafkaStreams(topology, properties(opts, appId, cmd[2], settings));
            streams.setUncaughtExceptionHandler(
                e -> {
                  System.out.println("error " + appId + " " + e);
                  System.out.flush();
                  return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
                      .StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                });
            streams.start();
            running.put(appId, streams);
            System.out.println("running " + appId);
          }
          case "stop" -> {
            KafkaStreams streams = running.remove(cmd[1]);
            if (streams != null) {
              streams.close(Duration.ofSeconds(60));
              streams.cleanUp();
            }
            System.out.println("stopped " + cmd[1]);
          }
          case "quit" -> {
            running.values().forEach(s -> s.close(Duration.ofSeconds(30)));
            System.out.println("bye");
            System.out.flush();
            return;
          }
          default -> System.out.println("error unknown command " + cmd[0]);
        }
      } catch (RuntimeException e) {
        System.out.println("error " + line + ": " + e);
      }
      System.out.flush();
    }
  }

  static Properties properties(
      Map<String, String> opts, String appId, String guarantee, Map<String, String> settings) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, required(opts, "bootstrap-servers"));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    p.put(StreamsConfig.STATE_DIR_CONFIG, required(opts, "state-dir"));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // Every other client setting comes with the run command, so the settings of a run are all listed in
    // the benchmark's JSON and README.
    p.putAll(settings);
    return p;
  }

  static Topology topology(String workload, String source, String usersTopic, String sink) {
    StreamsBuilder builder = new StreamsBuilder();
    switch (workload) {
      case "csas" -> builder.stream(source, Consumed.with(Serdes.ByteArray(), Serdes.String()))
          .mapValues(StreamsBench::fields)
          .filter((k, f) -> f != null && Double.parseDouble(f[AMOUNT]) > 0)
          .mapValues(StreamsBench::projection)
          .to(sink, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
      case "windowed" -> builder.stream(source, Consumed.with(Serdes.String(), Serdes.String()))
          .mapValues(line -> {
            String[] f = fields(line);
            return f == null ? null : Double.valueOf(f[AMOUNT]);
          })
          .filter((k, amount) -> amount != null)
          .groupByKey(Grouped.with(Serdes.String(), Serdes.Double()))
          .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofHours(24)))
          .aggregate(
              () -> new CountSum(0, 0.0),
              (card, amount, agg) -> new CountSum(agg.count + 1, agg.sum + amount),
              Materialized.with(Serdes.String(), new CountSumSerde()))
          .toStream()
          .map((Windowed<String> key, CountSum agg) -> KeyValue.pair(key, countSum(agg)))
          .to(sink, Produced.with(
              WindowedSerdes.timeWindowedSerdeFrom(String.class, Duration.ofMinutes(1).toMillis()),
              Serdes.ByteArray()));
      case "join" -> {
        KTable<String, String> users = builder.table(
            usersTopic, Consumed.with(Serdes.String(), Serdes.serdeFrom(
                (Serializer<String>) (t, s) -> s.getBytes(StandardCharsets.UTF_8),
                (Deserializer<String>) (t, b) -> region(b))));
        builder.stream(source, Consumed.with(Serdes.String(), Serdes.String()))
            .mapValues(StreamsBench::fields)
            .filter((k, f) -> f != null)
            .leftJoin(users, StreamsBench::joined)
            .to(sink, Produced.with(Serdes.String(), Serdes.ByteArray()));
      }
      default -> throw new IllegalArgumentException(workload);
    }
    return builder.build();
  }

  /** The row's fields, or null for a line that is not a Kaggle row (dropped, as a bad record). */
  static String[] fields(String line) {
    if (line == null) {
      return null;
    }
    String[] f = line.split(",");
    return f.length == 31 ? f : null;
  }

  static String unquote(String s) {
    return s.length() >= 2 && s.charAt(0) == '"' ? s.substring(1, s.length() - 1) : s;
  }

  static byte[] projection(String[] f) {
    ObjectNode out = JSON.createObjectNode();
    out.put("TIME", Double.parseDouble(f[0]));
    out.put("V1", Double.parseDouble(f[1]));
    out.put("V2", Double.parseDouble(f[2]));
    out.put("V3", Double.parseDouble(f[3]));
    out.put("V4", Double.parseDouble(f[4]));
    out.put("AMOUNT", Double.parseDouble(f[AMOUNT]));
    out.put("CLASS", unquote(f[CLASS]));
    return bytes(out);
  }

  static byte[] countSum(CountSum agg) {
    ObjectNode out = JSON.createObjectNode();
    out.put("N", agg.count);
    out.put("TOTAL", agg.sum);
    return bytes(out);
  }

  static byte[] joined(String[] f, String region) {
    ObjectNode out = JSON.createObjectNode();
    out.put("AMOUNT", Double.parseDouble(f[AMOUNT]));
    out.put("CLASS", Integer.parseInt(unquote(f[CLASS])));
    if (region == null) {
      out.putNull("REGION");
    } else {
      out.put("REGION", region);
    }
    return bytes(out);
  }

  static String region(byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(value).get("REGION");
      return node == null || node.isNull() ? null : node.asText();
    } catch (IOException e) {
      return null; // a malformed user row joins as no user
    }
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The aggregate's state: COUNT(*) and SUM(Amount). */
  record CountSum(long count, double sum) {}

  static final class CountSumSerde implements Serde<CountSum> {
    @Override
    public Serializer<CountSum> serializer() {
      return (topic, v) -> v == null ? null
          : ByteBuffer.allocate(16).putLong(v.count).putDouble(v.sum).array();
    }

    @Override
    public Deserializer<CountSum> deserializer() {
      return (topic, b) -> {
        if (b == null) {
          return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new CountSum(buf.getLong(), buf.getDouble());
      };
    }
  }

  static Map<String, String> parseArgs(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    new File(required(opts, "state-dir")).mkdirs();
    return opts;
  }

  static String required(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return v;
  }
}
