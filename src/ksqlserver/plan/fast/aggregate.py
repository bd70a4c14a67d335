"""A generated batch loop for the common persistent aggregation: GROUP BY over a stream, tumbling/hopping
windows or none, built-in COUNT/SUM/AVG/MIN/MAX; its outputs go to the output list (caching off: one
output per input) or into the query's record cache (runtime/record_cache.py), as the generic operator's do.

The generic operator (`plan/aggregate.py`) calls a closure per step, per aggregate and per column, and
builds the aggregate row before projecting it. This loop is generated per query: the source row is built
once, WHERE / GROUP BY / aggregate arguments that are plain columns are read inline (others through the
generic compiled functions), accumulators are updated inline, the state entry is written as the generic
code writes it (the same lists, so store contents and changelog bytes are identical), and the output value
is the sink format's encode snippet (formats.base.Format.encode_snippet), with the inner key bytes
cached per group value.

For tumbling windows of the common shape (`_tumbling_step`), the per-window body after the record's decode
and stream-time lines is one C call (`_winstep.c`) doing the same steps; it declines what it does not cover
and the generated lines run instead.

Exactness: a record whose value is null or cannot be decoded, or whose WHERE / key / arguments raise, goes
through the generic path for that record (`slow`), which reports it as before; an output the inline
projection or writer cannot render exactly goes through the generic `emit` (state already updated, as the
generic code does it). Session windows merge through the session index as the generic
add_session does; their store writes stay inline with a record cache, the loop keeping each key's value
below the cache as CacheBypassStore.put would (pull queries read it: SessionStoreCacheBypass). Shapes it does not cover (table sources, EMIT FINAL, HAVING,
transient queries, other aggregate functions or DECIMAL arguments, header columns, a timestamp column)
get no loop: `build` returns None and the generic operator runs alone.
"""

from __future__ import annotations

import bisect
import logging
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from ksqlserver.analyze.aggregate_query import AggregateQuery
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import HEADER
from ksqlserver.compile.codegen import Emitter
from ksqlserver.drivers.base import Record
from ksqlserver.formats import get_format
from ksqlserver.functions.udafs.common import add_pair
from ksqlserver.runtime import record_cache
from ksqlserver.runtime.operators.windows import SessionIndex, WindowSpec
from ksqlserver.runtime.state.base import KeyValueStore
from nativebuild import BuildError, NativeSpec, load_extension

FastLoop = Callable[[Sequence[Record], list[Any]], None]

# argument types whose accumulators the loop updates inline (DECIMAL and others: generic code)
_INLINE_ARGS = {"INTEGER", "BIGINT", "DOUBLE"}
_SIMPLE = re.compile(r"row\[(\d+)\]")
_KEY_CACHE_MAX = 100_000  # inner key bytes remembered per group value (a bounded memo, cleared when full)
log = logging.getLogger("ksqlserver.native")
_WINSTEP = NativeSpec(namespace="ksqlserver", sources=(Path(__file__).with_name("_winstep.c"),), python=True)


def _load_winstep() -> ModuleType | None:
    try:
        module = load_extension(_WINSTEP)
    except BuildError as exc:
        log.warning("C tumbling-window step unavailable (%s); the generated Python lines run alone", exc)
        return None
    return module if module.KEY_CACHE_MAX == _KEY_CACHE_MAX else None


# `_winstep.c`: one tumbling-window update and its output in C (see _tumbling_step); None: Python lines only
winstep: ModuleType | None = _load_winstep()
# the kinds `_winstep.Step` updates (its enum): COUNT(*), COUNT, SUM of DOUBLE, SUM of INT / BIGINT, MIN / MAX
# of INT / BIGINT
_STEP_KINDS = {"COUNT_STAR": 0, "COUNT": 1, "SUM": 2, "SUM_INT32": 3, "SUM_INT64": 4, "MIN": 5, "MAX": 6}


@dataclass
class AggParts:
    """What the fast loop shares with the generic operator compiled beside it."""

    aq: AggregateQuery
    sink: DataSource
    store: KeyValueStore
    window: WindowSpec | None
    stream_times: dict[int, int]  # per input partition, advanced by both paths
    where_fn: Callable[[list[Any]], Any] | None
    group_fn: Callable[[list[Any]], tuple[Any, ...]]
    group_codes: list[str]
    arg_fns: list[Callable[[list[Any]], Any]]
    arg_codes: list[list[str]]
    project_fn: Callable[[list[Any], Callable[[int, Exception], None]], list[Any]]
    project_codes: list[str]
    col_error: Callable[[int, Exception], None]
    # the generic path for one whole record, and the generic output step (project, serialise, append)
    slow: Callable[[Record, list[Any]], None]
    emit: Callable[[tuple[Any, ...], list[Any] | None, int, tuple[int, int] | None, Record, list[Any]], None]
    used_columns: frozenset[int]  # source-row positions WHERE / GROUP BY / arguments read
    # windowed: note a new window (its start, its store key), and drop windows past retention
    track: Callable[[int, tuple[Any, ...]], None] | None = None
    expire: Callable[[], None] | None = None
    sessions: SessionIndex | None = None  # session windows: the live sessions by key and time
    # [stream time] below which `expire` has nothing to drop (window_close.WindowClosing.expire_due)
    expire_due: list[int] | None = None
    # whether the last WHERE noted nested failures (cleared): such a record goes to the generic path
    where_failed: Callable[[], bool] | None = None



# MIN/MAX in the loop: the values for which Python's order may differ from Java's compareTo, left to the
# generic add (BaseComparableKudaf): NaN and zeros for DOUBLE, non-ASCII on both sides for STRING
_JAVA_ORDER_GUARDS = {
    "DOUBLE": "{v} != {v} or {a} != {a} or {v} == 0.0",
    "STRING": "not ({v}.isascii() or {a}.isascii())",
}

def _agg_kind(name: str, star: bool, arg_types: Sequence[Any]) -> str | None:
    """The inline form of one aggregate call, or None when the loop does not cover it."""
    if name == "COUNT":
        return "COUNT_STAR" if star or not arg_types else "COUNT"
    base = arg_types[0].base if arg_types and arg_types[0] is not None else None
    if name in ("SUM", "AVG") and base in _INLINE_ARGS:
        return f"{name}_INT" if name == "SUM" and base != "DOUBLE" else name
    if name in ("MIN", "MAX") and base in (*_INLINE_ARGS, "STRING"):
        return name
    return None


def _no_reset() -> None:
    return None


def build(p: AggParts) -> FastLoop | None:
    """The fast loop for this aggregation, or None when it does not qualify."""
    aq, sink, window = p.aq, p.sink, p.window
    source = aq.source
    if source.is_table or aq.having is not None or aq.emit == "FINAL" or aq.limit is not None:
        return None
    if sink is not None and sink.timestamp_column:  # SinkBuilder.TransformTimestamp: the generic emitter
        return None
    session = window is not None and window.is_session
    if session and (
        p.sessions is None
        or window.retention < window.size_ms + window.grace_ms  # type: ignore[union-attr]
        or any(a.aggregator.merge is None for a in aq.aggs)
    ):
        # expiry runs before the record's update here, after it in the generic operator: the same only
        # while no session within the gap of a record can have expired (retention >= gap + grace)
        return None
    cols = source.schema.columns
    n_key = len(source.schema.key)
    if any(c.namespace == HEADER for c in cols) or source.timestamp_column:
        return None
    if any(c.namespace == "KEY" for c in cols[n_key:]):  # the generic reader places such values by index
        return None
    if source.window is not None or any(t is not None and t.base in ("STRUCT", "ARRAY") for _, _, t in aq.group_by):
        return None  # windowed keys, and grouping keys frozen into tuples: the generic path
    kinds = [_agg_kind(a.name, a.call.star, a.arg_types) for a in aq.aggs]
    if any(k is None for k in kinds) or any(len(c) > 1 for c in p.arg_codes):
        return None

    ns: dict[str, Any] = {
        "Record": Record,
        "_new": tuple.__new__,
        "_kde": source.key_serde.deserialize,
        "_vde": source.value_serde.deserialize,
        "_get": p.store.getter(),
        "_put": p.store.put,
        "_target": p.store.put_target,
        "_st": p.stream_times,
        "_where": p.where_fn,
        "_where_failed": p.where_failed,
        "_group": p.group_fn,
        "_project": p.project_fn,
        "_col_error": p.col_error,
        "_emit": p.emit,
        "_kser": sink.key_serde.serialize,
        "_vser": sink.value_serde.serialize,
        "_kcache": {},
        "_pack": struct.Struct(">q").pack,
        "_pack2": struct.Struct(">qq").pack,  # a session key's end and start
        "_track": p.track,
        "_expire": p.expire,
        "_wreset": _no_reset,  # the C step's `reset` when there is one
    }
    n_cols = len(cols)
    L: list[str] = [
        # _pd, _pn, _pp: the store's put target for this batch (KeyValueStore.put_target), _pd None: `_put`;
        # _bws, _ks, _kc, _kr: a session store read below its record cache (CacheBypassStore.keeping_writes:
        # `setdefault` of its kept values, its mark, the cache, its rebase), _kc None: no values to keep
        "def _fastagg(records, out, slow, _pd, _pn, _pp, _bws=None, _ks=None, _kc=None, _kr=None):",
        "    append = out.append",
        # with the record cache (runtime/record_cache.py) `out` is the cache: a row for a new group, window
        # or session goes through its `fresh` (no live output flushed for that key before)
        "    fresh = append if out.__class__ is list else out.fresh",
        "    _ls = None",  # the window start whose index bucket `_lb` is (tumbling windows)
        "    for rec in records:",
        "        v = rec[1]",
        "        if v is None:",  # a null value: the generic path skips it
        "            slow(rec, out)",
        "            continue",
        "        try:",
    ]
    # the source format's decode snippet (the compiled decoder only checks the columns no expression
    # reads: None in the row); values it declines go through the source's generic reader
    vcols = list(source.value_serde.columns)
    unread = {k for k in range(len(vcols)) if n_key + k not in p.used_columns}
    em = Emitter(ns)
    dec = get_format(source.value_format).decode_snippet(vcols, source.value_options, em, "v", "vals", unread)
    if dec is not None:
        L += ["            " + x for x in dec.code]
        L += [f"            if not ({dec.guard}):", "                vals = _vde(v)"]
    else:
        L += ["            vals = _vde(v)"]
    inline_key = n_key == 1 and source.key_format == "KAFKA" and cols[0].type.base == "STRING"
    # every expression a plain column: no source row is built, each column is read where the row would
    # have taken it (key, decoded values, then ROWTIME, ROWPARTITION, ROWOFFSET)
    plain = [*p.group_codes, *(c[0] for k, c in zip(kinds, p.arg_codes, strict=True) if k != "COUNT_STAR")]
    no_row = (
        p.where_fn is None
        and (n_key == 0 or inline_key)
        and all(_SIMPLE.fullmatch(c) and int(c[4:-1]) < n_cols + 3 for c in plain)
    )

    def col(code: str) -> str:
        if not no_row:
            return code
        i = int(code[4:-1])
        return "key0" if i < n_key else f"vals[{i - n_key}]" if i < n_cols else ("ts", "rec[3]", "rec[4]")[i - n_cols]

    if inline_key and no_row:
        L += ["            k = rec[0]", "            key0 = None if k is None else k.decode()"]
    elif inline_key:
        # the KAFKA STRING key reader inline: UTF-8 text, a null key is [None] (invalid bytes: generic)
        L += ["            k = rec[0]", "            key = [None] if k is None else [k.decode()]"]
    elif n_key:
        L += ["            key = _kde(rec[0])"]
    elif source.empty_key:  # a key-less source's key is still read: a bad one fails the record
        L += ["            if rec[0] is not None:", "                _kde(rec[0])"]
    L += [
        "        except Exception:",  # reported by the generic path
        "            slow(rec, out)",
        "            continue",
        f"        if vals is None or len(vals) != {n_cols - n_key}:",
        "            slow(rec, out)",
        "            continue",
    ]
    if no_row:
        L += ["        ts = rec[2]", "        try:"]
    else:
        if n_key:
            L += [f"        row = ([None] * {n_key} if key is None else key) + vals"]
        else:
            L += ["        row = vals"]
        L += ["        ts = rec[2]", "        row += (ts, rec[3], rec[4])", "        try:"]
    if p.where_fn is not None and p.where_failed is not None:
        # a nested failure in the WHERE (null, but reported): the generic path evaluates and reports it
        # a failing WHERE goes to the generic path too, once its nested failures are dropped (taken): that
        # path evaluates the row again and reports them, then the predicate's own failure
        L += ["            try:", "                passed = _where(row) is True",
              "            except Exception:", "                _where_failed()",
              "                slow(rec, out)", "                continue",
              "            if _where_failed():",
              "                slow(rec, out)", "                continue",
              "            if not passed:", "                continue"]  # fmt: skip
    elif p.where_fn is not None:
        L += ["            if _where(row) is not True:", "                continue"]
    n_g = len(p.group_codes)
    gvars = [f"g{i}" for i in range(n_g)]
    if all(_SIMPLE.fullmatch(c) for c in p.group_codes):
        L += [f"            {g} = {col(c)}" for g, c in zip(gvars, p.group_codes, strict=True)]
    else:
        L += [f"            {', '.join(gvars)}, = _group(row)"]
    for j, codes in enumerate(p.arg_codes):
        if kinds[j] == "COUNT_STAR":
            continue
        if _SIMPLE.fullmatch(codes[0]):
            L.append(f"            v{j} = {col(codes[0])}")
        else:
            ns[f"_arg{j}"] = p.arg_fns[j]
            L.append(f"            v{j} = _arg{j}(row)")
    L += [
        "        except Exception:",  # evaluated again and reported by the generic path
        "            slow(rec, out)",
        "            continue",
        f"        if {' or '.join(f'{g} is None' for g in gvars)}:",
        "            slow(rec, out)",  # a null key: the generic path reports it and leaves the row out
        "            continue",
        # stream time, per input partition: the rows that reach the aggregation (past WHERE, with a key)
        "        _pst = _st.get(rec[3], -1)",
        *(["        _sst = _pst"] if session else []),  # the session store's stream time before the record
    ]
    if window is not None and p.expire_due is not None:
        # windows past retention leave the store (they are closed by now). `expire` has nothing to drop
        # while stream time stays below its due time, unless a partition is new (stream times are never
        # below 0: -1 is "none yet"), which may lower the slowest partition's stream time
        ns["_due"] = p.expire_due
        L += [
            "        if ts > _pst:",
            "            _st[rec[3]] = ts",
            "            if ts >= _due[0] or _pst < 0:",
            "                _pst = ts",
            "                _expire()",
            "                _ls = None",  # the cached bucket may have left the index
            "                _wreset()",
            "            else:",
            "                _pst = ts",
        ]
    else:
        L += ["        if ts > _pst:", "            _st[rec[3]] = _pst = ts"]
        if window is not None:
            L += ["        _expire()", "        _ls = None", "        _wreset()"]  # windows past retention leave the store and index
    gkey = "(" + "".join(f"{g}, " for g in gvars) + ")"

    # --- one (key, window) update: the generic add_windowed / add_to, inline ---------------------------
    body: list[str] = []
    if window is None:
        body.append(f"skey = {gkey}")
    elif not session:
        body += [
            f"if end + {window.grace_ms} <= _pst:",
            "    continue",  # late: the window is closed
            f"skey = ({''.join(f'{g}, ' for g in gvars)}start, end)",
        ]
    n_a = len(kinds)
    accs = [f"a{j}" for j in range(n_a)]
    inits = []
    for j, k in enumerate(kinds):
        if k in ("COUNT_STAR", "COUNT", "SUM_INT"):
            inits.append("0")
        elif k == "SUM":
            inits.append("0.0")
        elif k == "AVG":
            zero = "0.0" if aq.aggs[j].arg_types[0].base == "DOUBLE" else "0"  # type: ignore[union-attr]
            inits.append(f"[{zero}, 0]")
        else:
            inits.append("None")
    cached_tombstones = False
    if session:
        assert window is not None and p.sessions is not None
        # a merged-away session's tombstone is keyed by the grouping value: its key bytes are the ones the
        # output below caches per value when that value is also the output's only key column
        named_early = [*gvars, *(f"r{j}" for j in range(len(kinds))), "t", "start", "end"]
        key_m = [_SIMPLE.fullmatch(p.project_codes[i]) for i in aq.key_order]
        cached_tombstones = (
            n_g == 1
            and all(_SIMPLE.fullmatch(c) for c in p.project_codes)
            and len(key_m) == 1
            and key_m[0] is not None
            and named_early[int(key_m[0].group(1))] == gvars[0]
        )
        body += _session_merge(p, ns, window, gvars, gkey, accs, inits, cached_tombstones)
    else:
        # a new window in the index: appended to the bucket of the previous new window's start when it is
        # the same (the common case in time order), else through `track`
        tracking = [
            "    if start == _ls:",
            "        _lb.append(skey)",
            "    else:",
            "        _lb = _track(start, skey)",
            "        _ls = start",
        ]
        body += [
            "state = _get(skey)",
            "if state is None:",
            f"    {', '.join(accs)}, = {', '.join(inits)},",
            "    t = ts",
            "    nw = True",
            *(tracking if window is not None else []),
            "else:",
            f"    {', '.join(accs)}, = state[0]",
            "    t = state[1]",
            "    nw = False",
            "    if ts > t:",
            "        t = ts",
        ]
    results = []
    for j, k in enumerate(kinds):
        a, v = f"a{j}", f"v{j}"
        if k == "COUNT_STAR":
            body.append(f"{a} = {a} + 1")
        elif k == "COUNT":
            body += [f"if {v} is not None:", f"    {a} = {a} + 1"]
        elif k == "SUM":
            body += [f"if {v} is not None:", f"    {a} = {a} + {v}"]
        elif k == "SUM_INT":
            # the generic add wraps to the column's width; inside the range wrapping is the identity
            bits = 32 if aq.aggs[j].arg_types[0].base == "INTEGER" else 64  # type: ignore[union-attr]
            ns[f"_add{j}"] = aq.aggs[j].aggregator.add
            body += [
                f"if {v} is not None:",
                f"    _s = {a} + {v}",
                f"    {a} = _s if {-(1 << (bits - 1))} <= _s < {1 << (bits - 1)} else _add{j}({a}, {v})",
            ]
        elif k == "AVG" and aq.aggs[j].arg_types[0].base != "DOUBLE":  # type: ignore[union-attr]
            # the sum wraps like the column's Java type (the generic add does it outside the range)
            bits = 32 if aq.aggs[j].arg_types[0].base == "INTEGER" else 64  # type: ignore[union-attr]
            ns[f"_add{j}"] = aq.aggs[j].aggregator.add
            body += [
                f"if {v} is not None:",
                f"    _s = {a}[0] + {v}",
                f"    {a} = [_s, {a}[1] + 1] if {-(1 << (bits - 1))} <= _s < {1 << (bits - 1)} else _add{j}({a}, {v})",
            ]
        elif k == "AVG":
            body += [f"if {v} is not None:", f"    {a} = [{a}[0] + {v}, {a}[1] + 1]"]
        elif k in ("MIN", "MAX") and (base := aq.aggs[j].arg_types[0].base) in _JAVA_ORDER_GUARDS:  # type: ignore[union-attr]
            # where Java's compareTo differs from Python's order the generic add decides: Double.compareTo
            # orders NaN last and -0.0 before 0.0; String.compareTo orders UTF-16 code units (with
            # non-ASCII on both sides a character past U+FFFF sorts below U+E000-U+FFFF there)
            op = "<" if k == "MIN" else ">"
            ns[f"_add{j}"] = aq.aggs[j].aggregator.add
            body += [
                f"if {v} is not None:",
                f"    if {a} is None or {_JAVA_ORDER_GUARDS[base].format(v=v, a=a)}:",
                f"        {a} = _add{j}({a}, {v})",
                f"    elif {v} {op} {a}:",
                f"        {a} = {v}",
            ]
        elif k in ("MIN", "MAX"):
            op = "<" if k == "MIN" else ">"
            # min(a, v) / max(a, v) keep `a` unless `v` is strictly smaller / larger
            body += [f"if {v} is not None:", f"    {a} = {v} if {a} is None or {v} {op} {a} else {a}"]
        if k == "AVG":  # a double division, as Java divides the (long) sum converted to double
            results.append(f"(0.0 if {a}[1] == 0 else float({a}[0]) / {a}[1])")
        else:
            results.append(a)
    # with no HAVING every published state has emitted = True (the generic publish sets it after put)
    if session:  # the merged session's entry (new in the index unless it is the record's own)
        body += [f"skey = ({''.join(f'{g}, ' for g in gvars)}start, end)", *_session_add()]
    body.append(f"state = [[{', '.join(accs)}], t, True]")
    if record_cache.untrack is not None:
        # the entry lives until its window leaves the store; its values are atomic (AVG's [sum, count]
        # list too), so no collection needs to walk it (a list of any other value stays tracked)
        ns["_untrack"] = record_cache.untrack
        body.append("_untrack(state)")
    # the store's put, inline (KeyValueStore.put_target)
    body += ["if _pd is None:", "    _put(skey, state)", "else:",
             *(_session_keep("skey", "old") if session else []), "    _pd[skey] = state",
             "    if _pn is not None:", "        _pn[skey] = _pp"]  # fmt: skip

    # --- the output: projection, value and key bytes -------------------------------------------------
    wnd_vals = ["start", "end"] if window is not None else []
    arow_vals = [*gvars, *results, "t", *wnd_vals]  # the aggregate row, by agg_scope index
    arow = "[" + ", ".join(arow_vals) + "]"
    wnd = "(start, end)" if window is not None else "None"
    projections = aq.projections
    simple = [_SIMPLE.fullmatch(c) for c in p.project_codes]
    key_pos = aq.key_order
    val_pos = [i for i, pr in enumerate(projections) if not pr.is_key]
    emit_line = f"_emit({gkey}, {arow}, t, {wnd}, rec, out, nw)"
    if not all(simple):
        # computed projections report their own errors: the generic output step runs once, alone
        body.append(emit_line)
        return _finish(L, body, window, ns, p.slow)
    out_body: list[str] = []
    # each projection reads one aggregate-row value: a grouping value, a result (computed once), ROWTIME or
    # a window bound
    out_body += [f"r{j} = {r}" for j, r in enumerate(results)]
    named = [*gvars, *(f"r{j}" for j in range(n_a)), "t", *wnd_vals]
    pvars = [named[int(m.group(1))] for m in simple if m is not None]
    # the sink's value columns, as its serializer writes them: its encode snippet where it has one
    val_cols = list(sink.value_serde.columns)
    vals = [pvars[i] for i in val_pos]
    enc = None
    if len(val_cols) == len(val_pos):
        enc = get_format(sink.value_format).encode_snippet(val_cols, sink.value_options, em, vals, "value")
    if enc is not None:
        out_body += [*enc.code, f"if not ({enc.guard}):", f"    {emit_line}", "    continue"]
    else:
        out_body.append(f"value = _vser([{', '.join(vals)}{',' if len(val_pos) == 1 else ''}])")
    # key bytes: the sink key serializer's, remembered per single str/int key value (never for floats:
    # -0.0 == 0.0 but they are written differently)
    if len(key_pos) == 1 and cached_tombstones:
        # the key is the grouping value: a tombstone before it may have found its bytes in the cache (`kb`)
        out_body += [
            f"_kv = {pvars[key_pos[0]]}",
            "if kb is not _kcache:",
            "    pass",
            "elif _kv.__class__ is str or _kv.__class__ is int:",
            "    kb = _kcache.get(_kv, _kcache)",
            "    if kb is _kcache:",
            "        kb = _kser([_kv])",
            f"        if len(_kcache) >= {_KEY_CACHE_MAX}:",
            "            _kcache.clear()",
            "        _kcache[_kv] = kb",
            "else:",
            "    kb = _kser([_kv])",
        ]
    elif len(key_pos) == 1:
        kvar = pvars[key_pos[0]]
        out_body += [
            f"_kv = {kvar}",
            "if _kv.__class__ is str or _kv.__class__ is int:",
            "    kb = _kcache.get(_kv, _kcache)",
            "    if kb is _kcache:",
            "        kb = _kser([_kv])",
            f"        if len(_kcache) >= {_KEY_CACHE_MAX}:",
            "            _kcache.clear()",
            "        _kcache[_kv] = kb",
            "else:",
            "    kb = _kser([_kv])",
        ]
    else:
        out_body.append(f"kb = _kser([{', '.join(pvars[i] for i in key_pos)}])")
    if session:  # Kafka Streams' session key: inner key, end, start
        out_body.append("kb = (kb or b'') + _pack2(end, start)")
    elif window is not None:
        out_body.append("kb = (kb or b'') + _pack(start)")
    topic = sink.topic
    # the triggering record's headers, as aggregate_output.emit_record
    out_body.append(f"(fresh if nw else append)(_new(Record, (kb, value, t, rec[3], 0, rec[5], {topic!r})))")
    # any exception while rendering: the generic emit projects again and reports it
    body += ["try:", *("    " + x for x in out_body), "except Exception:", f"    {emit_line}"]
    if window is not None and window.kind == "TUMBLING" and enc is not None and n_g == 1 and len(key_pos) == 1:
        ns["_ws"] = _tumbling_step(
            p, kinds, window, [int(m.group(1)) for m in simple if m is not None], key_pos[0], val_pos, ns
        )
        if ns["_ws"] is not None:
            ns["_wreset"] = ns["_ws"].reset
            ns["_ws_args"] = "".join(f", v{j}" for j, k in enumerate(kinds) if k != "COUNT_STAR")

    return _finish(L, body, window, ns, p.slow)


def _tumbling_step(
    p: AggParts,
    kinds: list[str | None],
    window: WindowSpec,
    proj: list[int],
    key_at: int,
    val_pos: list[int],
    ns: dict[str, Any],
) -> Any:
    """The C step of `_winstep.c` doing the tumbling body below (the same lines: window, late check, state,
    index, output), or None when the C module is missing or the query has other shapes: one grouping
    value that is the output's key, aggregates of `_STEP_KINDS` (not AVG, not MIN/MAX of DOUBLE/STRING,
    which keep the Java-order guards), the sink format's row writer for the value columns."""
    if winstep is None or p.track is None:
        return None
    aq, sink = p.aq, p.sink
    codes, inits, adds = [], [], []
    for j, k in enumerate(kinds):
        base = aq.aggs[j].arg_types[0].base if aq.aggs[j].arg_types and aq.aggs[j].arg_types[0] else None
        if k == "SUM_INT":
            k = "SUM_INT32" if base == "INTEGER" else "SUM_INT64"
        if k not in _STEP_KINDS or (k in ("MIN", "MAX") and base not in ("INTEGER", "BIGINT")):
            return None
        codes.append(_STEP_KINDS[k])
        inits.append(0.0 if k == "SUM" else None if k in ("MIN", "MAX") else 0)
        adds.append(aq.aggs[j].aggregator.add if k.startswith("SUM_INT") else None)
    val_cols = list(sink.value_serde.columns)
    writer = get_format(sink.value_format).row_writer(val_cols, sink.value_options)
    if writer is None or len(val_cols) != len(val_pos) or proj[key_at] != 0:
        return None
    return winstep.Step(
        window.size_ms, window.grace_ms, tuple(codes), tuple(inits), tuple(adds),
        tuple(proj[i] for i in val_pos), p.track, writer, ns["_kcache"], sink.key_serde.serialize,
        sink.topic, Record, p.emit,
    )  # fmt: skip


def _finish(
    head: list[str],
    body: list[str],
    window: WindowSpec | None,
    ns: dict[str, Any],
    slow: Callable[[Record, list[Any]], None],
) -> FastLoop:
    """The record loop around the per-window body (run once, or once per hopping window)."""
    em = Emitter(ns)
    em.line(*head)
    em.depth = 2  # inside the record loop
    if window is None or window.is_session:
        em.line(*body)
    elif window.kind == "TUMBLING":
        if ns.get("_ws") is not None:  # the C step does the body; False: it declined, the lines below run
            em.line(f"if _ws.step(rec, g0, ts, _pst{ns['_ws_args']}) is None:", "    continue")
        em.line(f"start = ts - ts % {window.size_ms}", f"end = start + {window.size_ms}")
        em.line(*body)  # `continue` there ends the record (its only window)
    else:
        ns["_windows"] = window.windows_for
        with em.block("for start, end in _windows(ts):"):
            em.line(*body)
    em.build("_fastagg", "<ksql fast aggregate>")
    loop = ns["_fastagg"]
    target = ns["_target"]
    # a loop deleting store keys inline (KeyValueStore.deletes_inline) marks the store once per batch,
    # before it runs (marking without a deletion changes nothing the store does)
    mark = ns.get("_mark")
    step, get = ns.get("_ws"), ns["_get"]

    # a store read below its record cache (CacheBypassStore) takes writes through `put` only, but lets the
    # C step and the session loop write inline, keeping the values below the cache themselves before each
    # write (CacheBypassStore.keeping_writes)
    keeping = getattr(getattr(target, "__self__", None), "keeping_writes", None)
    writes = keeping if window is not None and window.is_session else None

    def run(records: Sequence[Record], out: list[Any]) -> None:
        t = target()
        if t is None and writes is not None and (kw := writes()) is not None:
            if mark is not None:
                mark()
            loop(records, out, slow, *kw[0], kw[1].setdefault, *kw[2:])
            return
        if step is not None:  # the C step writes the store's dict inline only where `_get` reads it
            st, keep = t, None
            if st is None and keeping is not None and (kw := keeping()) is not None:
                st, keep = kw[0], kw[1:]  # (below, since, cache, rebase)
            if st is not None and getattr(get, "__self__", None) is st[0]:
                step.batch(st[0], st[1], st[2], out, keep)
            else:
                step.batch(None, None, None, out)
        try:
            if t is None:
                loop(records, out, slow, None, None, 0)
            else:
                if mark is not None:
                    mark()
                loop(records, out, slow, *t)
        finally:
            if step is not None:
                step.batch(None, None, None, None)  # no references kept past the batch

    return run


def _session_keep(key: str, old: str) -> list[str]:
    """Before an inline write of `key` whose stored value was `old`: with a cache, what
    CacheBypassStore.keep does (the value below the cache, kept at the key's first write since a flush;
    the cache may have flushed earlier in the batch, by an eviction)."""
    return [
        "    if _kc is not None:",
        "        if _kc.flushes != _ks[1]:",
        "            _kr(_kc)",
        f"        _bws({key}, {old})",  # (one hash of the tuple key: `in` then a store would take two)
    ]


def _session_add() -> list[str]:
    """SessionIndex.add of the merged session (start, end) to the key's list `ss` (None: the key had no
    session), unless the store holds it: a list the merge left empty gets it (or leaves the index). Leaves
    the store's value in `old`."""
    return [
        "nw = False",  # the store holds the session already (the record fell inside it)
        "old = _get(skey)",
        "if old is None:",
        "    nw = True",
        "    _idx.n_live += 1",
        # the expiry heap's guard (SessionIndex.guard) only for a session put first in its key's list: an
        # emptied list (the record's merge) keeps its guard, below the merged session's end
        "    if ss is None:",
        "        _by_key[fk] = [(start, end)]",
        "        _guard(fk, start, end)",
        "    elif not ss or ss[-1][0] < start:",  # after every session of the key (the usual case)
        "        ss.append((start, end))",
        "    else:",
        "        _insort(ss, (start, end))",
        "        if ss[0][0] == start:",
        "            _guard(fk, start, end)",
        "elif ss is not None and not ss:",
        "    del _by_key[fk]",
    ]


def _session_merge(
    p: AggParts,
    ns: dict[str, Any],
    window: WindowSpec,
    gvars: list[str],
    gkey: str,
    accs: list[str],
    inits: list[str],
    cached_tombstones: bool,
) -> list[str]:
    """The generic add_session up to the record's own update, inline: the key's sessions within the gap
    (from the session index), merged with each aggregate's merge function in store order, the merged-away
    sessions deleted with a tombstone each (stamped with their end); a record whose merged session is
    closed is dropped. Leaves the accumulators in `accs`, the session in start/end, its time in t and the
    key's session list in `ss` (None: the key has none in the index).

    The index is read and changed inline (SessionIndex.overlapping / remove) where the key's sessions
    within the gap are none or its latest one (records mostly come in time order); other cases call it.
    With `cached_tombstones`, a tombstone takes its key bytes from the output's key cache (`_kcache`: the
    sink key serializer's bytes per grouping value) and is appended as the generic emit appends it; a value
    not in the cache goes through the generic emit."""
    assert p.sessions is not None
    gap, late = window.size_ms, window.size_ms + window.grace_ms
    idx = p.sessions
    ns.update(_overlapping=idx.overlapping, _sremove=idx.remove, _idx=idx, _by_key=idx.by_key,
              _guard=idx.guard, _insort=bisect.insort, _delete=p.store.delete)  # fmt: skip
    merges = []
    for j, (a, acc) in enumerate(zip(p.aq.aggs, accs, strict=True)):
        if a.aggregator.merge is add_pair:  # COUNT, SUM of DOUBLE: the sum, inline
            merges.append(f"        {acc} = {acc} + m[{j}]")
        else:
            ns[f"_m{j}"] = a.aggregator.merge
            merges.append(f"        {acc} = _m{j}({acc}, m[{j}])")
    mkey = f"({''.join(f'{g}, ' for g in gvars)}s, e)"
    tombstone = ["            if mstate[2]:", "                _emit(fk, None, e, (s, e), rec, out)"]
    if cached_tombstones:
        g0 = gvars[0]
        tombstone = [
            "            if mstate[2]:",
            f"                kb = _kcache.get({g0}, _kcache) if {g0}.__class__ is str or {g0}.__class__ is int "
            "else _kcache",
            "                if kb is _kcache:",
            "                    _emit(fk, None, e, (s, e), rec, out)",
            "                else:",
            "                    append(_new(Record, ((kb or b'') + _pack2(e, s), None, e, rec[3], 0, rec[5], "
            f"{p.sink.topic!r})))",
        ]
    merge_one = [x[4:] for x in merges]  # the loop's merge lines, one level out
    # the store's delete, inline where it is a dict pop and a change noted (KeyValueStore.deletes_inline)
    delete = ["_delete(mkey)"]
    logged = p.store.logged_keys()
    if p.store.deletes_inline() and logged is not None:
        # a key without a changelog record leaves the changes at once (emit would drop it: put and
        # deleted since the last emit), unless the merged session puts it again (its place is kept); then
        # emit has no deleted keys to look for and the store needs no mark
        ns["_logged"] = logged
        delete = ["if _pd is None:", "    _delete(mkey)", "else:", *_session_keep("mkey", "mstate"),
                  "    _pd.pop(mkey, None)", "    if _pn is not None:",
                  "        if (s == start and e == end) or mkey in _logged:", "            _pn[mkey] = _pp",
                  "        else:", "            _pn.pop(mkey, None)"]  # fmt: skip
    elif p.store.deletes_inline():
        ns["_mark"] = p.store.mark_deleted
        delete = ["if _pd is None:", "    _delete(mkey)", "else:", *_session_keep("mkey", "mstate"),
                  "    _pd.pop(mkey, None)", "    if _pn is not None:", "        _pn[mkey] = _pp"]  # fmt: skip
    remove_one = [  # SessionIndex.remove of the key's latest session (a list left empty gets the new one)
        "del ss[-1]",
        "_idx.n_live -= 1",
        *delete,
    ]
    ret = window.retention
    return [
        f"fk = {gkey}",
        "ss = _by_key.get(fk)",
        # findSessions' lower bound: no session ending before the store's stream time - retention + 1
        # (AbstractRocksDBSegmentedBytesStore.getActualFrom), as the generic add_session
        f"lo = ts - {gap}",
        f"if _sst - {ret - 1} > lo:",
        f"    lo = _sst - {ret - 1}",
        "start = end = ts",
        f"{', '.join(accs)}, = {', '.join(inits)},",
        "kb = _kcache",  # no key bytes found for this record yet
        "mstate = None",
        "if ss is None:",
        "    found = ()",
        "else:",
        "    last = ss[-1]",
        f"    if last[0] >= ts + {gap}:",  # a session of the key starts past the gap: a bisection
        f"        found = _overlapping(fk, lo, ts + {gap})",
        "    elif last[1] < lo:",
        "        found = ()",
        "    elif len(ss) == 1 or ss[-2][1] < lo:",  # the key's latest session only
        "        found = ()",
        "        s, e = last",
        f"        mkey = {mkey}",
        "        mstate = _get(mkey)",
        "        if mstate is None:",  # the index is ahead of an evicted entry: the loop below
        "            found = (last,)",
        "    else:",
        f"        found = _overlapping(fk, lo, ts + {gap})",
        "if mstate is not None:",
        "    m = mstate[0]",
        *merge_one,
        "    if s < start:",
        "        start = s",
        "    if e > end:",
        "        end = e",
        f"    if end < _pst - {late}:",
        "        continue",  # late: the merged session is closed
        "    if start != ts or end != ts:",
        *("        " + x for x in remove_one),
        *(x[4:] for x in tombstone),
        "elif found:",
        "    merged = []",
        "    for s, e in found:",
        f"        mkey = {mkey}",
        "        mstate = _get(mkey)",
        "        if mstate is None:",  # the index is ahead of an evicted entry
        "            _sremove(fk, s, e)",
        "            ss = _by_key.get(fk)",
        "            continue",
        "        merged.append((s, e, mkey, mstate))",
        "        m = mstate[0]",
        *merges,
        "        if s < start:",
        "            start = s",
        "        if e > end:",
        "            end = e",
        f"    if end < _pst - {late}:",
        "        continue",  # late: the merged session is closed
        "    if start != ts or end != ts:",
        "        for s, e, mkey, mstate in merged:",
        "            last = ss[-1]",
        "            if last[0] == s and last[1] == e:",
        *("                " + x for x in remove_one),
        "            else:",
        "                _sremove(fk, s, e)",
        *("                " + x for x in delete),
        *tombstone,
        f"elif ts < _pst - {late}:",
        "    continue",
        "t = end",
    ]
