"""The value formats the scoring service, `fraudlab.tfkafka` and the monitor read, and their parsers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from fraudlab.registry.wire import SchemaCache
from fraudlab.scoring.errors import ScoringError
from fraudlab.scoring.parsing import DelimitedParser, JsonParser, ParsedBatch

ValueFormat = Literal["delimited", "json", "avro", "json_sr"]
VALUE_FORMATS: tuple[str, ...] = ("delimited", "json", "avro", "json_sr")


class Parser(Protocol):
    feature_names: tuple[str, ...]

    def parse(self, values: Sequence[bytes | None]) -> ParsedBatch: ...


_caches: dict[str, SchemaCache] = {}


def schema_cache(url: str) -> SchemaCache:
    """One cache per registry URL in this process: every consumer asks once per schema id."""
    key = url.rstrip("/")
    if key not in _caches:
        _caches[key] = SchemaCache(key)
    return _caches[key]


def make_parser(
    value_format: str,
    feature_names: Sequence[str],
    columns: Sequence[str] | None = None,
    schema_registry_url: str | None = None,
) -> Parser:
    """The parser of `value_format` (KSQL's names accepted in any case: DELIMITED, JSON, AVRO, JSON_SR)."""
    fmt = value_format.lower()
    if fmt == "delimited":
        return DelimitedParser(feature_names, tuple(columns) if columns else None)
    if fmt == "json":
        return JsonParser(feature_names)
    if fmt in ("avro", "json_sr"):
        if not schema_registry_url:
            raise ScoringError(f"value format {fmt} needs the schema registry's URL (--schema-registry-url)")
        from fraudlab.scoring.wire_parsing import AvroParser, JsonSrParser

        cls = AvroParser if fmt == "avro" else JsonSrParser
        return cls(feature_names, schema_cache(schema_registry_url))
    raise ScoringError(f"unknown value format {value_format!r}: expected one of {', '.join(VALUE_FORMATS)}")
