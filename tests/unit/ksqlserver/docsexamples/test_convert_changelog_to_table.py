"""docs/how-to-guides/convert-changelog-to-table.md: the changelog topic of its first table, read as a
SOURCE TABLE and as a stream materialized with LATEST_BY_OFFSET, and the pull queries' results the page
shows."""

from __future__ import annotations

from typing import Any

from .conftest import pull

CHANGES = [("k1", 0, "a", True), ("k2", 1, "b", False), ("k1", 2, "c", False), ("k3", 3, "d", True),
           ("k2", 4, "e", True)]  # fmt: skip
LATEST = [["k1", 2, "c", False], ["k2", 4, "e", True], ["k3", 3, "d", True]]


def test_materializing_a_changelog_topic(docs: Any) -> None:
    """"Materializing a changelog topic": a pull query on the SOURCE TABLE gives each key's latest values,
    and one on key k2 its row."""
    h = docs()
    h.ensure_topics("changelog")
    h.sql("CREATE SOURCE TABLE latest_view (k VARCHAR PRIMARY KEY, v1 INT, v2 VARCHAR, v3 BOOLEAN) "
          "WITH (kafka_topic = 'changelog', partitions = 1, value_format = 'JSON');")  # fmt: skip
    for n, (k, v1, v2, v3) in enumerate(CHANGES):
        h.produce("changelog", k, {"V1": v1, "V2": v2, "V3": v3}, 1000 + n)
    assert pull(h, "SELECT * FROM latest_view;") == LATEST
    assert pull(h, "SELECT * FROM latest_view WHERE k = 'k2';") == [["k2", 4, "e", True]]


def test_materializing_a_changelog_stream(docs: Any) -> None:
    """"Materializing a changelog STREAM": the INSERT VALUES rows, a pull query (scan) of the stream in
    offset order, and the LATEST_BY_OFFSET table's pull query."""
    h = docs()
    h.sql("CREATE STREAM changelog_stream (k VARCHAR KEY, v1 INT, v2 VARCHAR, v3 BOOLEAN) "
          "WITH (kafka_topic = 'changelog_stream', partitions = 1, value_format = 'JSON');")  # fmt: skip
    for k, v1, v2, v3 in CHANGES:
        h.sql(f"INSERT INTO changelog_stream (k, v1, v2, v3) VALUES ('{k}', {v1}, '{v2}', {str(v3).lower()});")
    assert pull(h, "SELECT * FROM changelog_stream;") == [list(c) for c in CHANGES]
    h.sql("CREATE TABLE latest_events AS SELECT k, LATEST_BY_OFFSET(v1) AS v1, LATEST_BY_OFFSET(v2) AS v2, "
          "LATEST_BY_OFFSET(v3) AS v3 FROM changelog_stream GROUP BY k EMIT CHANGES;")  # fmt: skip
    assert pull(h, "SELECT * FROM latest_events;") == LATEST
