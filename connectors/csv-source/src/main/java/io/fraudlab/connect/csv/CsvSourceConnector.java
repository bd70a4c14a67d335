package io.fraudlab.connect.csv;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Reads CSV files dropped into a directory into a topic as typed Connect Structs. One task: a directory is
 * read file by file, in name order, so rows keep their file order in the topic.
 */
public class CsvSourceConnector extends SourceConnector {
    static final String VERSION = CsvSourceConnector.class.getPackage().getImplementationVersion() != null
            ? CsvSourceConnector.class.getPackage().getImplementationVersion() : "0.1.0";

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new CsvSourceConfig(props); // fail fast on a bad configuration
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CsvSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    /**
     * Exactly-once capable on a worker with {@code exactly.once.source.support=enabled}: every record carries
     * the offset (file version, line) it was read up to, a restarted task resumes right after the committed
     * line, and reading a file is deterministic, so records and offsets committed in one transaction per poll
     * (the worker's default {@code transaction.boundary=poll}) give each row exactly once.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public ConfigDef config() {
        return CsvSourceConfig.CONFIG_DEF;
    }

    /** Adds the cross-field checks (quote vs separator, header vs columns, key column) to the REST validation. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        boolean fieldErrors = config.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty());
        if (!fieldErrors) {
            try {
                new CsvSourceConfig(connectorConfigs);
            } catch (ConfigException e) {
                String name = offendingName(e.getMessage());
                ConfigValue target = config.configValues().stream()
                        .filter(v -> v.name().equals(name))
                        .findFirst().orElse(config.configValues().get(0));
                target.addErrorMessage(e.getMessage());
            }
        }
        return config;
    }

    /** ConfigException keeps the name only in its message: "Invalid value v for configuration NAME: why". */
    private static String offendingName(String message) {
        String marker = "for configuration ";
        int at = message == null ? -1 : message.indexOf(marker);
        if (at < 0) {
            return "";
        }
        int start = at + marker.length();
        int end = message.indexOf(':', start);
        return end < 0 ? message.substring(start) : message.substring(start, end);
    }

    @Override
    public String version() {
        return VERSION;
    }
}
