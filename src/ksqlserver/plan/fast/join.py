"""A generated batch loop for the common persistent stream-table join: one stream LEFT / INNER JOIN one
table on a key, no window, decode (DELIMITED, JSON or AVRO) -> table lookup -> WHERE -> projection ->
encode (JSON, DELIMITED or AVRO).

The generic join plan (`plan/joins.py`) decodes every column through the source's row reader, routes the
row through `JoinGraph.feed` and the operator, then evaluates, projects and serialises with one closure
call each. This loop does the same for a stream record inline: the source format's decode snippet (only
the columns the query reads are built), the join key, one lookup in the operator's own table store, the
compiler's WHERE and projection over the joined row, the sink's encode snippet.

Exactness, as in `plan/fast/project.py`: a record the loop cannot handle exactly goes to `slow(rec)`, the
generic path for that one record, in input order: every table-side record (table updates change the
operator's store, which this loop only reads), a stream record without a value, one the decoder declines,
a key that is null or not a plain scalar, an evaluation error or a nested failure (the generic path then
reports it), a value the encoder cannot write. Shapes it does not cover (more than one join, windowed or
foreign-key joins, a stream on the right, a synthetic key, PARTITION BY, header columns, a time from a key
column, a sink TIMESTAMP, a re-keyed table, other formats or types) get no loop: `build` returns None. A
stream whose time comes from a value column (WITH TIMESTAMP=) takes it as plan/fast/project.py does.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from ksqlserver.analyze.join_tree import JoinInfo, JoinLeaf
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import HEADER
from ksqlserver.compile.codegen import Emitter
from ksqlserver.compile.compiler import Compiler
from ksqlserver.drivers.base import Record
from ksqlserver.formats import get_format
from ksqlserver.formats.base import Snippet
from ksqlserver.functions import FunctionRegistry
from ksqlserver.plan.fast.project import emit_source_row, emit_source_values
from ksqlserver.plan.logical import FilterStep, ProjectStep
from ksqlserver.plan.repartition import original_key
from ksqlserver.runtime.operators.joins import StreamTableJoin
from ksqlserver.runtime.pipeline import timestamp_extractor
from nativebuild import BuildError, NativeSpec, load_extension

_FAST_IN = {"INTEGER", "BIGINT", "DOUBLE", "STRING", "BOOLEAN"}
_FAST_OUT = {"INTEGER", "BIGINT", "DOUBLE", "STRING", "BOOLEAN"}
# join key types whose values are their own state-store key (`operators.joins.hashable` returns them as
# they are); a key of another class in the loop goes to the generic path
_SCALAR_KEYS = {"INTEGER", "BIGINT", "DOUBLE", "STRING", "BOOLEAN"}
_SOURCES = ("DELIMITED", "JSON", "AVRO")
_SINKS = ("JSON", "DELIMITED", "AVRO")
_COLUMN = re.compile(r"row\[(\d+)\]")
_KEY_CACHE_MAX = 100_000  # output key bytes remembered per join key value (a bounded memo, cleared when full)

FastLoop = Callable[[Sequence[Record], list[Any], Callable[[Record], None]], None]
log = logging.getLogger("ksqlserver.native")
_JOINSTEP = NativeSpec(namespace="ksqlserver", sources=(Path(__file__).with_name("_joinstep.c"),), python=True)


def _load_joinstep() -> ModuleType | None:
    try:
        module = load_extension(_JOINSTEP)
    except BuildError as exc:
        log.warning("C stream-table join step unavailable (%s); the generated Python lines run alone", exc)
        return None
    return module if module.KEY_CACHE_MAX == _KEY_CACHE_MAX else None


# `_joinstep.c`: the no-joined-row loop below in C, a batch at a time (see _join_step); None: Python only
joinstep: ModuleType | None = _load_joinstep()


def _plain_stream(leaf: JoinLeaf) -> bool:
    """A stream whose row is [keys, values, ROWTIME, ROWPARTITION, ROWOFFSET], all of simple types."""
    src = leaf.source
    cols = src.schema.columns
    return (
        not src.is_table
        and src.window is None
        and src.value_format in _SOURCES
        and (not src.timestamp_column or _value_time(src) is not None)
        and not any(c.namespace == HEADER for c in cols)
        and all(c.type.base in _FAST_IN for c in src.schema.value_only)
        and leaf.width == len(cols) + 3
        and all(c.namespace == "KEY" for c in cols[: len(src.schema.key)])
    )


def _value_time(source: DataSource) -> tuple[int, Callable[[Any], int | None]] | None:
    """The stream's event time from a value column (WITH TIMESTAMP=), as the generic row reader extracts
    it; None: no such column, or a key column (the generic path)."""
    extract = timestamp_extractor(source)
    if extract is None or source.schema.columns[extract[0]].namespace == "KEY":
        return None
    return extract


def build(
    info: JoinInfo,
    op: Any,
    rekeyed: Mapping[int, str] | None,
    sink: DataSource,
    filt: FilterStep | None,
    project: ProjectStep,
    registry: FunctionRegistry,
    key_pos: Sequence[int],
    val_pos: Sequence[int],
) -> FastLoop | None:
    """The fast loop for this join query, or None when it does not qualify (the generic path runs alone).
    `op` is the query's one join operator (its table store is read in place)."""
    node = info.root
    left, right = node.left, node.right
    if not isinstance(op, StreamTableJoin) or not isinstance(left, JoinLeaf) or len(info.leaves) != 2:
        return None
    if node.kind not in ("INNER", "LEFT") or node.foreign_key or node.window is not None or node.left_keyed:
        return None
    if info.synthetic_key is not None or not right.is_table or not _plain_stream(left):
        return None
    if right.source.topic == left.source.topic or 1 in (rekeyed or {}):
        return None
    if node.key_type is None or node.key_type.base not in _SCALAR_KEYS:
        return None
    if sink.value_format not in _SINKS or sink.timestamp_column or sink.window is not None:
        return None
    out_types = [project.projections[i].type for i in val_pos]
    if any(t is None or t.base not in _FAST_OUT for t in out_types):
        return None
    sink_cols = list(sink.schema.value_only)
    if len(sink_cols) != len(val_pos) or len(key_pos) > 1:
        return None

    source = left.source
    value_cols = source.schema.value_only
    n_key = len(source.schema.key)
    # a stream record's time from its TIMESTAMP column (see plan/fast/project.py): the joined record's time
    source_ts = _value_time(source) if source.timestamp_column else None
    comp = Compiler(project.scope, registry, "SELECT")
    em = comp.emitter()
    cond = comp.expr(filt.predicate)[0] if filt is not None else None
    proj = [comp.expr(p.expression)[0] for p in project.projections]
    # the join key over the stream's own row: a column read inline, anything else through its function
    kcomp = Compiler(node.left_scope, registry, "JOIN")
    kcode = kcomp.expr(node.left_expr)[0]
    if _COLUMN.fullmatch(kcode) is None:
        kcode = f"{em.bind(kcomp.function(kcode, '_left_key'), '_lkey')}(row)"
    vals = [f"p{i}" for i in val_pos]
    enc = get_format(sink.value_format).encode_snippet(sink_cols, sink.value_options, em, vals, "value")
    if enc is None and sink.value_format == "JSON":
        return None
    # value columns that neither the join key nor WHERE / SELECT read are only checked by the decoder
    # (positions in the stream's row, which is the joined row's prefix: keys first, then values)
    used = comp.used_columns | kcomp.used_columns
    if source_ts is not None:
        used = used | {source_ts[0]}
    unread = {k for k in range(len(value_cols)) if n_key + k not in used}
    dec = get_format(source.value_format).decode_snippet(
        value_cols, source.value_options, em, "v", "vals", unread
    )

    left_topic = (rekeyed or {}).get(0, source.topic)
    if source_ts is not None and left_topic != source.topic:
        return None  # a re-keyed stream's records, read back from the repartition topic: the generic path
    # no WHERE, the join key and every projection a plain column, the stream's key one KAFKA STRING: no
    # joined row is built, each column is read where the row would have taken it (the stream's key, its
    # decoded values, ROWTIME / ROWPARTITION / ROWOFFSET, then the table's row or the nulls of a miss)
    left_width = len(source.schema.columns) + 3
    plain = [_COLUMN.fullmatch(c) for c in [kcode, *proj]]
    no_row = (
        source_ts is None
        and cond is None
        and all(plain)
        and n_key == 1
        and source.key_format == "KAFKA"
        and source.schema.columns[0].type.base == "STRING"
        and left_topic == source.topic
    )

    def col(code: str) -> str:
        i = int(code[4:-1])
        if i < n_key:
            return "key0"
        if i < n_key + len(value_cols):
            return f"vals[{i - n_key}]"
        if i < left_width:
            return ("rec[2]", "rec[3]", "rec[4]")[i - n_key - len(value_cols)]
        return f"m[{i - left_width}]"

    record = em.bind(Record, "Record")
    new = em.bind(tuple.__new__, "_new")
    # the store's own lookup (its dict's `get` for the in-memory and changelog stores: no method call a
    # record; the dict is cleared in place on restore, never replaced)
    tget = em.bind(op.table.getter(), "_tget")
    nulls = em.bind(tuple(op.nulls), "_nulls")
    vser = em.bind(sink.value_serde.serialize, "_vser")
    kser = em.bind(sink.key_serde.serialize, "_kser")
    scalar = em.bind(frozenset({str, int, float, bool}), "_scalar")
    slow = ["slow(rec)", "continue"]
    if no_row:
        names = {"record": record, "new": new, "tget": tget, "nulls": nulls, "vser": vser, "kser": kser,
                 "scalar": scalar, "kcache": em.bind({}, "_kcache")}  # fmt: skip
        _no_row_loop(em, names, source, dec, node.kind, left_topic, col(kcode), [col(c) for c in proj], val_pos,
                     key_pos, enc, sink.topic)  # fmt: skip
        loop: FastLoop = em.build("_fast", "<ksql fast join>")

        def src(code: str) -> tuple[int, int]:
            """Where `col(code)` reads: (0, 0) the stream key, (1, i) vals[i], (2, i) rec[i], (3, i) m[i]."""
            name = col(code)
            if name == "key0":
                return (0, 0)
            kind = {"vals": 1, "rec": 2, "m": 3}[name[: name.index("[")]]
            return (kind, int(name[name.index("[") + 1 : -1]))

        step = _join_step(op, source, sink, node.kind, left_topic, src(kcode), [src(proj[i]) for i in val_pos],
                          unread, em.ns[names["kcache"]] if key_pos else None)  # fmt: skip
        if step is None:
            return loop
        run = step.run
        return lambda records, out, slow: run(records, out, slow, loop)
    with em.block("def _fast(records, out, slow):"):
        em.line("append = out.append")
        with em.block("for rec in records:"):
            em.guard(f"rec[6] == {left_topic!r}", slow)
            if left_topic != source.topic:  # read from the repartition topic: the source's own key back
                em.line(f"rec = {em.bind(original_key, '_restore')}(rec)")
            emit_source_row(em, source, dec, slow)
            if source_ts is not None:  # a time that fails, is null or negative: the generic path logs or drops it
                with em.block("try:"):
                    em.line(f"ts = {em.bind(source_ts[1], '_ts')}(row[{source_ts[0]}])")
                with em.block("except Exception:"):
                    em.line(*slow)
                em.guard("ts is not None and ts >= 0", slow)
            else:
                em.line("ts = rec[2]")
            em.line("row += (ts, rec[3], rec[4])")
            with em.block("try:"):
                em.line(f"jk = {kcode}")
            with em.block("except Exception:"):
                em.line(*slow)
            em.guard(f"jk.__class__ in {scalar}", slow)  # None (never joins) and structured keys: generic
            em.line(f"m = {tget}((jk,))")
            with em.block("if m is None:"):
                em.line("continue" if node.kind == "INNER" else f"row += {nulls}")
            with em.block("else:"):
                em.line("row += m")
            if cond is not None:
                with em.block("try:"):
                    em.line(f"passed = ({cond}) is True")
                with em.block("except Exception:"):
                    em.line(*slow)
                if comp.guarded(cond):  # a nested failure (null, but reported): the generic path reports it
                    with em.block("if _failures:"):
                        em.line("_failures.clear()", *slow)
                with em.block("if not passed:"):
                    em.line("continue")
            with em.block("try:"):
                em.line(*(f"p{i} = {code}" for i, code in enumerate(proj)))
            with em.block("except Exception:"):
                em.line(*slow)
            if comp.guarded(*proj):
                with em.block("if _failures:"):
                    em.line("_failures.clear()", *slow)
            with em.block("try:"):
                joined = ", ".join(vals) + ("," if len(vals) == 1 else "")
                if enc is not None:
                    em.line(*enc.code)
                    em.guard(enc.guard, f"value = {vser}([{joined}])")
                else:
                    em.line(f"value = {vser}([{joined}])")
                # the result is keyed by the join key (as the generic plan writes it)
                em.line(f"key_bytes = {kser}([jk])" if key_pos else "key_bytes = None")
            with em.block("except Exception:"):
                em.line(*slow)
            em.line(f"append({new}({record}, (key_bytes, value, ts, rec[3], 0, rec[5], {sink.topic!r})))")
    return em.build("_fast", "<ksql fast join>")


def _no_row_loop(
    em: Emitter,
    names: dict[str, str],
    source: DataSource,
    dec: Snippet | None,
    kind: str,
    topic: str,
    key_col: str,
    cols: list[str],
    val_pos: Sequence[int],
    key_pos: Sequence[int],
    enc: Snippet | None,
    sink_topic: str,
) -> None:
    """The loop without a joined row (see `build`): the same guards and fallbacks, in the same order. The
    output key bytes are remembered per str / int join key (never floats: -0.0 == 0.0 are written apart,
    nor bools: True == 1)."""
    record, new, tget, nulls = names["record"], names["new"], names["tget"], names["nulls"]
    vser, kser, scalar = names["vser"], names["kser"], names["scalar"]
    slow = ["slow(rec)", "continue"]
    vals = [f"p{i}" for i in val_pos]
    with em.block("def _fast(records, out, slow):"):
        em.line("append = out.append", f"kcache = {names['kcache']}", "kget = kcache.get")
        with em.block("for rec in records:"):
            em.guard(f"rec[6] == {topic!r}", slow)
            emit_source_values(em, source, dec, slow)
            # the KAFKA STRING key reader inline: UTF-8 text, a null key is None (invalid bytes: generic)
            with em.block("try:"):
                em.line("k = rec[0]", "key0 = None if k is None else k.decode()")
            with em.block("except Exception:"):
                em.line(*slow)
            em.line(f"jk = {key_col}")
            em.guard(f"jk.__class__ in {scalar}", slow)  # None (never joins) and structured keys: generic
            em.line(f"m = {tget}((jk,))")
            with em.block("if m is None:"):
                em.line("continue" if kind == "INNER" else f"m = {nulls}")
            em.line(*(f"p{i} = {c}" for i, c in enumerate(cols)))
            with em.block("try:"):
                joined = ", ".join(vals) + ("," if len(vals) == 1 else "")
                if enc is not None:
                    em.line(*enc.code)
                    em.guard(enc.guard, f"value = {vser}([{joined}])")
                else:
                    em.line(f"value = {vser}([{joined}])")
                if key_pos:  # keyed by the join key (as the generic plan writes it)
                    em.line("key_bytes = kget(jk, kcache) if jk.__class__ is str or jk.__class__ is int else kcache")
                    with em.block("if key_bytes is kcache:"):
                        em.line(f"key_bytes = {kser}([jk])")
                        with em.block("if jk.__class__ is str or jk.__class__ is int:"):
                            with em.block(f"if len(kcache) >= {_KEY_CACHE_MAX}:"):
                                em.line("kcache.clear()")
                            em.line("kcache[jk] = key_bytes")
                else:
                    em.line("key_bytes = None")
            with em.block("except Exception:"):
                em.line(*slow)
            em.line(f"append({new}({record}, (key_bytes, value, rec[2], rec[3], 0, rec[5], {sink_topic!r})))")


def _join_step(
    op: StreamTableJoin,
    source: DataSource,
    sink: DataSource,
    kind: str,
    topic: str,
    jk_src: tuple[int, int],
    out_srcs: list[tuple[int, int]],
    unread: set[int],
    kcache: dict[Any, bytes] | None,
) -> Any:
    """The C step of `_joinstep.c` doing the no-joined-row loop's work, or None when the C module is missing
    or the query has other shapes: the source format's row reader, the sink format's row writer, the table
    read through its store's dict (`getter()` is that dict's `get`: a plain read, so a record the step hands
    back to the Python lines is looked up again without effect)."""
    if joinstep is None:
        return None
    reader = get_format(source.value_format).row_reader(source.schema.value_only, source.value_options, unread)
    sink_cols = list(sink.schema.value_only)
    writer = get_format(sink.value_format).row_writer(sink_cols, sink.value_options)
    getter = op.table.getter()
    table = getattr(getter, "__self__", None)
    if reader is None or writer is None or type(table) is not dict or getter != table.get:
        return None
    return joinstep.Step(
        topic, reader, table, tuple(op.nulls), kind == "INNER", jk_src, tuple(out_srcs), writer,
        kcache, sink.key_serde.serialize, sink.topic, Record,
    )  # fmt: skip
