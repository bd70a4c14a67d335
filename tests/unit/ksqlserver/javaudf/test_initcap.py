"""Port of ksqlDB 0.29 InitCapTest (io.confluent.ksql.function.udf.string.InitCap)."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_initcap() -> None:
    """shouldHandleNull, shouldInitCap (spacing preserved)."""
    assert call("INITCAP", [S], None) is None
    assert call("INITCAP", [S], "worD") == "Word"
    assert call("INITCAP", [S], "a") == "A"
    assert call("INITCAP", [S], "the Quick br0wn fOx") == "The Quick Br0wn Fox"
    assert call("INITCAP", [S], "spacing   should  be preserved") == "Spacing   Should  Be Preserved"


def test_first_letter_outside_the_bmp_stays() -> None:
    """Beyond InitCapTest: InitCap upper-cases part.substring(0, 1), a single UTF-16 char, which leaves a
    letter outside the BMP (a high surrogate first) as it is."""
    assert call("INITCAP", [S], "\U00010428x ab") == "\U00010428x Ab"


def test_through_the_engine(select: Any) -> None:
    out = select("INITCAP(C) AS A", "C STRING", {"C": "the Quick br0wn fOx"})
    assert out.value == {"A": "The Quick Br0wn Fox"}
    assert out.types == {"A": "STRING"}
