"""ksqlDB 0.29 WindowInfoTest (ksqldb-common, serde): a windowed source's WindowInfo from WINDOW_TYPE and
WINDOW_SIZE: its type (DESCRIBE's windowType), its size (a row's WINDOWEND - WINDOWSTART), and WindowInfo.of's
refusals as CREATE shows them: a size for SESSION and no size for TUMBLING/HOPPING are caught first by
CreateSourceProperties.validateWindowInfo (its messages); a zero or negative size by WindowInfo.of itself
("Size must be positive", when CreateSourceFactory builds the command). Equality, toString and the emit
strategy have no user-facing form here (the emit strategy is a query's EMIT FINAL, not a source's)."""

from __future__ import annotations

import struct

import pytest

from .conftest import Exec


def _create(ex: Exec, with_clause: str) -> str:
    ex.topic("w")
    return (
        f"CREATE STREAM W (K STRING KEY, V INT) WITH (KAFKA_TOPIC='w', VALUE_FORMAT='JSON', {with_clause});"
    )


@pytest.mark.parametrize(
    ("name", "with_clause", "message"),
    [
        ("shouldThrowIfSizeProvidedButNotRequired", "WINDOW_TYPE='SESSION', WINDOW_SIZE='10 SECONDS'",
         "Failed to prepare statement: 'WINDOW_SIZE' should not be set for SESSION windows."),
        ("shouldThrowIfSizeRequiredButNotProvided", "WINDOW_TYPE='TUMBLING'",
         "Failed to prepare statement: TUMBLING windows require 'WINDOW_SIZE' to be provided in the WITH clause. "
         "For example: 'WINDOW_SIZE'='10 SECONDS'"),
        ("shouldThrowIfSizeZero", "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='0 MILLISECONDS'", "Size must be positive"),
        ("shouldThrowIfSizeNegative", "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='-1 SECONDS'", "Size must be positive"),
    ],
)  # fmt: skip
def test_refused(ex: Exec, name: str, with_clause: str, message: str) -> None:
    assert ex.error(_create(ex, with_clause)) == message


@pytest.mark.parametrize(
    ("name", "with_clause", "kind", "size"),
    [
        ("shouldGetType", "WINDOW_TYPE='SESSION'", "SESSION", None),
        ("shouldGetSize", "WINDOW_TYPE='HOPPING', WINDOW_SIZE='10 SECONDS'", "HOPPING", 10_000),
        ("shouldImplementToString's TUMBLING 19ms", "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='19 MILLISECONDS'", "TUMBLING", 19),
    ],
)  # fmt: skip
def test_type_and_size(ex: Exec, name: str, with_clause: str, kind: str, size: int | None) -> None:
    ex.run(_create(ex, with_clause))
    [entity] = ex.run("DESCRIBE W;")
    assert entity["sourceDescription"]["windowType"] == kind
    if size is not None:
        ex.produce("w", [(b"a" + struct.pack(">q", 1000), {"V": 1}, 5000)])
        assert ex.push("SELECT WINDOWSTART, WINDOWEND FROM W EMIT CHANGES;") == [[1000, 1000 + size]]
