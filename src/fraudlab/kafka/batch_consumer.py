"""A native batch consumer: librdkafka writes parsed DELIMITED rows straight into numpy buffers.

confluent-kafka makes one Python `Message` per record, and at a few hundred thousand records a second
that object traffic is the cost. `BatchConsumer` drives the librdkafka that confluent-kafka bundles
through a small C file (`fraudlab/kafka/batch_consumer.c`, built at first use like the DELIMITED
parser): records are fetched in batches and parsed in C into the caller's float32 buffers, and only
records the C parser does not accept come back to Python as bytes, for the Python parsers to decide
(and name the problem). `native_library()` is None when no C compiler or no bundled librdkafka is
available; callers then use confluent-kafka.
"""

from __future__ import annotations

import ctypes
import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fraudlab._fastparse.build import load_library
from fraudlab.kafka.errors import KafkaClientError
from kafkanative import librdkafka_path

log = logging.getLogger(__name__)

SOURCE = Path(__file__).with_name("batch_consumer.c")
_MIN_VERSION = 0x01060000  # rd_kafka_consume_batch_queue on the consumer queue, stable struct layouts
_RAW_START = 1 << 20

_P = ctypes.c_void_p
_I32P = ctypes.POINTER(ctypes.c_int32)
_I64P = ctypes.POINTER(ctypes.c_int64)


class BatchConsumerError(KafkaClientError):
    """The native consumer refused a setting or librdkafka reported an error; `code` is librdkafka's
    error code (None for a refused setting), `setting` the offending configuration key if any."""

    def __init__(self, topic: str, problem: str, code: int | None = None, setting: str | None = None) -> None:
        super().__init__(f"native consumer of '{topic}': {problem}", code)
        self.topic = topic
        self.code = code
        self.setting = setting


class UnsupportedSettingError(BatchConsumerError):
    """A setting only confluent-kafka can apply (a Python callback such as `error_cb` or `oauth_cb`)."""


class _Stats(ctypes.Structure):
    _fields_ = [(name, ctypes.c_int64) for name in (
        "rows", "raw_used", "raw_needed", "errors", "last_error", "messages", "dropped")]


@functools.cache
def _load() -> tuple[ctypes.CDLL | None, str]:
    try:
        # the librdkafka confluent-kafka loaded, found as kafkanative finds it (one copy in the process)
        lib = load_library(SOURCE, link=[librdkafka_path()])
    except OSError as exc:  # nativebuild.BuildError: no compiler, no headers, a failed build
        return None, str(exc)
    lib.fl_kc_version.restype = ctypes.c_int
    version = lib.fl_kc_version()
    if version < _MIN_VERSION:
        return None, f"librdkafka {version:#x} is older than {_MIN_VERSION:#x}"
    lib.fl_kc_err2str.restype = ctypes.c_char_p
    lib.fl_kc_err2str.argtypes = [ctypes.c_int]
    lib.fl_kc_new.restype = _P
    lib.fl_kc_new.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_char_p), ctypes.c_int,
                              ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.fl_kc_partitions.restype = ctypes.c_int64
    lib.fl_kc_partitions.argtypes = [_P, _I32P, ctypes.c_int64, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    lib.fl_kc_watermarks.restype = ctypes.c_int
    lib.fl_kc_watermarks.argtypes = [_P, ctypes.c_int32, _I64P, _I64P, ctypes.c_int]
    for name in ("fl_kc_assign", "fl_kc_commit"):
        getattr(lib, name).restype = ctypes.c_int
        getattr(lib, name).argtypes = [_P, _I32P, _I64P, ctypes.c_int]
    lib.fl_kc_subscribe.restype = ctypes.c_int
    lib.fl_kc_subscribe.argtypes = [_P]
    lib.fl_kc_read.restype = ctypes.c_int64
    lib.fl_kc_read.argtypes = [
        _P, ctypes.c_int64, ctypes.c_int, ctypes.c_int, _I32P, ctypes.c_int, _P, _P, _P, _P, _P, _P,
        ctypes.c_int64, _P, ctypes.c_int64, _I64P, ctypes.c_int32, ctypes.POINTER(_Stats),
    ]
    lib.fl_kc_close.restype = None
    lib.fl_kc_close.argtypes = [_P]
    return lib, ""


def native_library() -> ctypes.CDLL | None:
    """The loaded native consumer, or None when it cannot be built or loaded (see `unavailable_reason`)."""
    return _load()[0]


def unavailable_reason() -> str:
    return _load()[1]


def librdkafka_settings(topic: str, conf: Mapping[str, Any]) -> list[tuple[str, str]]:
    """librdkafka's string form of a confluent-kafka configuration dict (as `KafkaConfig.as_librdkafka()`
    returns), refusing what only confluent-kafka understands."""
    pairs = []
    for key, value in conf.items():
        if value is None:
            continue
        if callable(value) or not isinstance(value, str | int | float | bool):
            raise UnsupportedSettingError(topic, f"setting '{key}' needs confluent-kafka "
                                          f"({type(value).__name__} value)", setting=key)
        pairs.append((key, ("true" if value else "false") if isinstance(value, bool) else str(value)))
    return pairs


@dataclass
class RowBuffers:
    """Caller-owned output of `BatchConsumer.read`: `cap` rows of features `x` (float32 [cap, nx]),
    label `y` (float32 [cap] or None), and the record each row came from."""

    x: np.ndarray
    y: np.ndarray | None
    partition: np.ndarray
    offset: np.ndarray
    flag: np.ndarray
    span: np.ndarray

    @classmethod
    def allocate(cls, cap: int, nx: int, label: bool) -> RowBuffers:
        return cls(
            np.empty((cap, nx), dtype=np.float32), np.empty(cap, dtype=np.float32) if label else None,
            np.empty(cap, dtype=np.int32), np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.uint8),
            np.empty((cap, 2), dtype=np.int64),
        )

    @property
    def cap(self) -> int:
        return len(self.partition)


@dataclass(frozen=True)
class ReadResult:
    """`rows` rows were written from the `start` row on; rows `flagged` (absolute row numbers) hold no
    parsed values: their raw record values are `values`, for the caller to decide."""

    rows: int
    flagged: np.ndarray
    values: list[bytes]
    errors: int
    last_error: int
    dropped: int


class BatchConsumer:
    """One librdkafka consumer of one topic, reading into `RowBuffers`. Not thread-safe; close it
    (or use it as a context manager) to leave the group and free what librdkafka holds."""

    def __init__(self, topic: str, conf: Mapping[str, Any], lib: ctypes.CDLL | None = None) -> None:
        self.topic = topic
        self._lib = lib or native_library()
        if self._lib is None:
            raise BatchConsumerError(topic, f"unavailable ({unavailable_reason()})")
        pairs = librdkafka_settings(topic, conf)
        keys = (ctypes.c_char_p * max(len(pairs), 1))(*[k.encode() for k, _ in pairs])
        values = (ctypes.c_char_p * max(len(pairs), 1))(*[v.encode() for _, v in pairs])
        why = ctypes.create_string_buffer(512)
        self._handle: int | None = self._lib.fl_kc_new(keys, values, len(pairs), topic.encode(), why, len(why))
        if not self._handle:
            problem = why.value.decode(errors="replace")
            # Refused settings come back as "<name>: <why>" (librdkafka's own messages have spaces).
            name = problem.split(":", 1)[0] if ":" in problem else ""
            raise BatchConsumerError(topic, f"cannot create the consumer: {problem}",
                                     setting=name if name and not any(c.isspace() for c in name) else None)
        self._raw = np.empty(_RAW_START, dtype=np.uint8)
        self._stats = _Stats()

    def __enter__(self) -> BatchConsumer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _live(self) -> int:
        if not self._handle:
            raise BatchConsumerError(self.topic, "used after close")
        return self._handle

    def error_text(self, code: int) -> str:
        return self._lib.fl_kc_err2str(code).decode(errors="replace")

    def _check(self, code: int, what: str) -> None:
        if code:
            raise BatchConsumerError(self.topic, f"{what}: {self.error_text(code)}", code)

    def partitions(self, timeout_s: float = 10.0) -> list[int]:
        """The topic's partition ids; BatchConsumerError when the topic does not exist."""
        out = np.empty(4096, dtype=np.int32)
        err = ctypes.c_int(0)
        n = self._lib.fl_kc_partitions(self._live(), _ptr(out, ctypes.c_int32), len(out), _ms(timeout_s),
                                       ctypes.byref(err))
        self._check(err.value, "metadata")
        if n > len(out):
            raise BatchConsumerError(self.topic, f"{n} partitions; at most {len(out)} are supported")
        return sorted(out[:n].tolist())

    def watermarks(self, partition: int, timeout_s: float = 10.0) -> tuple[int, int]:
        low, high = ctypes.c_int64(0), ctypes.c_int64(0)
        code = self._lib.fl_kc_watermarks(self._live(), partition, ctypes.byref(low), ctypes.byref(high),
                                          _ms(timeout_s))
        self._check(code, f"watermarks of partition {partition}")
        return low.value, high.value

    def assign(self, offsets: Mapping[int, int]) -> None:
        """Read these partitions from these offsets (or -2 for the beginning), outside any group."""
        parts, offs = _arrays(offsets)
        self._check(self._lib.fl_kc_assign(self._live(), parts, offs, len(offsets)), "assign")

    def subscribe(self) -> None:
        self._check(self._lib.fl_kc_subscribe(self._live()), "subscribe")

    def commit(self, offsets: Mapping[int, int]) -> None:
        """Commit (synchronously) the next offset to read of each partition."""
        if offsets:
            parts, offs = _arrays(offsets)
            self._check(self._lib.fl_kc_commit(self._live(), parts, offs, len(offsets)), "commit")

    def read(
        self, buf: RowBuffers, start: int, max_rows: int, timeout_s: float,
        feat_of: np.ndarray | None, ends: np.ndarray | None,
    ) -> ReadResult:
        """Up to `max_rows` rows into `buf` from row `start`, waiting at most `timeout_s`.

        `feat_of[c]` (int32, one per DELIMITED field) is the feature slot of field c (-1: not used;
        slot `nx` is the label); None returns every record raw. `ends` (int64, indexed by partition)
        bounds a read: records at or after `ends[p]` are dropped, and `ends[p]` becomes -1 once the
        partition is read to there."""
        if not 0 <= start <= buf.cap or max_rows < 0 or start + max_rows > buf.cap:
            raise ValueError(f"rows {start}..{start + max_rows} do not fit buffers of {buf.cap} rows")
        nx = buf.x.shape[1]
        if buf.x.shape[0] != buf.cap or (buf.y is not None and len(buf.y) != buf.cap) or len(buf.span) != buf.cap:
            raise ValueError("row buffers of different lengths")
        for arr in (buf.x, buf.y, buf.partition, buf.offset, buf.flag, buf.span, feat_of, ends):
            if arr is not None and not arr.flags.c_contiguous:
                raise ValueError("row buffers must be C-contiguous")
        if feat_of is not None and feat_of.dtype != np.int32:
            raise ValueError("feat_of must be int32")
        if ends is not None and ends.dtype != np.int64:
            raise ValueError("ends must be int64")
        handle = self._live()
        stats = self._stats
        while True:
            code = self._lib.fl_kc_read(
                handle, max_rows, _ms(timeout_s), len(feat_of) if feat_of is not None else 0,
                _ptr(feat_of, ctypes.c_int32) if feat_of is not None else None, nx,
                _at(buf.x, start), _at(buf.y, start) if buf.y is not None else None,
                _at(buf.partition, start), _at(buf.offset, start), _at(buf.flag, start),
                self._raw.ctypes.data, len(self._raw), _at(buf.span, start), buf.cap - start,
                _ptr(ends, ctypes.c_int64) if ends is not None else None,
                len(ends) if ends is not None else 0, ctypes.byref(stats),
            )
            if code < 0:
                raise BatchConsumerError(self.topic, f"read refused its arguments: {self.error_text(code)}", code)
            if stats.rows or not stats.raw_needed:
                break
            # A record larger than the whole raw buffer: grow it and read that record again.
            self._raw = np.empty(max(2 * len(self._raw), stats.raw_needed), dtype=np.uint8)
        rows = stats.rows
        flagged = start + np.flatnonzero(buf.flag[start:start + rows])
        raw = self._raw
        values = [raw[a:b].tobytes() for a, b in buf.span[flagged].tolist()] if len(flagged) else []
        if stats.raw_needed > len(raw):
            self._raw = np.empty(max(2 * len(raw), stats.raw_needed), dtype=np.uint8)
        return ReadResult(rows, flagged, values, stats.errors, stats.last_error, stats.dropped)

    def close(self) -> None:
        """Leave the group (committing nothing more) and free every message and the handle."""
        handle, self._handle = self._handle, None
        if handle:
            self._lib.fl_kc_close(handle)

    def __del__(self) -> None:
        # A consumer dropped without close() (e.g. an abandoned generator) must not leak librdkafka.
        if getattr(self, "_handle", None):
            self.close()


def _ms(seconds: float) -> int:
    return max(0, min(int(seconds * 1000), 2**31 - 1))


def _ptr(arr: np.ndarray, ctype: type) -> Any:
    return arr.ctypes.data_as(ctypes.POINTER(ctype))


def _at(arr: np.ndarray, row: int) -> int:
    """The address of row `row` of a C-contiguous array."""
    return arr.ctypes.data + row * arr.strides[0]


def _arrays(offsets: Mapping[int, int]) -> tuple[Any, Any]:
    parts = (ctypes.c_int32 * max(len(offsets), 1))(*offsets.keys())
    offs = (ctypes.c_int64 * max(len(offsets), 1))(*offsets.values())
    return ctypes.cast(parts, _I32P), ctypes.cast(offs, _I64P)
