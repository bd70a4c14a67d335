"""Scalar functions with ksqlDB's exact semantics: null handling, masking, 1-based positions, rounding."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import EvaluationError, KsqlFunctionError
from ksqlserver.functions import default_registry


def call(name: str, types: list[SqlType | None], *args: Any) -> Any:
    _, impl, _ = default_registry().require(name).resolve(types)
    return impl(*args)


def rtype(name: str, types: list[SqlType | None]) -> SqlType:
    return default_registry().require(name).resolve(types)[0]


S, INT, L, D = T.STRING, T.INTEGER, T.BIGINT, T.DOUBLE


def test_mask_family() -> None:
    assert call("MASK", [S], "AbC-12 x") == "XxX-nn-x"
    assert call("MASK", [S, S, S, S, S], "AbC-12", "*", None, "#", None) == "*b*-##"
    assert call("MASK_LEFT", [S, INT], "AbC-12", 3) == "XxX-12"
    assert call("MASK_RIGHT", [S, INT], "AbC-12", 2) == "AbC-nn"
    assert call("MASK_KEEP_LEFT", [S, INT], "AbC-12", 2) == "AbX-nn"
    assert call("MASK_KEEP_RIGHT", [S, INT], "AbC-12", 2) == "XxX-12"
    assert call("MASK", [S], None) is None


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("some_string", 6), "string"),
        (("some_string", 6, 3), "str"),
        (("short", 6), ""),
        (("abc", -2), "bc"),
        (("abc", 0, 2), "ab"),
        (("abc", 2, 10), "bc"),
        (("abc", None), None),
    ],
)
def test_substring_is_one_based(args: tuple[Any, ...], expected: str | None) -> None:
    types = [S] + [INT] * (len(args) - 1)
    assert call("SUBSTRING", types, *args) == expected


def test_round_types_and_half_towards_positive_infinity() -> None:
    assert rtype("ROUND", [D]) == L
    assert call("ROUND", [D], 2.5) == 3
    assert call("ROUND", [D], -2.5) == -2
    assert rtype("ROUND", [D, INT]) == D
    assert call("ROUND", [D, INT], 12345.678, -2) == 12300.0
    assert call("ROUND", [D, INT], -1.5, 0) == -1.0
    assert rtype("ROUND", [T.decimal(33, 16)]) == T.decimal(17, 0)
    assert call("ROUND", [T.decimal(5, 2), INT], Decimal("1.25"), 1) == Decimal("1.30")


def test_null_functions_bind_one_exact_type() -> None:
    # ksqlDB 0.29 binds the generic T of IFNULL(T, T) exactly: INTEGER and DOUBLE do not unify
    with pytest.raises(KsqlFunctionError, match=r"Function 'IFNULL' does not accept parameters \(INTEGER, DOUBLE\)"):
        rtype("IFNULL", [INT, D])
    assert rtype("IFNULL", [D, D]) == D
    assert call("IFNULL", [S, S], None, "x") == "x"
    assert call("COALESCE", [INT, INT, INT], None, None, 3) == 3
    assert call("NULLIF", [S, S], "a", "a") is None


def test_string_functions() -> None:
    assert call("CONCAT", [S, S, S], "a", None, "b") == "ab"
    assert call("CONCAT_WS", [S, S, S], "-", "a", "b") == "a-b"
    assert call("CONCAT_WS", [S, S], None, "a") is None
    assert call("LPAD", [S, INT, S], "ab", 5, "xy") == "xyxab"
    assert call("RPAD", [S, INT, S], "abcdef", 3, "x") == "abc"
    assert call("SPLIT", [S, S], "a.b..c", ".") == ["a", "b", "", "c"]
    assert call("INSTR", [S, S], "CORPORATE FLOOR", "OR") == 2
    assert call("INSTR", [S, S, INT, INT], "CORPORATE FLOOR", "OR", 3, 2) == 14
    assert call("INITCAP", [S], "hello WORLD") == "Hello World"
    assert call("TRIM", [S], "  x \t") == "x"
    assert call("LEN", [S], "four") == 4


def test_math_functions() -> None:
    assert call("ABS", [INT], -3) == 3
    assert call("SIGN", [D], -0.5) == -1
    assert call("CEIL", [D], 1.2) == 2.0
    assert call("FLOOR", [D], -1.2) == -2.0
    assert call("POWER", [D, D], 2.0, 10.0) == 1024.0
    assert call("GREATEST", [INT, INT, INT], 1, None, 7) == 7
    assert 0.0 <= call("RANDOM", []) < 1.0


def test_time_functions_use_java_patterns() -> None:
    fmt = "yyyy-MM-dd'T'HH:mm:ss.SSS"
    assert call("TIMESTAMPTOSTRING", [L, S], 1500000000123, fmt) == "2017-07-14T02:40:00.123"
    assert call("TIMESTAMPTOSTRING", [L, S, S], 0, "HH:mm", "America/New_York") == "19:00"
    assert call("STRINGTOTIMESTAMP", [S, S], "2017-07-14 02:40:00", "yyyy-MM-dd HH:mm:ss") == 1500000000000
    assert call("PARSE_TIMESTAMP", [S, S], "1970-01-01T00:00:01.5Z", "yyyy-MM-dd'T'HH:mm:ss.SX") == 1500


def test_extractjsonfield() -> None:
    doc = '{"a": {"b": [1, {"c": "x"}]}, "n": 1.50}'
    assert call("EXTRACTJSONFIELD", [S, S], doc, "$.a.b[1].c") == "x"
    assert call("EXTRACTJSONFIELD", [S, S], doc, "$.a.b[1]") == '{"c":"x"}'
    assert call("EXTRACTJSONFIELD", [S, S], doc, "$.n") == "1.50"
    assert call("EXTRACTJSONFIELD", [S, S], doc, "$.missing") is None
    # invalid JSON makes the call fail, as in ksqlDB; the query turns that into null (and logs it)
    with pytest.raises(EvaluationError, match="Invalid JSON format:not json"):
        call("EXTRACTJSONFIELD", [S, S], "not json", "$.a")


def test_unknown_function_and_bad_arguments_are_reported() -> None:
    # the name as given (InternalFunctionRegistry.getUdfFactory); SQL upper-cases unquoted names first
    with pytest.raises(KsqlFunctionError, match="Can't find any functions with the name 'NOPE'"):
        default_registry().require("NOPE")
    with pytest.raises(KsqlFunctionError, match="does not accept parameters"):
        default_registry().require("LEN").resolve([T.BOOLEAN])


def test_every_function_has_a_description() -> None:
    fns = default_registry().all()
    assert len(fns) > 60
    assert all(f.description and f.variants for f in fns)
