"""Bytes for state-store keys and values (changelog records, local snapshots).

Store keys are tuples and values are plain Python data (lists, dicts with any keys, numbers, strings,
Decimal, bytes, sets): tagged JSON keeps every type exact (a tuple stays a tuple, a Decimal keeps its
scale) without pickle, so a record someone else wrote to a changelog topic can never run code.
"""

from __future__ import annotations

import base64
import logging
import math
import operator
from decimal import Decimal
from functools import partial
from itertools import chain, compress, repeat
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson

from ksqlserver.errors import KsqlError
from nativebuild import BuildError, NativeSpec, load_extension

log = logging.getLogger("ksqlserver.native")
SPEC = NativeSpec(namespace="ksqlserver", sources=(Path(__file__).with_name("_codec.c"),), python=True)


def _load() -> ModuleType | None:
    try:
        return load_extension(SPEC)
    except BuildError as exc:
        log.warning("C state codec helper unavailable (%s); using the Python passes", exc)
        return None


_native = _load()


def native() -> ModuleType | None:
    """The C helpers of `_codec.c` (also the changelog's record builder), or None when they did not build."""
    return _native


class StateCodecError(KsqlError):
    """A state value of a type the codec does not know, or changelog bytes it cannot read."""

    def __init__(self, message: str, value: Any = None) -> None:
        super().__init__(message)
        self.value = value


def to_json(v: Any) -> Any:
    """Plain data -> JSON-ready data; lists stay JSON arrays, other containers are tagged objects."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if v == v and v not in (float("inf"), float("-inf")) else {"#f": repr(v)}
    if isinstance(v, list):
        return v if _plain_list(v) else [to_json(x) for x in v]
    if isinstance(v, tuple):
        return {"#t": [to_json(x) for x in v]}
    if isinstance(v, dict):
        return {"#d": [[to_json(k), to_json(x)] for k, x in v.items()]}
    if isinstance(v, Decimal):
        return {"#n": str(v)}
    if isinstance(v, (bytes, bytearray)):
        return {"#b": base64.b64encode(v).decode("ascii")}
    if isinstance(v, (set, frozenset)):
        return {"#s": [to_json(x) for x in v]}
    raise StateCodecError(f"state value of type {type(v).__name__} cannot be written to a changelog", v)


_PLAIN_TYPES = frozenset({int, float, str, bool, type(None)})  # written by orjson as `to_json` writes them
_is_float = partial(operator.is_, float)
_NONE_TYPE = type(None)


def _plain_list(v: list[Any]) -> bool:
    """True when every item of `v` is its own JSON image (int, str, bool, None, finite float): decided with
    C-level iteration, since rows of numbers (table rows kept by joins) are the common store value."""
    types = list(map(type, v))
    if not _PLAIN_TYPES.issuperset(types):
        return False
    if float not in types:
        return True
    try:
        return math.isfinite(math.fsum(compress(v, map(_is_float, types))))
    except OverflowError:  # finite floats whose sum overflows: decided item by item
        return all(math.isfinite(x) for x in compress(v, map(_is_float, types)))


def from_json(v: Any) -> Any:
    if isinstance(v, list):
        return [from_json(x) for x in v]
    if not isinstance(v, dict):
        return v
    (tag, body), = v.items()
    if tag == "#t":
        return tuple(from_json(x) for x in body)
    if tag == "#d":
        return {_hashable(from_json(k)): from_json(x) for k, x in body}
    if tag == "#n":
        return Decimal(body)
    if tag == "#b":
        return base64.b64decode(body)
    if tag == "#s":
        return {_hashable(from_json(x)) for x in body}
    if tag == "#f":
        return float(body)
    raise StateCodecError(f"unknown state tag {tag!r}", v)


def _hashable(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def encode(v: Any) -> bytes:
    return orjson.dumps(to_json(v))


_KEY_CLASSES = frozenset({str, int, bool, type(None)})  # written by orjson as `to_json` would


def encode_key(key: Any) -> bytes:
    """`encode(key)`; a store key of str / int / bool / None values is written in one orjson call."""
    if key.__class__ is not tuple or not all(map(_KEY_CLASSES.__contains__, map(type, key))):
        return encode(key)
    return b'{"#t":' + orjson.dumps(key) + b"}"


def encode_plain(v: Any) -> bytes:
    """`encode(v)` for a value known to hold no tuple, in one orjson call where that gives the same bytes:
    not for a dict (tagged here, an object to orjson), a non-finite float (orjson writes null) or a type
    orjson refuses; any `{` or `null` in its text sends the value through `encode`."""
    try:
        data = orjson.dumps(v)
    except TypeError:
        return encode(v)
    return data if b"null" not in data and b"{" not in data else encode(v)


# Batches are written with one orjson call and cut into their items: one call per item costs far more
# (each output starts as a large buffer shrunk afterwards) than the writing itself.
_SEP = "\x00~"  # between the items of a batch of values; a value holding it is seen by the count below
_SEP_JSON = b',"\\u0000~"'

# One orjson call per batch, not per value: each call allocates a 1 KiB buffer, which costs more than
# writing a small value. The values are written as one list with this marker string between them and
# the text is cut at the marker (whose JSON, quoted \u escapes between commas, no value's text holds
# unless a string in it is the marker itself: the count of cuts tells).
_MARK = "\x00\x1f"
_MARK_JSON = b',"\\u0000\\u001f",'


def _str_keys(keys: list[Any]) -> list[bytes] | None:
    """`encode_key` of 1-tuples of str, by templates: when orjson escapes nothing in any of them (its text
    of the list is then exactly quotes, commas and the strings' UTF-8)."""
    if not all(k.__class__ is tuple and len(k) == 1 and k[0].__class__ is str for k in keys):
        return None
    strs = [k[0] for k in keys]
    try:
        size = sum(map(len, map(str.encode, strs)))
        blob = orjson.dumps(strs)
    except (TypeError, UnicodeEncodeError):
        return None
    if len(blob) != size + 3 * len(strs) + 1:  # [ + "s", ... + ]: anything else was escaped
        return None
    return list(map(str.encode, map('{"#t":["%s"]}'.__mod__, strs)))


def encode_keys(keys: list[Any]) -> list[bytes]:
    """`encode_key` of each key; a batch of flat tuples is written by orjson and checked in one scan (a
    `[` beyond one per key, a `{` or an `n` - null or a string holding one - sends it key by key). With
    no `[` inside any key, the keys' arrays are the text between `],[`."""
    if _native is not None and keys and (fast := _tuples_in_one_call(keys)) is not None:
        return fast  # a key is a tuple: `encode_key` writes flat ones as this does (tested)
    if keys and (fast := _str_keys(keys)) is not None:
        return fast
    try:
        blob = orjson.dumps(keys) if all(k.__class__ is tuple for k in keys) else None
    except TypeError:
        blob = None
    if blob is not None and keys and blob.count(b"[") == len(keys) + 1 and b"{" not in blob and b"n" not in blob:
        return list(map(b'{"#t":[%b]}'.__mod__, blob[2:-2].split(b"],[")))
    return list(map(encode_key, keys))


def _tuples_in_one_call(values: list[Any]) -> list[bytes] | None:
    """`encode` of each value when every value is a tuple of str, int, bool, None, finite floats and
    tuples of those (join state's shape): orjson writes them all in one call, tuples as arrays, which
    become tagged objects by replacing every bracket; None for any other batch. Checked in C-level
    passes: the item types, one `[` and `]` per tuple (a string holding one fails it) and one `null`
    per None (a non-finite float, which orjson writes as null, or a string holding "null" fails it).
    The items' types are listed once and serve every check (a commit's changelog passes here with one
    value per changed key, so each pass over the items counts)."""
    if not values:
        return None
    if _native is not None and values.__class__ is list:  # the same checks and counts in one C walk
        counts = _native.scan_tuples(values)
        if counts is None:
            return None
        arrays, nulls = counts
    else:
        counted = _scan_py(values)
        if counted is None:
            return None
        arrays, nulls = counted
    batch: list[Any] = [_MARK] * (2 * len(values) - 1)
    batch[::2] = values
    try:
        blob = orjson.dumps(batch)
    except TypeError:
        return None
    return _cut(blob, arrays, nulls, len(values))


def _scan_py(values: list[Any]) -> tuple[int, int] | None:
    """(the '[' of the batch's text: 1 + one per tuple, the None items) when every value is a tuple of
    plain items and tuples of those; else None."""
    if set(map(type, values)) != {tuple}:
        return None
    items = list(chain.from_iterable(values))
    types = list(map(type, items))
    kinds = set(types)
    nested: list[Any] = []
    if tuple in kinds:
        kinds.discard(tuple)
        nested = list(compress(items, map(_is_tuple, types)))
    if not _PLAIN_TYPES.issuperset(kinds):
        return None
    inner = list(chain.from_iterable(nested))
    inner_types = list(map(type, inner))
    if not _PLAIN_TYPES.issuperset(inner_types):
        return None
    # the plain items equal to None are None itself: counted by type, without an == per item
    return 1 + len(values) + len(nested), types.count(_NONE_TYPE) + inner_types.count(_NONE_TYPE)


def _cut_py(blob: bytes, arrays: int, nulls: int) -> list[bytes] | None:
    """The batch's values, tagged: None unless `blob` holds exactly `arrays` '[' and ']' and `nulls`
    "null" (else a string held one, or a non-finite float was written as null)."""
    if blob.count(b"[") != arrays or blob.count(b"]") != arrays:
        return None
    if blob.count(b"null") != nulls:
        return None
    return blob[1:-1].replace(b"[", b'{"#t":[').replace(b"]", b"]}").split(_MARK_JSON)


def _cut(blob: bytes, arrays: int, nulls: int, n: int) -> list[bytes] | None:
    """`_cut_py`, in C when the helper built (two passes over the text instead of six); None also when
    the cut does not give `n` values (a string held the marker)."""
    parts = _cut_py(blob, arrays, nulls) if _native is None else _native.tag_split(blob, _MARK_JSON, arrays, nulls)
    return parts if parts is not None and len(parts) == n else None


_is_tuple = partial(operator.is_, tuple)
_not_tuple = partial(operator.is_not, tuple)


def encode_values(values: list[Any]) -> list[bytes]:
    """`encode` of each value (none None): a batch of join state's shape in one orjson call
    (`_tuples_in_one_call`), any other value by value."""
    fast = _tuples_in_one_call(values)
    return fast if fast is not None else list(map(encode, values))


def encode_plain_values(values: list[Any]) -> list[bytes]:
    """`encode_plain` of each value (none None), checked in one scan of the whole batch."""
    if not values:
        return []
    try:
        blob = orjson.dumps(list(chain.from_iterable(zip(values, repeat(_SEP)))))
    except TypeError:
        return list(map(encode_plain, values))
    if blob.count(_SEP_JSON) != len(values):  # a value holding the separator: one by one
        out = list(map(orjson.dumps, values))
    else:
        out = blob[1 : -len(_SEP_JSON) - 1].split(_SEP_JSON + b",")
    if b"n" not in blob and b"{" not in blob:  # (the separator holds neither)
        return out
    return [encode(v) if b"null" in d or b"{" in d else d for v, d in zip(values, out, strict=True)]


def decode(data: bytes) -> Any:
    try:
        return from_json(orjson.loads(data))
    except (orjson.JSONDecodeError, ValueError, TypeError) as e:
        raise StateCodecError(f"unreadable state bytes: {e}", data[:100]) from None
