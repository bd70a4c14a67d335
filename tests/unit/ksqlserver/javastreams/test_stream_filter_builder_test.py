"""ksqlDB 0.29's StreamFilterBuilderTest (io.confluent.ksql.execution.streams).

StreamFilterBuilder: transformValues(SqlPredicate's transformer) then filter(present) and mapValues(get):
a row passes only when the predicate is true; a null value never passes; a predicate that fails is logged
("Error evaluating predicate <expr>", the cause) and the row dropped. The schema is the source's."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Streams


def test_should_filter_source_stream(make_streams: Callable[..., Streams]) -> None:
    """shouldFilterSourceStream / shouldReturnCorrectSchema / shouldBuildSqlPredicateCorrectly /
    shouldUseCorrectNameForProcessingLogger."""
    ks = make_streams(processing_log=True)
    ks.sql("CREATE STREAM S (K STRING KEY, V INT, W INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE STREAM O AS SELECT * FROM S WHERE 10 / W > 1;")
    assert ks.schema("O") == "`K` STRING KEY, `V` INTEGER, `W` INTEGER"
    ks.insert("S", {"K": "a", "V": 1, "W": 0, "ROWTIME": 100})
    ks.insert("S", {"K": "b", "V": 2, "W": 2, "ROWTIME": 200})
    ks.insert("S", {"K": "c", "V": 3, "W": None, "ROWTIME": 300})
    ks.insert("S", {"K": "d", "V": 4, "W": 10, "ROWTIME": 400})
    ks.produce("s", b'"e"', None, 500)
    assert ks.records("O") == [("b", {"V": 2, "W": 2}, 200)]
    # W = 0 throws "/ by zero"; a null W throws too: the generated `(10 / var0)` unboxes it (SqlToJavaVisitor)
    log, npe = ks.processing_log()
    assert log["recordProcessingError"]["errorMessage"] == "Error evaluating predicate ((10 / W) > 1)"
    assert log["recordProcessingError"]["cause"] == ["/ by zero"]
    assert npe["recordProcessingError"]["errorMessage"] == "Error evaluating predicate ((10 / W) > 1)"
