"""ksqlDB 0.29 KeyUtilTest (ksqldb-execution, util): KeyUtil.asList, which turns a transient query's key into
the leading values of its row (QueryBuilder's queue): the key's columns, a null key as null, and a windowed
key followed by its window start and end."""

from __future__ import annotations

from .conftest import Exec


def test_should_convert_keys_to_list(ex: Exec) -> None:
    """shouldConvertNonWindowedKeyToList / shouldConvertNullKeyToList."""
    ex.topic("s")
    ex.run("CREATE STREAM S (K INT KEY, V INT) WITH (KAFKA_TOPIC='s', FORMAT='JSON');")
    ex.produce("s", [(b"10", {"V": 1}, 1500), (None, {"V": 2}, 1600)])
    assert ex.push("SELECT * FROM S EMIT CHANGES;") == [[10, 1], [None, 2]]


def test_should_convert_windowed_key_to_list(ex: Exec) -> None:
    """shouldConvertWindowedKeyToList: [10, 1000, 2000] for key 10 in the window [1000, 2000)."""
    ex.topic("s")
    ex.run("CREATE STREAM S (K INT KEY, V INT) WITH (KAFKA_TOPIC='s', FORMAT='JSON');")
    ex.run("CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;")
    ex.produce("s", [(b"10", {"V": 1}, 1500)])
    assert ex.push("SELECT * FROM W EMIT CHANGES;") == [[10, 1000, 2000, 1]]
