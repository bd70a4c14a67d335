"""Port of ksqlDB 0.29 JsonExtractStringKudfTest
(io.confluent.ksql.function.udf.json.JsonExtractString): fields, sub-documents, array indexes, nulls, invalid
documents."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError
from ksqlserver.functions import default_registry

S, INT, BIG, B = T.STRING, T.INTEGER, T.BIGINT, T.BYTES


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    return default_registry().require(name).resolve_call(types).impl(*args)


DOC = '{"thing1":{"thing2":"hello"},"array":[101,102]}'


def ex(doc: str | None, path: str | None) -> Any:
    return call("EXTRACTJSONFIELD", [S, S], doc, path)


def test_extract() -> None:
    """shouldExtractJsonField, shouldExtractJsonFieldWithAtCharacter, shouldExtractJsonDoc,
    shouldExtractWholeJsonDoc, shouldExtractJsonArrayField, shouldParseCorrectlyDifferentPathsOnSameInstance."""
    assert ex(DOC, "$.thing1.thing2") == "hello"
    assert ex('{"@type": "foo"}', "$.@type") == "foo"
    assert ex(DOC, "$.thing1") == '{"thing2":"hello"}'
    assert ex(DOC, "$") == DOC
    assert ex(DOC, "$.array.1") == "102"


def test_nulls() -> None:
    """shouldReturnNullIfNodeNotFound, shouldReturnNullForNullDocString, shouldReturnNullForNullPath."""
    assert ex(DOC, "$.will.not.find.me") is None
    assert ex(None, "$.thing1") is None
    assert ex(DOC, None) is None


def test_invalid_document_throws() -> None:
    """shouldThrowOnInvalidJsonDoc."""
    with pytest.raises(EvaluationError):
        ex("this is NOT a JSON doc", "$.thing1")


def test_through_the_engine(select: Any) -> None:
    out = select("EXTRACTJSONFIELD(C, '$.array.1') AS A, EXTRACTJSONFIELD(C, '$.thing1') AS B, "
                 "EXTRACTJSONFIELD('this is NOT a JSON doc', '$.thing1') AS X", "C STRING", {"C": DOC})
    assert out.value == {"A": "102", "B": '{"thing2":"hello"}', "X": None}
    assert out.types == {"A": "STRING", "B": "STRING", "X": "STRING"}
    assert out.errors
