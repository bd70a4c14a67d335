"""ksqlDB 0.29 io.confluent.ksql.integration.ReplaceIntTest (and ReplaceWithSharedRuntimesIntTest, the same
tests with ksql.runtime.feature.shared.enabled true: the parameter below) on our engine.

CREATE OR REPLACE of a query keeps its query id, so its consumer group's offsets: the replacement goes on from
where the old query stopped, and the sink's earlier rows stay (read back through the new schema, a missing
field is null).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.catalog.types import VALUE, Column, parse_type

PROVIDER_SQL = "k VARCHAR KEY, col1 VARCHAR, col2 INT"
INPUT_TOPIC = "Orders"
OUTPUT_TOPIC = "output"


@pytest.fixture(params=["false", "true"], ids=["ReplaceIntTest", "ReplaceWithSharedRuntimesIntTest"])
def h(request: pytest.FixtureRequest, harness_factory: Callable[..., Any]) -> Any:
    """ReplaceIntTest.before."""
    h = harness_factory(
        {"ksql.create.or.replace.enabled": "true", "ksql.runtime.feature.shared.enabled": request.param}
    )
    h.ensure_topics(INPUT_TOPIC)
    h.sql(f"CREATE STREAM source ({PROVIDER_SQL}) WITH (kafka_topic='{INPUT_TOPIC}', value_format='JSON');")
    return h


def produce(h: Any, k: str, col1: str, col2: int) -> None:
    """ReplaceIntTest.Provider: one row of (K STRING KEY, COL1 STRING, COL2 INT), as JSON."""
    h.produce(INPUT_TOPIC, k, {"COL1": col1, "COL2": col2}, 0)


def for_source(h: Any, name: str) -> dict[Any, Any]:
    h.drain()
    assert h.source(name).topic == OUTPUT_TOPIC
    return h.unique_values(name)


def test_should_replace_ddl(h: Any) -> None:
    """ReplaceIntTest.shouldReplaceDDL."""
    h.sql(
        f"CREATE OR REPLACE STREAM source ({PROVIDER_SQL}, col3 BIGINT) "
        f"WITH (kafka_topic='{INPUT_TOPIC}', value_format='JSON');"
    )
    value = h.source("SOURCE").schema.value
    assert len(value) == 3
    assert value[2] == Column("COL3", parse_type("BIGINT"), VALUE)


def test_should_replace_simple_project(h: Any) -> None:
    """ReplaceIntTest.shouldReplaceSimpleProject."""
    h.sql(f"CREATE STREAM project WITH(kafka_topic='{OUTPUT_TOPIC}') AS SELECT k, col1 FROM source;")
    produce(h, "1", "A", 1)
    assert for_source(h, "PROJECT") == {"1": ("A",)}

    h.sql(
        f"CREATE OR REPLACE STREAM project WITH(kafka_topic='{OUTPUT_TOPIC}') AS SELECT k, col1, col2 FROM source;"
    )
    produce(h, "2", "B", 2)
    assert for_source(h, "PROJECT") == {
        "1": ("A", None),  # leftover from the original query
        "2": ("B", 2),  # from the new query
    }


def test_should_replace_simple_filter(h: Any) -> None:
    """ReplaceIntTest.shouldReplaceSimpleFilter."""
    h.sql(f"CREATE STREAM project WITH(kafka_topic='{OUTPUT_TOPIC}') AS SELECT k, col1 FROM source;")
    produce(h, "1", "A", 1)
    assert for_source(h, "PROJECT") == {"1": ("A",)}

    h.sql(
        f"CREATE OR REPLACE STREAM project WITH(kafka_topic='{OUTPUT_TOPIC}') AS "
        "SELECT k, col1 FROM source WHERE col1 <> 'A';"
    )
    produce(h, "2", "A", 2)  # filtered out
    produce(h, "3", "C", 3)
    assert for_source(h, "PROJECT") == {
        "1": ("A",),  # leftover from the original query
        "3": ("C",),  # from the new query
    }
