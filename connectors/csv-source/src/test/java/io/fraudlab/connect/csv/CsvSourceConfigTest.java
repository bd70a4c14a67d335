package io.fraudlab.connect.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class CsvSourceConfigTest {

    private static Map<String, String> base() {
        Map<String, String> props = new HashMap<>();
        props.put("input.path", "in");
        props.put("topic", "t");
        return props;
    }

    @Test
    void defaults() {
        CsvSourceConfig c = new CsvSourceConfig(base());
        assertEquals(',', c.separator());
        assertEquals('"', c.quote());
        assertTrue(c.hasHeader());
        assertEquals(1000, c.batchSize());
        assertNull(c.columns());
        assertNull(c.keyColumn());
        assertNull(c.errorsTopic());
        assertNull(c.finishedPath());
        assertTrue(c.filePattern().matcher("creditcard.csv").matches());
        assertTrue(!c.filePattern().matcher("creditcard.csv.tmp").matches());
        assertTrue(c.inputPath().isAbsolute());
    }

    @Test
    void tabSeparatorSpelledAsEscape() {
        Map<String, String> props = base();
        props.put("csv.separator", "\\t");
        assertEquals('\t', new CsvSourceConfig(props).separator());
    }

    @Test
    void crossFieldChecks() {
        Map<String, String> sameChar = base();
        sameChar.put("csv.quote", ",");
        assertThrows(ConfigException.class, () -> new CsvSourceConfig(sameChar));

        Map<String, String> noNames = base();
        noNames.put("csv.has.header", "false");
        assertThrows(ConfigException.class, () -> new CsvSourceConfig(noNames));

        Map<String, String> badKey = base();
        badKey.put("schema.columns", "A:INT32,B:STRING");
        badKey.put("key.column", "C");
        ConfigException e = assertThrows(ConfigException.class, () -> new CsvSourceConfig(badKey));
        assertTrue(e.getMessage().contains("key.column"), e.getMessage());
    }

    @Test
    void restValidationReportsErrorsOnTheRightKey() {
        Map<String, String> props = base();
        props.put("schema.columns", "A:INT32,B:STRING");
        props.put("key.column", "C");
        Config result = new CsvSourceConnector().validate(props);
        ConfigValue key = result.configValues().stream().filter(v -> v.name().equals("key.column")).findFirst()
                .orElseThrow();
        assertEquals(1, key.errorMessages().size(), key.errorMessages().toString());

        Map<String, String> badType = base();
        badType.put("schema.columns", "A:DECIMAL");
        Config typed = new CsvSourceConnector().validate(badType);
        List<String> errors = typed.configValues().stream().filter(v -> v.name().equals("schema.columns"))
                .findFirst().orElseThrow().errorMessages();
        assertTrue(errors.toString().contains("DECIMAL"), errors.toString());
    }
}
