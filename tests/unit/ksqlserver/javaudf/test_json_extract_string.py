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


def test_path_syntax_of_json_path_tokenizer() -> None:
    """Beyond JsonExtractStringKudfTest: JsonExtractString tokenizes the path with JsonPathTokenizer: `.name`
    takes letters, digits, '_', ':' and '@'; `[name]` letters, digits and '_'; `["name"]` anything, with \\"
    and \\\\ escapes; array elements are found by Integer.parseInt of the token."""
    doc = '{"a":{"b c":1,"x-y":2,"q\\"":3},"arr":[10,20],"k:1":5,"é":6}'
    assert ex(doc, '$.a["b c"]') == "1"
    assert ex(doc, '$["a"]["x-y"]') == "2"
    assert ex(doc, '$.a["q\\""]') == "3"
    assert ex(doc, '$.arr["1"]') == "20"
    assert ex(doc, "$.arr.01") == "20"
    assert ex(doc, "$.arr.1_0") is None
    assert ex(doc, "$.k:1") == "5"
    assert ex(doc, "$.é") == "6"


@pytest.mark.parametrize("path", ["a", "$.", "$[]", "$.a.x-y", "$.a['b c']", "$.arr[-1]", "$.arr[1", '$.a["b', "$ .a"])
def test_invalid_paths_throw(path: str) -> None:
    """JsonPathTokenizer.invalidJsonPath: "Invalid JSON path: '<path>'", thrown before the document is read
    (single quotes, dashes and signs are not path syntax)."""
    with pytest.raises(EvaluationError) as err:
        ex("not json", path)
    assert str(err.value) == f"Invalid JSON path: '{path}'"


def test_through_the_engine(select: Any) -> None:
    out = select("EXTRACTJSONFIELD(C, '$.array.1') AS A, EXTRACTJSONFIELD(C, '$.thing1') AS B, "
                 "EXTRACTJSONFIELD('this is NOT a JSON doc', '$.thing1') AS X", "C STRING", {"C": DOC})
    assert out.value == {"A": "102", "B": '{"thing2":"hello"}', "X": None}
    assert out.types == {"A": "STRING", "B": "STRING", "X": "STRING"}
    assert out.errors
