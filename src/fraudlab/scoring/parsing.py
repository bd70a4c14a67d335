"""Turn a consumed batch of raw record values into a float32 feature matrix, fast.

DELIMITED lines go through a small native parser (`fraudlab._fastparse`, built at first use) that
accepts only plain lines and flags the rest, which the Python line parser then decides one by one, so
each poison record gets a precise reason for the dead-letter topic. Without a C compiler, clean
batches take one pandas C-parser pass and a failing batch is bisected. JSON objects take one orjson
call per batch.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np
import orjson
import pandas as pd

from fraudlab import _fastparse
from fraudlab.scoring import layouts
from fraudlab.scoring.errors import LayoutError, RecordError

_SLOW_BELOW = 16  # chunks this small are parsed line by line, to name each line's problem


@dataclass
class ParsedBatch:
    """Parsed rows in input order: `features[i]` belongs to input `index[i]` (with id `ids[i]`, or
    None when the record has no id field); `rejects` holds (input index, RecordError)."""

    features: np.ndarray
    index: list[int]
    ids: list[str | None]
    rejects: list[tuple[int, RecordError]] = field(default_factory=list)


def _empty(n_features: int) -> np.ndarray:
    return np.empty((0, n_features), dtype=np.float32)


def _finalise(
    parts: list[tuple[list[int], np.ndarray, list[str | None]]],
    rejects: list[tuple[int, RecordError]],
    n_features: int,
) -> ParsedBatch:
    if not parts:
        return ParsedBatch(_empty(n_features), [], [], sorted(rejects, key=lambda r: r[0]))
    index = [i for p in parts for i in p[0]]
    ids = [k for p in parts for k in p[2]]
    matrix = parts[0][1] if len(parts) == 1 else np.concatenate([p[1] for p in parts])
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    return ParsedBatch(matrix, index, ids, sorted(rejects, key=lambda r: r[0]))


class DelimitedParser:
    """Parses DELIMITED lines with a fixed column layout (or one detected from the first lines).

    `native=False` (or no C compiler) uses the pandas path; both make the same decisions."""

    def __init__(
        self, feature_names: Sequence[str], columns: Sequence[str] | None = None, native: bool = True
    ) -> None:
        self.feature_names = tuple(feature_names)
        self.columns: tuple[str, ...] | None = None
        self._lib = _fastparse.native() if native else None
        if columns is not None:
            self._set_layout(tuple(columns))

    def _set_layout(self, columns: tuple[str, ...]) -> None:
        missing = [f for f in self.feature_names if f not in columns]
        if missing:
            raise LayoutError(columns, missing)
        self.columns = columns
        self._feature_idx = [columns.index(f) for f in self.feature_names]
        self._id_idx = layouts.id_column(columns)
        self._usecols = sorted({*self._feature_idx, *([self._id_idx] if self._id_idx is not None else [])})
        self._feat_of = [-1] * len(columns)
        for k, c in enumerate(self._feature_idx):
            self._feat_of[c] = k

    @property
    def is_native(self) -> bool:
        return self._lib is not None

    def parse(self, values: Sequence[bytes | None]) -> ParsedBatch:
        if self._lib is not None and self.columns is not None and values:
            return self._parse_native(values, self._lib)
        n_features = len(self.feature_names)
        rejects: list[tuple[int, RecordError]] = []
        todo: list[int] = []
        for i, raw in enumerate(values):
            if not raw or raw.isspace():
                rejects.append((i, RecordError(raw, "empty record")))
            else:
                todo.append(i)
        if self.columns is None and todo:
            found = layouts.detect([values[i].count(b",") + 1 for i in todo[:200]])  # type: ignore[union-attr]
            if found is None:
                counts = sorted({values[i].count(b",") + 1 for i in todo[:200]})  # type: ignore[union-attr]
                for i in todo:
                    rejects.append((i, RecordError(values[i], f"{counts} fields: not a known layout "
                                                   f"(31 Kaggle, 30 unlabelled Kaggle, 34 demo)")))
                return _finalise([], rejects, n_features)
            self._set_layout(found)
        if self._lib is not None:
            return self._parse_native([values[i] for i in todo], self._lib, todo, rejects)
        parts: list[tuple[list[int], np.ndarray, list[str | None]]] = []
        self._parse_chunk(values, todo, parts, rejects)
        return _finalise(parts, rejects, n_features)

    def _parse_native(
        self,
        values: Sequence[bytes | None],
        lib: object,
        where: list[int] | None = None,
        rejects: list[tuple[int, RecordError]] | None = None,
    ) -> ParsedBatch:
        """One native pass; the lines it flags are decided by `parse_line`. `where` maps positions in
        `values` to input indices (after a layout detection took some records out)."""
        assert self.columns is not None
        rejects = rejects if rejects is not None else []
        clean = [v or b"" for v in values] if None in values else values
        res = _fastparse.parse_lines(
            lib, clean, len(self.columns), self._feat_of, len(self.feature_names), self._id_idx  # type: ignore[arg-type]
        )
        ok, features, ids = res.ok, res.features, res.ids
        all_ok = bool(ok.all())
        if not all_ok:
            for i in np.flatnonzero(~ok).tolist():
                raw = values[i]
                at = where[i] if where is not None else i
                if not raw or raw.isspace():
                    rejects.append((at, RecordError(raw, "empty record")))
                    continue
                try:
                    row, rid = self.parse_line(raw)
                except RecordError as err:
                    rejects.append((at, err))
                    continue
                features[i] = row
                if ids is not None:
                    ids[i] = rid
                ok[i] = True
            all_ok = bool(ok.all())
        keep = np.flatnonzero(ok)
        if not all_ok:
            features = features[keep]
            if ids is not None:
                ids = [ids[i] for i in keep.tolist()]
        index = keep.tolist() if where is None else [where[i] for i in keep.tolist()]
        rejects.sort(key=lambda r: r[0])
        return ParsedBatch(features, index, ids if ids is not None else [None] * len(index), rejects)

    def _parse_chunk(
        self,
        values: Sequence[bytes | None],
        idx: list[int],
        parts: list[tuple[list[int], np.ndarray, list[str | None]]],
        rejects: list[tuple[int, RecordError]],
    ) -> None:
        if not idx:
            return
        if len(idx) <= _SLOW_BELOW:
            self._parse_lines(values, idx, parts, rejects)
            return
        fast = self._fast(values, idx)
        if fast is not None:
            parts.append((idx, *fast))
            return
        mid = len(idx) // 2
        self._parse_chunk(values, idx[:mid], parts, rejects)
        self._parse_chunk(values, idx[mid:], parts, rejects)

    def _fast(
        self, values: Sequence[bytes | None], idx: list[int]
    ) -> tuple[np.ndarray, list[str | None]] | None:
        """One C-parser pass over the chunk, or None if any line is not clean."""
        assert self.columns is not None
        joined = b"\n".join(values[i] for i in idx)  # type: ignore[misc]
        ncols = len(self.columns)
        if joined.count(b",") != len(idx) * (ncols - 1) or joined.count(b"\n") != len(idx) - 1:
            return None
        try:
            frame = pd.read_csv(
                io.BytesIO(joined), header=None, names=range(ncols), usecols=self._usecols,
                na_filter=False, engine="c", skip_blank_lines=False,
                dtype={self._id_idx: str} if self._id_idx is not None else None,
            )
        except (ValueError, pd.errors.ParserError):
            return None
        if len(frame) != len(idx):
            return None
        feats = frame.loc[:, self._feature_idx]
        if any(dt.kind not in "fiu" for dt in feats.dtypes):
            return None
        matrix = feats.to_numpy(dtype=np.float32)
        if not np.isfinite(matrix).all():
            return None
        ids: list[str | None] = (
            frame[self._id_idx].tolist() if self._id_idx is not None else [None] * len(idx)
        )
        return matrix, ids

    def _parse_lines(
        self,
        values: Sequence[bytes | None],
        idx: list[int],
        parts: list[tuple[list[int], np.ndarray, list[str | None]]],
        rejects: list[tuple[int, RecordError]],
    ) -> None:
        good: list[int] = []
        rows: list[list[float]] = []
        ids: list[str | None] = []
        for i in idx:
            try:
                row, rid = self.parse_line(values[i])  # type: ignore[arg-type]
            except RecordError as err:
                rejects.append((i, err))
                continue
            good.append(i)
            rows.append(row)
            ids.append(rid)
        if good:
            parts.append((good, np.asarray(rows, dtype=np.float32), ids))

    def parse_line(self, raw: bytes) -> tuple[list[float], str | None]:
        """One line, with the exact reason when it can't be scored."""
        assert self.columns is not None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise RecordError(raw, "not UTF-8 text") from None
        if not text or text.isspace():
            raise RecordError(raw, "empty record")
        try:
            fields = next(csv.reader([text]))
        except (csv.Error, StopIteration) as exc:
            raise RecordError(raw, f"not a CSV line ({exc})") from None
        if len(fields) != len(self.columns):
            layout = ",".join(self.columns[:4])
            raise RecordError(raw, f"{len(fields)} fields, expected {len(self.columns)} ({layout},...)")
        row: list[float] = []
        for name, i in zip(self.feature_names, self._feature_idx, strict=True):
            value = _number(fields[i])
            if value is None:
                raise RecordError(raw, f"field {name}={fields[i]!r} is not a finite number")
            row.append(value)
        return row, (fields[self._id_idx] if self._id_idx is not None else None)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class JsonParser:
    """Parses JSON objects; feature names match case-insensitively (KSQL upper-cases column names)."""

    def __init__(self, feature_names: Sequence[str]) -> None:
        self.feature_names = tuple(feature_names)
        self._getters: dict[tuple[str, ...], Callable[[dict], tuple] | None] = {}  # type: ignore[type-arg]

    def _getter(self, obj: dict) -> Callable[[dict], tuple] | None:  # type: ignore[type-arg]
        keys = tuple(obj)
        if keys not in self._getters:
            if len(self._getters) > 64:  # many distinct key orders: stop caching
                self._getters.clear()
            lower = {k.lower(): k for k in keys}
            actual = [lower.get(f.lower()) for f in self.feature_names]
            if None in actual:
                self._getters[keys] = None
            elif len(actual) == 1:  # itemgetter of one key gives the value itself, not a 1-tuple (a 1-D matrix)
                only = actual[0]
                self._getters[keys] = lambda obj: (obj[only],)
            else:
                self._getters[keys] = itemgetter(*actual)  # type: ignore[arg-type]
        return self._getters[keys]

    def parse(self, values: Sequence[bytes | None]) -> ParsedBatch:
        n_features = len(self.feature_names)
        rejects: list[tuple[int, RecordError]] = []
        todo = []
        for i, raw in enumerate(values):
            if not raw or raw.isspace():
                rejects.append((i, RecordError(raw, "empty record")))
            else:
                todo.append(i)
        objs: list[object]
        try:
            objs = orjson.loads(b"[" + b",".join(values[i] for i in todo) + b"]")  # type: ignore[misc]
            if len(objs) != len(todo):  # a value held several comma-separated documents
                raise orjson.JSONDecodeError("count", "", 0)
        except orjson.JSONDecodeError:
            objs = []
            kept = []
            for i in todo:
                try:
                    objs.append(orjson.loads(values[i]))  # type: ignore[arg-type]
                    kept.append(i)
                except orjson.JSONDecodeError as exc:
                    rejects.append((i, RecordError(values[i], f"bad JSON ({exc})")))
            todo = kept
        good: list[int] = []
        rows: list[tuple] = []  # type: ignore[type-arg]
        ids: list[str | None] = []
        for i, obj in zip(todo, objs, strict=True):
            if not isinstance(obj, dict):
                rejects.append((i, RecordError(values[i], f"JSON {type(obj).__name__}, expected an object")))
                continue
            getter = self._getter(obj)
            if getter is None:
                lower = {k.lower() for k in obj}
                missing = [f for f in self.feature_names if f.lower() not in lower]
                rejects.append((i, RecordError(values[i], f"missing field(s) {', '.join(missing)}")))
                continue
            good.append(i)
            rows.append(getter(obj))
            ids.append(_json_id(obj))
        if not good:
            return _finalise([], rejects, n_features)
        try:
            matrix = np.array(rows, dtype=np.float64)
            ok = bool(np.isfinite(matrix).all())
        except (TypeError, ValueError):
            ok = False
        if ok:
            return _finalise([(good, matrix.astype(np.float32), ids)], rejects, n_features)
        return self._row_by_row(values, good, rows, ids, rejects)

    def _row_by_row(self, values, good, rows, ids, rejects) -> ParsedBatch:  # type: ignore[no-untyped-def]
        keep_i, keep_rows, keep_ids = [], [], []
        for i, row, rid in zip(good, rows, ids, strict=True):
            numbers = [_number(v) for v in row]
            named = zip(self.feature_names, row, numbers, strict=True)
            bad = [f"{n}={v!r}" for n, v, x in named if x is None]
            if bad:
                rejects.append((i, RecordError(values[i], f"not finite numbers: {', '.join(bad[:3])}")))
                continue
            keep_i.append(i)
            keep_rows.append(numbers)
            keep_ids.append(rid)
        parts = [(keep_i, np.asarray(keep_rows, dtype=np.float32), keep_ids)] if keep_i else []
        return _finalise(parts, rejects, len(self.feature_names))


def _json_id(obj: dict) -> str | None:  # type: ignore[type-arg]
    for name in (*layouts.ID_COLUMNS, "ROWKEY"):
        value = obj.get(name)
        if value is not None:
            return str(value)
    return None
