"""Port of ksqlDB 0.29 IsJsonStringTest (io.confluent.ksql.function.udf.json.IsJsonString)."""

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


def test_is_json_string() -> None:
    """shouldInterpret{Number,String,NullString,Array,Object}, shouldNotInterpret{UnquotedString,EmptyString,Null,
    StringWithSyntaxErrors}."""
    for ok in ("1", '"abc"', "null", "[1, 2, 3]", '{"1": 2}'):
        assert call("IS_JSON_STRING", [S], ok) is True
    for bad in ("abc", "", None, "{1:2]"):
        assert call("IS_JSON_STRING", [S], bad) is False


@pytest.mark.parametrize("text", ["01", "-01", "1x", "1.", "1e", "1.5.3", "1,", "truex", "null_", "true1"])
def test_scalars_jackson_rejects(text: str) -> None:
    """Beyond IsJsonStringTest: IsJsonString reads with UdfJsonMapper.parseJson (Jackson's ObjectReader.readTree),
    whose parser rejects leading zeroes, a '.' or an exponent without digits, a root-level number not followed
    by white space (ReaderBasedJsonParser._verifyRootSpace) and a literal running into identifier characters
    (_matchToken): Python's json decoder read a value from each of these."""
    assert call("IS_JSON_STRING", [S], text) is False
    with pytest.raises(EvaluationError, match="Invalid JSON format:"):
        call("JSON_ARRAY_LENGTH", [S], text)


@pytest.mark.parametrize("text", ["1 2", "1\n", "0", "-0", "1E+5", "true,", "true]", "[1] x", '"a"x', "{}x"])
def test_trailing_text_after_a_value_is_ignored(text: str) -> None:
    """readTree stops after the first value (FAIL_ON_TRAILING_TOKENS is off): trailing text after white space,
    a structured value or a string, or a literal's non-identifier follower, is not read."""
    assert call("IS_JSON_STRING", [S], text) is True


def test_through_the_engine(select: Any) -> None:
    out = select("IS_JSON_STRING(C) AS A, IS_JSON_STRING('abc') AS B, IS_JSON_STRING(D) AS N", "C STRING, D STRING",
                 {"C": "[1, 2, 3]"})
    assert out.value == {"A": True, "B": False, "N": False}
    assert out.types == {"A": "BOOLEAN", "B": "BOOLEAN", "N": "BOOLEAN"}
