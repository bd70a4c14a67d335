"""Test records of the QTT files: inputs encoded with the owning source's serde, outputs decoded, and
FORMAT.md's rules for matching expected against actual values (§6)."""

from __future__ import annotations

import base64
import json
import struct
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.conformance import sr_records
from ksqlserver.formats import get_format
from ksqlserver.formats.base import Serde
from ksqlserver.formats.coerce import converter
from ksqlserver.formats.sr.client import MemoryRegistryClient

# --- serde for test records ---------------------------------------------------------------------------


def dumps_exact(v: Any) -> str:
    """JSON text keeping decimals as written in the test file."""
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(str(k)) + ":" + dumps_exact(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(dumps_exact(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def encode(
    source: DataSource, value: Any, is_key: bool, registry: MemoryRegistryClient | None = None
) -> bytes | None:
    if value is None:
        return None
    fmt = source.key_format if is_key else source.value_format
    cols = source.schema.key if is_key else source.schema.value_only
    if fmt == "NONE":
        return None
    if fmt in sr_records.SR_FORMATS and registry is not None:
        return sr_records.encode(registry, source, source.topic, value, is_key)
    if fmt == "PROTOBUF_NOSR":
        serde = _nosr_struct_serde(source, is_key)
        if len(cols) == 1 and not isinstance(value, dict):
            return serde.serialize([converter(cols[0].type)(value)])
        upper = {str(k).upper(): v for k, v in value.items()}
        return serde.serialize([converter(c.type)(upper.get(c.name.upper())) for c in cols])
    if fmt == "DELIMITED":
        return str(value).encode() if not isinstance(value, str) else value.encode()
    if fmt == "JSON":
        return dumps_exact(value).encode()
    if fmt == "KAFKA":
        if not cols:
            return None
        t = cols[0].type
        if t.base == "BYTES" and isinstance(value, str):
            # KafkaSerdeSupplier.TestByteBufferSerializer: the spec string's UTF-8 bytes, not base64
            return value.encode()
        v = converter(t)(value)
        serde = source.key_serde if is_key else source.value_serde
        return serde.serialize([v])
    raise ValueError(f"cannot encode test records for format {fmt}")


def _nosr_struct_serde(source: DataSource, is_key: bool) -> Serde:
    """ValueSpecProtobufNoSRSerdeSupplier writes and reads test records with the columns' struct schema
    (ConnectSchemas.columnsToConnectSchema) whatever the source's serde features: a single unwrapped
    column is still {"COL": v}; bytes an unwrapped struct wrote read back through the wrapper message."""
    cols = source.schema.key if is_key else source.schema.value_only
    options = source.key_options if is_key else source.value_options
    return get_format("PROTOBUF_NOSR").serde(cols, replace(options, wrap_single_value=True), False)


def decode(
    source: DataSource | None,
    data: bytes | None,
    is_key: bool,
    exact: bool,
    registry: MemoryRegistryClient | None = None,
) -> Any:
    if data is None:
        return None
    fmt = "JSON" if source is None else (source.key_format if is_key else source.value_format)
    if source is not None and fmt in sr_records.SR_FORMATS and registry is not None:
        return sr_records.decode(registry, source, data, is_key)
    if source is not None and fmt == "PROTOBUF_NOSR":
        cols = source.schema.key if is_key else source.schema.value_only
        values = _nosr_struct_serde(source, is_key).deserialize(data)
        if values is None:
            return None
        return {c.name: v for c, v in zip(cols, values, strict=True)}
    if fmt == "DELIMITED":
        return data.decode()
    if fmt == "JSON":
        return json.loads(data, parse_float=Decimal if exact else float)
    if fmt == "KAFKA" and source is not None:
        cols = source.schema.key if is_key else source.schema.value_only
        base = cols[0].type.base if cols else "STRING"
        if base == "INTEGER" and len(data) == 4:
            return struct.unpack(">i", data)[0]
        if base == "BIGINT" and len(data) == 8:
            return struct.unpack(">q", data)[0]
        if base == "DOUBLE" and len(data) == 8:
            return struct.unpack(">d", data)[0]
        if base == "BYTES":
            # KafkaSerdeSupplier.TestByteBufferDeserializer: new String(bytes, UTF_8), not base64
            return data.decode(errors="replace")
        return data.decode(errors="replace")
    return data.decode(errors="replace")


# --- matching (FORMAT.md §6) -------------------------------------------------------------------------


def matches(expected: Any, actual: Any) -> bool:
    if expected is None:
        return actual is None
    if isinstance(expected, bool):
        return isinstance(actual, bool) and actual == expected
    if isinstance(expected, str):
        if isinstance(actual, str):
            return actual == expected
        if isinstance(actual, Decimal):
            try:
                d = Decimal(expected)
            except ArithmeticError:
                return False
            return d == actual and d.as_tuple().exponent == actual.as_tuple().exponent
        if isinstance(actual, bytes):
            return base64.b64encode(actual).decode() == expected
        return False
    if isinstance(expected, (int, Decimal, float)):
        return _matches_number(expected, actual)
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or len(actual) != len(expected):
            return False
        for k, e in expected.items():
            # ExpectedRecordComparator.compareStruct: Map#get, then the upper-cased name; a field the
            # record lacks reads as null, so an expected null matches it (field counts are equal)
            a = actual.get(k)
            if a is None:
                a = actual.get(str(k).upper())
            if not matches(e, a):
                return False
        return True
    return expected == actual


def _fits(v: int | Decimal, bits: int) -> bool:
    # comparisons, not `in range(...)`: a Decimal's membership test would walk the range
    return -(2 ** (bits - 1)) <= v < 2 ** (bits - 1)


def _java_integral(expected: int | Decimal | float, bits: int) -> int:
    """NumericNode.intValue()/longValue() of the expected node: BigDecimal/BigInteger narrow to the
    low bits (after truncating the fraction), a double saturates."""
    if isinstance(expected, float):  # (int)/(long) of a double: NaN is 0, beyond the range saturates
        lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        if expected != expected:
            return 0
        return hi if expected >= hi else lo if expected <= lo else int(expected)
    mod = 1 << bits
    if isinstance(expected, Decimal) and expected.is_finite() and expected.as_tuple().exponent > 0:
        # the integer part's low bits without building a huge integer: digits x 10^exponent mod 2^bits
        sign, digits, exponent = expected.as_tuple()
        v = int("".join(map(str, digits))) * pow(10, int(exponent), mod) * (-1 if sign else 1)
    else:
        v = int(expected)  # int() of a Decimal truncates toward zero, as BigDecimal.intValue()
    v &= mod - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def _matches_number(expected: int | Decimal | float, actual: Any) -> bool:
    """ExpectedRecordComparator.compareNumber (ksqldb-functional-tests 0.29), on the types the harness
    decodes: an int expected is an IntNode/LongNode within the long range, a BigIntegerNode beyond it;
    a Decimal one a DecimalNode (the test files are read with USE_BIG_DECIMAL_FOR_FLOATS); an int
    actual is the Integer/Long/BigInteger Jackson reads for its magnitude, a Decimal actual the
    BigDecimal a JSON float reads as, a float actual a Double (the other formats, or JSON read with
    use.exact.numeric.comparison=false)."""
    if isinstance(actual, bool):
        return False
    if isinstance(actual, int):
        if _fits(actual, 32):
            return _java_integral(expected, 32) == actual
        if _fits(actual, 64):
            return _java_integral(expected, 64) == actual
        return False  # a BigInteger: compareNumber has no branch for it
    if isinstance(actual, float):
        try:
            want = float(expected)
        except OverflowError:  # BigInteger.doubleValue() beyond the double range
            want = float("inf") if expected > 0 else float("-inf")
        return abs(want - actual) < 0.000_001
    if isinstance(actual, Decimal):
        # compareDecimal
        if isinstance(expected, int):
            if not _fits(expected, 64):
                return False  # a BigIntegerNode is neither isInt/isLong nor isBigDecimal
            if actual.as_tuple().exponent < 0 or not _fits(actual, 64):  # scale > 0; longValueExact
                return False
            return int(actual) == expected
        if isinstance(expected, Decimal):  # decimalValue().equals: value and scale
            return actual == expected and actual.as_tuple().exponent == expected.as_tuple().exponent
        return False  # a DoubleNode: "we don't want to risk comparing a BigDecimal with something of lower precision"
    return False
