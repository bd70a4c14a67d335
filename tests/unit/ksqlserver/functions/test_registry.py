"""The registry against ksqlDB 0.29: the whole function list, overload resolution (exact pass, implicit
casts, generics, variadics, nulls), return types, error texts and DESCRIBE metadata."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import KsqlFunctionError
from ksqlserver.functions import aggregates, default_registry
from ksqlserver.functions.paramtypes import IntervalArg, LambdaArg, parse

S, INT, L, D, B = T.STRING, T.INTEGER, T.BIGINT, T.DOUBLE, T.BOOLEAN

SCALARS_029 = ["ABS", "ACOS", "ARRAY_CONCAT", "ARRAY_CONTAINS", "ARRAY_DISTINCT", "ARRAY_EXCEPT", "ARRAY_INTERSECT", "ARRAY_JOIN", "ARRAY_LENGTH", "ARRAY_MAX", "ARRAY_MIN", "ARRAY_REMOVE", "ARRAY_SORT", "ARRAY_UNION", "ASIN", "AS_MAP", "AS_VALUE", "ATAN", "ATAN2", "BIGINT_FROM_BYTES", "CBRT", "CEIL", "CHR", "COALESCE", "CONCAT", "CONCAT_WS", "CONVERT_TZ", "COS", "COSH", "COT", "DATEADD", "DATESUB", "DATETOSTRING", "DEGREES", "DOUBLE_FROM_BYTES", "ELT", "ENCODE", "ENTRIES", "EXP", "EXTRACTJSONFIELD", "FIELD", "FILTER", "FLOOR", "FORMAT_DATE", "FORMAT_TIME", "FORMAT_TIMESTAMP", "FROM_BYTES", "FROM_DAYS", "FROM_UNIXTIME", "GENERATE_SERIES", "GEO_DISTANCE", "GREATEST", "IFNULL", "INITCAP", "INSTR", "INT_FROM_BYTES", "IS_JSON_STRING", "JSON_ARRAY_CONTAINS", "JSON_ARRAY_LENGTH", "JSON_CONCAT", "JSON_ITEMS", "JSON_KEYS", "JSON_RECORDS", "LCASE", "LEAST", "LEN", "LN", "LOG", "LPAD", "MAP_KEYS", "MAP_UNION", "MAP_VALUES", "MASK", "MASK_KEEP_LEFT", "MASK_KEEP_RIGHT", "MASK_LEFT", "MASK_RIGHT", "NULLIF", "PARSE_DATE", "PARSE_TIME", "PARSE_TIMESTAMP", "PI", "POWER", "RADIANS", "RANDOM", "REDUCE", "REGEXP_EXTRACT", "REGEXP_EXTRACT_ALL", "REGEXP_REPLACE", "REGEXP_SPLIT_TO_ARRAY", "REPLACE", "ROUND", "RPAD", "SIGN", "SIN", "SINH", "SLICE", "SPLIT", "SPLIT_TO_MAP", "SQRT", "STRINGTODATE", "STRINGTOTIMESTAMP", "SUBSTRING", "TAN", "TANH", "TIMEADD", "TIMESTAMPADD", "TIMESTAMPSUB", "TIMESTAMPTOSTRING", "TIMESUB", "TO_BYTES", "TO_JSON_STRING", "TRANSFORM", "TRIM", "TRUNC", "UCASE", "UNIX_DATE", "UNIX_TIMESTAMP", "URL_DECODE_PARAM", "URL_ENCODE_PARAM", "URL_EXTRACT_FRAGMENT", "URL_EXTRACT_HOST", "URL_EXTRACT_PARAMETER", "URL_EXTRACT_PATH", "URL_EXTRACT_PORT", "URL_EXTRACT_PROTOCOL", "URL_EXTRACT_QUERY", "UUID"]
AGGREGATES_029 = ["ATTR", "AVG", "COLLECT_LIST", "COLLECT_SET", "CORRELATION", "COUNT", "COUNT_DISTINCT", "EARLIEST_BY_OFFSET", "HISTOGRAM", "LATEST_BY_OFFSET", "MAX", "MIN", "STDDEV_SAMP", "STDDEV_SAMPLE", "SUM", "SUM_LIST", "TOPK", "TOPKDISTINCT"]
TABLES_029 = ["CUBE_EXPLODE", "EXPLODE"]


def resolve(name: str, args: list[Any]) -> Any:
    return default_registry().require(name).resolve_call(args)


def error(name: str, args: list[Any]) -> str:
    with pytest.raises(KsqlFunctionError) as e:
        resolve(name, args)
    return e.value.message


def test_every_029_function_is_registered_with_its_kind() -> None:
    r = default_registry()
    kinds = {f.name: f.kind for f in r.all()}
    assert sorted(n for n, k in kinds.items() if k == "SCALAR") == sorted(SCALARS_029)
    assert sorted(n for n, k in kinds.items() if k == "AGGREGATE") == sorted(AGGREGATES_029)
    assert sorted(n for n, k in kinds.items() if k == "TABLE") == TABLES_029
    assert len(kinds) == 148
    for f in r.all():
        assert f.description and f.variants and f.category, f.name
        for v in f.variants:
            assert len(v.names) == len(v.params), f.name  # every argument is named, as in DESCRIBE


def test_categories_are_ksqldbs() -> None:
    r = default_registry()
    cats = {f.name: f.category for f in r.all()}
    assert (cats["ABS"], cats["SUBSTRING"], cats["REGEXP_EXTRACT"], cats["JSON_KEYS"]) == (
        "MATHEMATICAL", "STRING", "REGULAR EXPRESSION", "JSON"
    )
    assert (cats["DATEADD"], cats["ARRAY_MAX"], cats["MAP_KEYS"], cats["TRANSFORM"]) == (
        "DATE / TIME", "ARRAY", "MAP", "LAMBDA"
    )
    assert (cats["IFNULL"], cats["INT_FROM_BYTES"], cats["GEO_DISTANCE"], cats["EXPLODE"], cats["TOPK"]) == (
        "CONDITIONAL", "CONVERSIONS", "OTHER", "TABLE", "AGGREGATE"
    )


def test_exact_variant_before_implicit_casts() -> None:
    assert resolve("ABS", [INT]).returns == INT
    assert resolve("ROUND", [INT]).returns == L  # ROUND(INT) is a BIGINT in 0.29
    assert resolve("SIGN", [T.decimal(5, 2)]).targets == [D]  # no DECIMAL variant: cast to DOUBLE
    r = resolve("POWER", [INT, D])
    assert r.returns == D and r.targets == [D, None]


def test_implicit_casts_from_string_to_time_types_and_bytes() -> None:
    r = resolve("FORMAT_TIMESTAMP", [S, S])
    assert r.targets == [T.TIMESTAMP, None]
    assert resolve("FROM_BYTES", [S, S]).targets == [T.BYTES, None]


def test_ambiguous_call_text() -> None:
    msg = error("GREATEST", [INT, L])
    assert msg.startswith(
        "Function 'greatest' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT).\n"
        "Use CAST() to explicitly cast your parameters to one of the supported function calls.\n"
        "Valid function calls are:\nGREATEST(TIME val, TIME... vals)\n"
    )
    # UdfIndex's HashMap puts GREATEST's nine parameter lists in one bucket, so they come in the order
    # UdfLoader registered them: the JVM's method order, as ksqlDB 0.29 lists them (oracle case
    # difffunc/extra "GREATEST(I, NULL)", and DESCRIBE FUNCTION GREATEST on its REST server)
    assert [line.split("(")[1].split(" ")[0] for line in msg.splitlines()[3:12]] == [
        "TIME", "DATE", "BYTES", "TIMESTAMP", "DECIMAL", "INT", "BIGINT", "DOUBLE", "VARCHAR",
    ]
    assert msg.endswith("\nFor detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;")


def test_does_not_accept_text_names_the_declared_name_and_lists_variants() -> None:
    assert error("LEN", [B]) == (
        "Function 'len' does not accept parameters (BOOLEAN).\nValid alternatives are:\n"
        "LEN(VARCHAR input)\nLEN(BYTES input)\n"
        "For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;"
    )
    assert error("COALESCE", []).startswith("Function 'COALESCE' does not accept parameters ().")
    assert "(STRUCT<A INTEGER>)" in error("LEN", [T.struct([("A", INT)])])


def test_generics_bind_one_exact_type() -> None:
    assert resolve("ARRAY_CONTAINS", [T.array(INT), INT]).returns == B
    assert "does not accept parameters (ARRAY<BIGINT>, INTEGER)" in error("ARRAY_CONTAINS", [T.array(L), INT])
    assert resolve("ARRAY_DISTINCT", [T.array(T.decimal(4, 2))]).returns == T.array(T.decimal(4, 2))
    assert resolve("MAP_VALUES", [T.map_of(S, D)]).returns == T.array(D)
    assert "does not accept" in error("MAP_KEYS", [T.map_of(INT, D)])  # map keys are strings
    # a NULL for the first T fails as ksqlDB 0.29 fails (FunctionLoaderUtils reserves each parameter's
    # generics into an ImmutableMap: "null value in entry: T=null"), observed on the real engine
    assert "T=null" in error("IFNULL", [None, S])


def test_nulls_fit_any_parameter() -> None:
    assert resolve("ARRAY_LENGTH", [None]).returns == INT
    assert "ambiguous method parameters (null)" in error("LEN", [None])
    # a variadic NULL fits the element and the array form: ksqlDB reports the call as ambiguous
    assert "ambiguous method parameters (INTEGER, null)" in error("COALESCE", [INT, None])


def test_null_for_a_generic_return_type_is_an_error() -> None:
    assert "T=null" in error("IFNULL", [INT, None])


def test_variadic_arguments_and_the_array_form() -> None:
    assert resolve("CONCAT", []).returns == S
    r = resolve("CONCAT", [S, S, S])
    assert (r.returns, r.impl("a", None, "b")) == (S, "ab")
    spread = resolve("CONCAT", [T.array(S)])  # the variadic part given as one array
    assert spread.spread and spread.impl(["x", "y"]) == "xy"
    assert resolve("ELT", [INT, S, S]).returns == S
    assert resolve("COALESCE", [INT, INT, INT]).returns == INT


def test_schema_provider_return_types() -> None:
    assert resolve("ROUND", [T.decimal(33, 16)]).returns == T.decimal(17, 0)
    assert resolve("ROUND", [T.decimal(5, 2), INT]).returns == T.decimal(5, 2)
    assert resolve("GREATEST", [T.decimal(5, 2), T.decimal(6, 1)]).returns == T.decimal(7, 2)
    assert resolve("EXPLODE", [T.array(T.decimal(4, 1))]).returns == T.decimal(4, 1)
    assert resolve("EXPLODE", [T.array(S)]).returns == S


def test_lambda_and_interval_arguments_match_their_parameters() -> None:
    f = default_registry().require("TRANSFORM")
    v, spread = f.match([T.array(INT), LambdaArg(1)])
    assert v.params == ("ARRAY<T>", "LAMBDA (T) => R") and not spread
    v, _ = f.match([T.map_of(S, INT), LambdaArg(2), LambdaArg(2)])
    assert v.params[0] == "MAP<K, V>"
    typed = f.resolve_call([T.array(INT), LambdaArg(1, (INT,), S)], (f.variants[0], False))
    assert typed.returns == T.array(S)  # R bound by the lambda's body type
    assert resolve("DATEADD", [IntervalArg("DAY"), INT, T.DATE]).returns == T.DATE
    assert "does not accept" in error("DATEADD", [INT, INT, T.DATE])


def test_aggregates_resolve_without_implicit_casts() -> None:
    assert aggregates.column_count("AVG", [INT]) == 1
    with pytest.raises(KsqlFunctionError, match=r"Function 'avg' does not accept parameters \(DECIMAL\(4, 2\)\)"):
        aggregates.column_count("AVG", [T.decimal(4, 2)])
    assert aggregates.column_count("TOPK", [D, INT]) == 1
    assert aggregates.column_count("TOPK", [D, S, L, INT]) == 3
    assert aggregates.column_count("LATEST_BY_OFFSET", [S, INT, B]) == 1
    assert aggregates.column_count("LATEST_BY_OFFSET", [S, B]) == 1
    assert aggregates.column_count("CORRELATION", [D, D]) == 2
    assert aggregates.column_count("COUNT", [], star=True) == 1


def test_describe_metadata_matches_ksqldb() -> None:
    d = default_registry().require("SUBSTRING").describe()
    assert (d["name"], d["type"], d["author"], d["path"]) == ("SUBSTRING", "SCALAR", "Confluent", "internal")
    assert d["description"] == "Returns the portion of the string or bytes passed in value."
    # udfIndex.values(): HashMap order of the parameter lists (buckets 5, 9, 11, 15 of 16)
    assert [f["argumentTypes"] for f in d["functions"]] == [
        ["VARCHAR", "INT", "INT"], ["BYTES", "INT", "INT"], ["BYTES", "INT"], ["VARCHAR", "INT"]
    ]
    first = d["functions"][3]
    assert first["returnType"] == "VARCHAR"
    assert first["description"] == "Returns the portion of str from pos to the end of str"
    assert first["arguments"] == [
        {"name": "str", "type": "VARCHAR", "description": "The source string.", "isVariadic": False},
        {"name": "pos", "type": "INT", "description": "The base-one position to start from.", "isVariadic": False},
    ]
    topk = default_registry().require("TOPK").describe()
    assert topk["type"] == "AGGREGATE"
    [topk_int] = [f for f in topk["functions"] if f["argumentTypes"][0] == "INT"]  # listed in HashMap order
    assert [(a["name"], a["type"], a["isVariadic"]) for a in topk_int["arguments"]] == [
        ("val1", "INT", False), ("val2", "ANY", True), ("k", "INT", False)
    ]
    concat = default_registry().require("CONCAT").describe()["functions"][0]
    assert concat["arguments"][0]["isVariadic"] is True and concat["arguments"][0]["type"] == "VARCHAR"
    transform = default_registry().require("TRANSFORM").describe()["functions"]
    assert [a["type"] for a in transform[1]["arguments"]] == ["ARRAY<T>", "LAMBDA (T) => R"]  # HashMap order
    assert [a["type"] for a in transform[0]["arguments"]] == ["MAP<K, V>", "LAMBDA (K, V) => R", "LAMBDA (K, V) => T"]
    assert transform[0]["returnType"] == "MAP<R, T>"


@pytest.mark.parametrize(
    "text",
    ["INT", "VARCHAR", "ARRAY<T>", "MAP<K, V>", "LAMBDA (S, K, V) => S", "INTERVAL UNIT", "STRUCT<K VARCHAR, V INT>"],
)
def test_parameter_types_print_back(text: str) -> None:
    assert str(parse(text)) == text


def test_parameter_types_match_sql_types() -> None:
    r = default_registry().require("ENTRIES")
    assert r.resolve_call([T.map_of(S, D), B]).returns == T.array(T.struct([("K", S), ("V", D)]))
    assert isinstance(resolve("SLICE", [T.array(S), INT, INT]).returns, SqlType)


def test_null_literals_in_a_generic_return_type_fail_as_java_fails() -> None:
    """FunctionLoaderUtils.createReturnTypeProvider (generic return types): per parameter,
    GenericsUtil.reserveGenerics + ImmutableMap.copyOf (a NULL bound to T: "null value in entry: T=null"),
    GenericsUtil.matches on a non-generic parameter type (the NullPointerException Java 17 words as below), and
    SqlTypes.array for the variadic argument (SqlArray's requireNonNull: "itemType"). Messages as the real
    ksqlDB 0.29 engine gives them (the /work/oracle differential oracle)."""
    npe = 'Cannot invoke "io.confluent.ksql.schema.ksql.types.SqlType.baseType()" because "sqlType" is null'
    assert "null value in entry: T=null" in error("COALESCE", [None, S])
    assert "null value in entry: T=null" in error("NULLIF", [None, INT])
    assert "null value in entry: T=null" in error("ARRAY_REMOVE", [T.array(INT), None])
    assert npe in error("ARRAY_CONCAT", [T.array(INT), None])
    assert npe in error("SLICE", [T.array(INT), None, INT])
    assert npe in error("ARRAY_MAX", [None])
    assert resolve("ARRAY_CONTAINS", [T.array(INT), None]).returns == B  # not a generic return type
