"""AVRO and JSON_SR records (Confluent's wire format, schemas in the registry) into the same float32
feature batches as the DELIMITED and JSON parsers.

Avro: the writer's schema comes from the registry by the id each record carries (once per id). When the
model's features are one run of fixed-width fields (doubles, floats, their nullable unions; what KSQL's
AVRO sinks and `fraudlab ingest --format avro` write), the fields before the run are stepped over in
Python and the runs of a whole batch are read by numpy at once; records with a null in the run, and
schemas of other shapes, are read by fastavro one by one. JSON_SR: the payload is a JSON object, read
by the JSON parser once its schema id is known to the registry.
Every record that cannot be scored is rejected with its reason: not the wire format, a schema id the
registry does not know, a registry that does not answer, a missing or null feature.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from fraudlab.registry.wire import _HEADER, SchemaCache, WireFormatError, split
from fraudlab.scoring import layouts
from fraudlab.scoring.errors import RecordError
from fraudlab.scoring.parsing import JsonParser, ParsedBatch, _finalise

_FIXED = {"double": ("<f8", 8), "float": ("<f4", 4), "boolean": ("u1", 1)}


@dataclass(frozen=True)
class _Field:
    name: str
    kind: str  # an Avro primitive type name, or "complex"
    tags: tuple[int, int] | None  # (null branch byte, value branch byte) of a ["null", T] union


def _fields(schema: Any) -> list[_Field] | None:
    """The fields of a flat record, or None when the schema is not a record."""
    if not isinstance(schema, dict) or schema.get("type") != "record":
        return None
    out = []
    for f in schema.get("fields") or []:
        t = f["type"]
        tags = None
        if isinstance(t, list):
            kinds = [m if isinstance(m, str) else m.get("type") for m in t]
            if len(t) == 2 and "null" in kinds:
                value_index = 1 - kinds.index("null")
                tags = (kinds.index("null") * 2, value_index * 2)
                t = t[value_index]
            else:
                t = "complex"
        if isinstance(t, dict):
            t = "complex" if t.get("logicalType") == "decimal" else t.get("type", "complex")
        kind = t if t in ("boolean", "int", "long", "float", "double", "string", "bytes") else "complex"
        out.append(_Field(f["name"], kind, tags))
    return out


class _Plan:
    """How one writer schema's records give the features: the fields to step over, then one run of
    fixed-width fields read by numpy (`dtype`), the features at `picks` of it."""

    def __init__(self, fields: list[_Field], feature_names: Sequence[str]) -> None:
        by_lower = {f.name.lower(): i for i, f in enumerate(fields)}
        missing = [n for n in feature_names if n.lower() not in by_lower]
        if missing:
            raise WireFormatError(f"the record has no field(s) {', '.join(missing)}")
        idx = [by_lower[n.lower()] for n in feature_names]
        first, last = min(idx), max(idx)
        run = fields[first : last + 1]
        self.fast = all(f.kind in _FIXED for f in run) and all(f.kind != "complex" for f in fields[:first])
        self.prefix = fields[:first]
        id_names = {n.lower() for n in (*layouts.ID_COLUMNS, "ROWKEY")}
        self.id_at = next((i for i, f in enumerate(self.prefix) if f.name.lower() in id_names
                           and f.kind in ("string", "long", "int")), None)
        layout: list[tuple[str, str]] = []
        columns: dict[int, str] = {}
        self.tag_columns: list[tuple[str, int]] = []
        for k, f in enumerate(run):
            if f.tags is not None:
                layout.append((f"t{k}", "u1"))
                self.tag_columns.append((f"t{k}", f.tags[1]))
            layout.append((f"v{k}", _FIXED.get(f.kind, ("<f8", 8))[0]))
            columns[first + k] = f"v{k}"
        self.dtype = np.dtype(layout)
        self.size = self.dtype.itemsize
        self.picks = [columns[i] for i in idx]


def _varint(buf: memoryview, pos: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return (n >> 1) ^ -(n & 1), pos
        shift += 7


def _step(fields: list[_Field], buf: bytes | memoryview, id_at: int | None, pos: int = 0) -> tuple[int, str | None]:
    """Step over `fields` (primitives) from `pos`: (position after them, the id if any)."""
    rid = None
    for i, f in enumerate(fields):
        if f.tags is not None:
            tag = buf[pos]
            pos += 1
            if tag == f.tags[0]:
                continue
            if tag != f.tags[1]:
                raise WireFormatError(f"bad union branch in field {f.name}")
        kind = f.kind
        if kind in ("string", "bytes"):
            size, pos = _varint(buf, pos)
            if i == id_at:
                rid = str(buf[pos : pos + size], "utf-8", "replace")
            pos += size
        elif kind in ("int", "long"):
            value, pos = _varint(buf, pos)
            if i == id_at:
                rid = str(value)
        else:
            pos += _FIXED[kind][1]
    return pos, rid


class AvroParser:
    """Registered Avro records -> features (see the module doc)."""

    def __init__(self, feature_names: Sequence[str], schemas: SchemaCache) -> None:
        self.feature_names = tuple(feature_names)
        self.schemas = schemas
        self._plans: dict[int, tuple[_Plan, Any]] = {}

    def _plan(self, schema_id: int) -> tuple[_Plan, Any]:
        found = self._plans.get(schema_id)
        if found is None:
            import fastavro

            registered = self.schemas.get(schema_id)
            if registered.schema_type != "AVRO":
                raise WireFormatError(f"schema id {schema_id} is a {registered.schema_type} schema, not Avro")
            schema = json.loads(registered.schema)
            fields = _fields(schema)
            if fields is None:
                raise WireFormatError(f"schema id {schema_id} is not an Avro record")
            found = (_Plan(fields, self.feature_names), fastavro.parse_schema(schema))
            self._plans[schema_id] = found
        return found

    def parse(self, values: Sequence[bytes | None]) -> ParsedBatch:
        n_features = len(self.feature_names)
        rejects: list[tuple[int, RecordError]] = []
        by_id: dict[int, list[int]] = {}
        header = _HEADER.unpack_from
        for i, raw in enumerate(values):
            if not raw:
                rejects.append((i, RecordError(raw, "empty record")))
                continue
            if len(raw) < 5 or raw[0] != 0:
                try:
                    split(raw)
                except WireFormatError as err:
                    rejects.append((i, RecordError(raw, err.reason)))
                continue
            by_id.setdefault(header(raw)[1], []).append(i)
        parts: list[tuple[list[int], np.ndarray, list[str | None]]] = []
        for schema_id, where in by_id.items():
            try:
                plan, parsed = self._plan(schema_id)
            except WireFormatError as err:
                rejects.extend((i, RecordError(values[i], err.reason)) for i in where)
                continue
            slow = self._fast(plan, values, where, parts) if plan.fast else where
            self._slow(parsed, [(i, memoryview(values[i])[5:]) for i in slow], values, parts, rejects)  # type: ignore[arg-type]
        return _finalise(parts, rejects, n_features)

    def _fast(
        self, plan: _Plan, values: Sequence[bytes | None], where: list[int], parts: list[Any]
    ) -> list[int]:
        """Read the runs of the records at `where` at once; returns those left to the slow path."""
        runs: list[bytes] = []
        kept: list[int] = []
        ids: list[str | None] = []
        slow: list[int] = []
        size = plan.size
        prefix, id_at = plan.prefix, plan.id_at
        for i in where:
            raw: bytes = values[i]  # type: ignore[assignment]
            try:
                pos, rid = _step(prefix, raw, id_at, 5) if prefix else (5, None)
            except (WireFormatError, IndexError):
                slow.append(i)
                continue
            end = pos + size
            if end > len(raw):
                slow.append(i)
                continue
            runs.append(raw[pos:end])
            kept.append(i)
            ids.append(rid)
        if not kept:
            return slow
        rows = np.frombuffer(b"".join(runs), dtype=plan.dtype)
        ok = np.ones(len(rows), dtype=bool)
        for column, tag in plan.tag_columns:
            ok &= rows[column] == tag
        wide = np.stack([rows[c] for c in plan.picks], axis=1).astype(np.float64)
        ok &= np.isfinite(wide).all(axis=1)
        matrix = wide.astype(np.float32)
        if ok.all():
            parts.append((kept, matrix, ids))
            return slow
        good = np.flatnonzero(ok)
        if len(good):
            parts.append(([kept[k] for k in good.tolist()], matrix[good], [ids[k] for k in good.tolist()]))
        slow.extend(kept[k] for k in np.flatnonzero(~ok).tolist())
        return slow

    def _slow(
        self, parsed: Any, records: list[tuple[int, memoryview]], values: Sequence[bytes | None],
        parts: list[Any], rejects: list[tuple[int, RecordError]],
    ) -> None:
        import fastavro

        good: list[int] = []
        rows: list[list[float]] = []
        ids: list[str | None] = []
        for i, payload in records:
            try:
                record = fastavro.schemaless_reader(io.BytesIO(payload), parsed, None)
            except Exception as exc:
                rejects.append((i, RecordError(values[i], f"not a record of its Avro schema ({exc})")))
                continue
            if not isinstance(record, dict):
                rejects.append((i, RecordError(values[i], "the Avro value is not a record")))
                continue
            lower = {str(k).lower(): v for k, v in record.items()}
            row = []
            bad = []
            for name in self.feature_names:
                v = lower.get(name.lower())
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                    bad.append(f"{name}={v!r}")
                else:
                    row.append(float(v))
            if bad:
                rejects.append((i, RecordError(values[i], f"not finite numbers: {', '.join(bad[:3])}")))
                continue
            good.append(i)
            rows.append(row)
            rid = next((lower[n.lower()] for n in (*layouts.ID_COLUMNS, "ROWKEY")
                        if lower.get(n.lower()) is not None), None)
            ids.append(None if rid is None else str(rid))
        if good:
            parts.append((good, np.asarray(rows, dtype=np.float32), ids))


class JsonSrParser:
    """JSON_SR records: the JSON object after the magic byte and a schema id the registry knows."""

    def __init__(self, feature_names: Sequence[str], schemas: SchemaCache) -> None:
        self.feature_names = tuple(feature_names)
        self.schemas = schemas
        self._json = JsonParser(feature_names)

    def parse(self, values: Sequence[bytes | None]) -> ParsedBatch:
        rejects: list[tuple[int, RecordError]] = []
        where: list[int] = []
        payloads: list[bytes] = []
        for i, raw in enumerate(values):
            if not raw:
                rejects.append((i, RecordError(raw, "empty record")))
                continue
            try:
                schema_id, payload = split(raw)
                registered = self.schemas.get(schema_id)
            except WireFormatError as err:
                rejects.append((i, RecordError(raw, err.reason)))
                continue
            if registered.schema_type != "JSON":
                rejects.append((i, RecordError(raw, f"schema id {schema_id} is a {registered.schema_type} "
                                                    "schema, not a JSON schema")))
                continue
            where.append(i)
            payloads.append(bytes(payload))
        inner = self._json.parse(payloads)
        index = [where[k] for k in inner.index]
        rejects += [(where[k], RecordError(values[where[k]], err.reason)) for k, err in inner.rejects]
        return ParsedBatch(inner.features, index, inner.ids, sorted(rejects, key=lambda r: r[0]))
