package io.fraudlab.connect.csv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One typed column; {@link #parseList} reads the {@code schema.columns} syntax {@code Name:TYPE,...}. */
public record Column(String name, ColumnType type) {

    public Column {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("column name is empty");
        }
    }

    /** Parses "Time:FLOAT64,V1:FLOAT64,Class:INT32"; a missing ":TYPE" means STRING. */
    public static List<Column> parseList(String spec) {
        List<Column> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int position = 0;
        for (String item : spec.split(",", -1)) {
            position++;
            String entry = item.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("entry " + position + " of schema.columns is empty");
            }
            int colon = entry.lastIndexOf(':');
            String name = colon < 0 ? entry : entry.substring(0, colon).trim();
            ColumnType type;
            try {
                type = colon < 0 ? ColumnType.STRING : ColumnType.parse(entry.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry " + position + " '" + entry + "' of schema.columns: "
                        + e.getMessage(), e);
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException("entry " + position + " '" + entry + "' of schema.columns has no name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("column '" + name + "' appears twice in schema.columns");
            }
            columns.add(new Column(name, type));
        }
        return Collections.unmodifiableList(columns);
    }
}
