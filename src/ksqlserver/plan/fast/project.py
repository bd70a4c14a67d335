"""A generated batch loop for the common persistent query: decode (DELIMITED, JSON or AVRO), filter,
project, encode (JSON, DELIMITED or AVRO).

The generic path calls one closure per step and per column. This loop is one Python function per query,
composed of the source format's decode snippet, the compiler's filter and projection over the row, and the
sink format's encode snippet (see `formats.base.Format.decode_snippet`). Every part answers only where
its result is provably the generic path's; any record it cannot handle exactly (a value the decoder
declines, an evaluation error, a nested failure) goes to `slow(rec)`, the generic path for that record,
and a row the encoder declines is written by the sink's serializer. So outputs and the processing log are
the generic path's, byte for byte.

Event time: a source WITH TIMESTAMP= a value column takes each record's time from that column as the
generic reader does (`runtime.pipeline.timestamp_extractor`); a time that fails, is null or negative (which
ksqlDB's LoggingTimestampExtractor logs, or Kafka Streams drops) sends the record to `slow(rec)`. A sink
WITH TIMESTAMP= a column gives its records that column's time (`plan.sink_time`, SinkBuilder's
TransformTimestamp), any failure again the generic path's to log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import HEADER, SqlType
from ksqlserver.compile.codegen import Emitter
from ksqlserver.compile.compiler import Compiler
from ksqlserver.compile.scope import Scope
from ksqlserver.drivers.base import Record
from ksqlserver.extensions.batching import BatchCalls
from ksqlserver.formats import get_format
from ksqlserver.formats.base import Snippet
from ksqlserver.functions import FunctionRegistry
from ksqlserver.plan.logical import FilterStep, ProjectStep
from ksqlserver.plan.sink_time import sink_time
from ksqlserver.runtime.pipeline import timestamp_extractor
from ksqlserver.sql import ast

# value types of the source and the sink. The loop reads and writes every value with the format's serde
# itself, or with a snippet that answers only where its result is the serde's (DELIMITED and JSON: the time
# types as their longs, DECIMAL not at all, so a schema with one decodes with the serde), so a type is here
# when the compiled expressions over it raise where the generic path's do (they are the same code)
_FAST_IN = {"INTEGER", "BIGINT", "DOUBLE", "STRING", "BOOLEAN", "TIMESTAMP", "DATE", "TIME", "DECIMAL"}
_FAST_OUT = _FAST_IN
# a transient query's values: only those whose REST form (pipeline.json_ready) is the value itself (the time
# types become texts)
_ROW_OUT = {"INTEGER", "BIGINT", "DOUBLE", "STRING", "BOOLEAN", "DECIMAL"}
# AVRO has no snippets: the loop calls its serde (the generated Avro codec) inline
_SOURCES = ("DELIMITED", "JSON", "AVRO")
_SINKS = ("JSON", "DELIMITED", "AVRO")

FastLoop = Callable[[Sequence[Record], list[Any], Callable[[Record], None]], None]


def build(
    source: DataSource,
    sink: DataSource | None,
    scope: Scope,
    filt: FilterStep | None,
    project: ProjectStep,
    registry: FunctionRegistry,
    key_pos: Sequence[int],
    val_pos: Sequence[int],
) -> FastLoop | None:
    """The fast loop for this query, or None when it does not qualify (the generic path then runs alone).
    Without a sink (a transient query) the loop appends each row's projected values as a list."""
    cols = source.schema.columns
    if source.value_format not in _SOURCES or (sink is not None and sink.value_format not in _SINKS):
        return None
    if any(c.namespace == HEADER for c in cols):
        return None
    # event time from a value column (WITH TIMESTAMP=): extracted as row_reader does; a record whose
    # time fails, is null or negative goes to the generic path, which logs or drops it
    source_ts = timestamp_extractor(source) if source.timestamp_column else None
    if source.timestamp_column and (source_ts is None or cols[source_ts[0]].namespace == "KEY"):
        return None  # a key column's time (read for null values too): the generic path
    value_cols = source.schema.value_only
    if any(c.type.base not in _FAST_IN for c in value_cols):
        return None
    if sink is None:
        val_pos = range(len(project.projections))
    out_types = [project.projections[i].type for i in val_pos]
    if any(t is None or t.base not in (_FAST_OUT if sink is not None else _ROW_OUT) for t in out_types):
        return None
    # the sink's TIMESTAMP column: the output record's time, as SinkBuilder.TransformTimestamp extracts it
    # (physical.compile_plan); a row it fails on (null, unparseable, negative) is the generic path's to log
    sink_ts: tuple[int, Callable[[Any], int]] | None = None
    if sink is not None and sink.timestamp_column:
        names = [p.name for p in project.projections]
        if sink.timestamp_column in names:
            k = names.index(sink.timestamp_column)
            sink_ts = (k, sink_time((project.projections[k].type or SqlType("BIGINT")).base, sink.timestamp_format))
    comp = Compiler(scope, registry, "SELECT")
    em = comp.emitter()
    n_key = len(source.schema.key)
    cond = comp.expr(filt.predicate)[0] if filt is not None else None
    # plugin batch functions (e.g. a model score): the loop stages the micro-batch's rows, makes one call
    # per function for all of them, then projects (see extensions/batching.py)
    comp.batch_calls = BatchCalls()
    proj = [comp.expr(p.expression)[0] for p in project.projections]
    batched = bool(comp.batch_calls)

    # the sink's writer: its encode snippet where it answers, else the sink's serializer (a DECIMAL column,
    # a single unwrapped JSON value), which is the generic path's call
    vals = ", ".join(f"p{i}" for i in val_pos) + ("," if len(val_pos) == 1 else "")
    sink_cols = list(sink.schema.value_only) if sink is not None else []  # what the sink's serde writes
    enc = None
    if sink is not None and len(sink_cols) == len(val_pos):
        enc = get_format(sink.value_format).encode_snippet(
            sink_cols, sink.value_options, em, [f"p{i}" for i in val_pos], "value"
        )
    # value columns no expression reads are only checked by the decoder, not built (None)
    refs = [
        n
        for e in [*(p.expression for p in project.projections), *([filt.predicate] if filt else [])]
        for n in ast.walk(e)
        if isinstance(n, ast.ColumnRef)
    ]
    read = {n.name for n in refs}
    if source_ts is not None:
        read.add(cols[source_ts[0]].name)
    unread = {k for k, c in enumerate(value_cols) if c.name not in read}
    dec = get_format(source.value_format).decode_snippet(value_cols, source.value_options, em, "v", "vals", unread)

    record = em.bind(Record, "Record")
    new = em.bind(tuple.__new__, "_new")
    # the action for a record this loop leaves to the generic path; with batch functions it is deferred
    # to the projection loop so outputs keep their input order
    slow = ["stage((rec, None))" if batched else "slow(rec)", "continue"]
    with em.block("def _fast(records, out, slow):"):
        em.line("append = out.append")
        if batched:
            em.line("staged = []", "stage = staged.append")
        with em.block("for rec in records:"):
            emit_source_row(em, source, dec, slow)
            if source_ts is not None:
                with em.block("try:"):
                    em.line(f"ts = {em.bind(source_ts[1], '_ts')}(row[{source_ts[0]}])")
                with em.block("except Exception:"):
                    em.line(*slow)
                em.guard("ts is not None and ts >= 0", slow)
            # a transient SELECT * without WHERE: the row as decoded is the output row
            whole = [f"row[{i}]" for i in range(n_key + len(value_cols))]
            if sink is None and cond is None and not batched and proj == whole:
                em.line("append(row)")
                return em.build("_fast", "<ksql fast path>")
            extended = batched or _reads_past(scope, refs, n_key + len(value_cols))
            if extended:  # ROWTIME (the source's event time), ROWPARTITION, ROWOFFSET
                em.line(f"row += ({'ts' if source_ts is not None else 'rec[2]'}, rec[3], rec[4])")
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
            if batched:
                em.line("stage((rec, row))")
        if batched:
            assert comp.batch_calls is not None
            em.line("rows = [row for _, row in staged if row is not None]")
            with em.block("if rows:"):
                em.line(f"{em.bind(comp.batch_calls.fill, '_fill')}(rows)")
            em.line("for rec, row in staged:")
            em.depth += 1
            em.guard("row is not None", ["slow(rec)", "continue"])
        else:
            em.depth += 1  # still inside the record loop
        with em.block("try:"):
            em.line(*(f"p{i} = {code}" for i, code in enumerate(proj)))
        with em.block("except Exception:"):
            em.line("slow(rec)", "continue")
        if comp.guarded(*proj):  # a nested failure (null, but reported): the generic path reports it
            with em.block("if _failures:"):
                em.line("_failures.clear()", "slow(rec)", "continue")
        if sink is None:  # a transient query's row
            em.line(f"append([{vals}])")
            em.depth -= 1
            return em.build("_fast", "<ksql fast path>")
        # the output record's time: the sink's TIMESTAMP column, else the row's ROWTIME (the record's)
        # (a batched loop projects in a second pass, where only the staged row still holds the event time)
        staged_ts = f"row[{n_key + len(value_cols)}]" if extended else "ts"
        out_ts = "rec[2]" if source_ts is None else staged_ts
        if sink_ts is not None:
            with em.block("try:"):
                em.line(f"out_ts = {em.bind(sink_ts[1], '_sts')}(p{sink_ts[0]})")
            with em.block("except Exception:"):
                em.line("slow(rec)", "continue")
            out_ts = "out_ts"
        vser = em.bind(sink.value_serde.serialize, "_vser")
        # a value the sink cannot serialize (a lone surrogate in a string, say) is the generic path's to
        # report to the processing log; it must not escape the loop and stop the query
        with em.block("try:"):
            if enc is not None:
                em.line(*enc.code)
                em.guard(enc.guard, f"value = {vser}([{vals}])")
            else:
                em.line(f"value = {vser}([{vals}])")
            if key_pos:
                kser = em.bind(sink.key_serde.serialize, "_kser")
                kv = ", ".join(f"p{i}" for i in key_pos)
                all_null = " and ".join(f"p{i} is None" for i in key_pos)
                if source.schema.key:  # a source key of nulls is written, a null one stays null (_key_bytes)
                    em.line(f"key_bytes = (None if key is None else {kser}([{kv}])) if {all_null} else {kser}([{kv}])")
                else:
                    em.line(f"key_bytes = None if {all_null} else {kser}([{kv}])")
            elif not sink.schema.key and not source.schema.key and sink.empty_key and source.empty_key:
                # the source record's key as read, written by the sink's serde (see physical.compile_plan)
                kept = em.bind(lambda data: sink.key_serde.serialize(source.key_serde.deserialize(data)), "_kept")
                em.line(f"key_bytes = None if rec[0] is None else {kept}(rec[0])")
            else:
                em.line("key_bytes = None")
        with em.block("except Exception:"):
            em.line("slow(rec)", "continue")
        # tuple.__new__ skips NamedTuple's Python-level constructor
        em.line(f"append({new}({record}, (key_bytes, value, {out_ts}, rec[3], 0, rec[5], {sink.topic!r})))")
        em.depth -= 1
    return em.build("_fast", "<ksql fast path>")


def _reads_past(scope: Scope, refs: Sequence[ast.ColumnRef], width: int) -> bool:
    """Whether an expression reads a row entry at `width` or beyond (the pseudo columns ROWTIME,
    ROWPARTITION, ROWOFFSET after the key and value columns), or a column this cannot place: only then are
    they appended to each decoded row (a tuple and a list resize per record otherwise)."""
    for ref in refs:
        col = scope.resolve(ref)
        if col is None or col.index >= width:
            return True
    return False


def emit_source_row(em: Emitter, source: DataSource, dec: Snippet | None, slow: list[str]) -> None:
    """The loop-body lines setting `row` to `rec`'s [key columns, value columns], decoded by the source
    format's snippet `dec` (else its deserializer); a value or key they cannot decode runs `slow`."""
    n_key = len(source.schema.key)
    emit_source_values(em, source, dec, slow)
    if n_key:
        if source.is_table:  # a null key, which KTableSource skips: the generic path drops it
            em.guard("rec[0] is not None", slow)
        with em.block("try:"):
            em.line(f"key = {em.bind(source.key_serde.deserialize, '_kde')}(rec[0])")
        with em.block("except Exception:"):
            em.line(*slow)
        if source.is_table:
            em.guard("key is not None", slow)
        em.line(f"row = ([None] * {n_key} if key is None else key) + vals")
    else:
        if source.empty_key:  # a key-less source's key is still read: a bad one is the generic path's
            with em.block("if rec[0] is not None:"):
                with em.block("try:"):
                    em.line(f"{em.bind(source.key_serde.deserialize, '_kde')}(rec[0])")
                with em.block("except Exception:"):
                    em.line(*slow)
        em.line("row = vals")


def emit_source_values(em: Emitter, source: DataSource, dec: Snippet | None, slow: list[str]) -> None:
    """The loop-body lines decoding `rec`'s value into the snippet's names or `vals`; `slow` when they
    cannot."""
    value_cols = source.schema.value_only
    em.line("v = rec[1]")
    em.guard("v is not None", slow)
    if dec is not None:
        em.line(*dec.code)
        em.guard(dec.guard, slow)
    else:  # the source's own deserializer; a failure is reported by the generic path
        with em.block("try:"):
            em.line(f"vals = {em.bind(source.value_serde.deserialize, '_vde')}(v)")
        with em.block("except Exception:"):
            em.line(*slow)
        em.guard(f"vals is not None and len(vals) == {len(value_cols)}", slow)
