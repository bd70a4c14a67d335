"""docs/how-to-guides/control-the-case-of-identifiers.md, "Backticks": the push query's header names and
rows the page shows (Avro values written by INSERT VALUES)."""

from __future__ import annotations

from typing import Any


def test_backticks(docs: Any) -> None:
    """Quoted identifiers keep their case (foo, BAR, Baz, Corge, garply); qux, unquoted, is QUX and may be
    referenced in any case."""
    h = docs()
    h.sql("CREATE STREAM `s2` (`foo` VARCHAR KEY, `BAR` INT, `Baz` VARCHAR, "
          "`grault` STRUCT<`Corge` VARCHAR, `garply` INT>, qux INT) "
          "WITH (kafka_topic = 's2', partitions = 1, value_format = 'avro');")  # fmt: skip
    for k, bar, baz, corge, garply, qux in [("k1", 1, "x", "v1", 5, 2), ("k2", 3, "y", "v2", 6, 4),
                                            ("k3", 5, "z", "v3", 8, 6)]:  # fmt: skip
        h.sql(f"INSERT INTO `s2` (`foo`, `BAR`, `Baz`, `grault`, qux) VALUES ('{k}', {bar}, '{baz}', "
              f"STRUCT(`Corge` := '{corge}', `garply` := {garply}), {qux});")
    sql = ("SELECT `foo`, `BAR`, `Baz`, `grault`->`Corge`, `grault`->`garply`, qux, QUX AS qux2 FROM `s2` "
           "EMIT CHANGES;")  # fmt: skip
    q = h.engine.start_query(sql)
    try:
        assert [name for name, _ in q.columns] == ["foo", "BAR", "Baz", "Corge", "garply", "QUX", "QUX2"]
    finally:
        q.close()
    assert h.push(sql) == [
        ["k1", 1, "x", "v1", 5, 2, 2], ["k2", 3, "y", "v2", 6, 4, 4], ["k3", 5, "z", "v3", 8, 6, 6],
    ]  # fmt: skip
