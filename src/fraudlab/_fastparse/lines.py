"""The ctypes call: a batch of raw lines -> (float32 rows, accepted mask, id field spans)."""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class LinesResult:
    """`features[i]` is valid where `ok[i]`; `ids[i]` is the id field's text (None without one)."""

    features: np.ndarray
    ok: np.ndarray
    ids: list[str | None] | None


def _ptr(arr: np.ndarray, ctype: type) -> object:
    return arr.ctypes.data_as(ctypes.POINTER(ctype))


def parse_lines(
    lib: ctypes.CDLL, values: Sequence[bytes], ncols: int, feat_of: Sequence[int], nfeat: int,
    id_col: int | None,
) -> LinesResult:
    """Parse every line with the native parser; lines it does not accept have ok[i] False."""
    n = len(values)
    buf = b"\n".join(values)  # the separator is never read: each line is parsed within its bounds
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=n)
    ends = np.cumsum(lengths + 1) - 1
    starts = ends - lengths
    feats = np.empty((n, nfeat), dtype=np.float32)
    spans = np.empty((n, 2), dtype=np.int64)
    ok = np.empty(n, dtype=np.uint8)
    cols = np.asarray(feat_of, dtype=np.int32)
    lib.fl_parse_lines(
        buf, _ptr(starts, ctypes.c_int64), _ptr(ends, ctypes.c_int64), n, ncols, _ptr(cols, ctypes.c_int32),
        nfeat, -1 if id_col is None else id_col, _ptr(feats, ctypes.c_float), _ptr(spans, ctypes.c_int64),
        _ptr(ok, ctypes.c_uint8),
    )
    mask = ok.view(bool)
    ids: list[str | None] | None = None
    if id_col is not None:
        ids = [buf[a:b].decode("ascii") if good else None for (a, b), good in zip(spans.tolist(), mask.tolist(), strict=True)]
    return LinesResult(feats, mask, ids)
