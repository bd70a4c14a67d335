"""Edge cases of built-in functions checked against ksqlDB 0.29's own function semantics (nulls, empty
input, surrogate pairs, overflow, formats): one test per behaviour that the engine got wrong before."""

from __future__ import annotations

from typing import Any

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.functions import default_registry

S, INT, BIG, D, B = T.STRING, T.INTEGER, T.BIGINT, T.DOUBLE, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


def test_chr_of_an_escaped_surrogate_pair_is_one_supplementary_character() -> None:
    out = call("CHR", [S], "\\ud800\\udc01")
    assert out == "\U00010001"
    assert out.encode("utf-8")  # a lone-surrogate string could not be serialized
