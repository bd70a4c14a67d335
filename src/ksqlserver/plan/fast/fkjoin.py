"""A generated batch path for the common persistent foreign-key join: `CREATE TABLE .. AS SELECT .. FROM L
JOIN R ON L.col = R.key` (inner or left), without WHERE or PARTITION BY, over unwindowed tables.

The generic path (plan/joins.py) reads each record into a whole row, pushes it through the join graph
(one operator call, several store calls and the subscription bookkeeping per record), then evaluates and
serialises each event in closures. Here the left table's records are handled in three tight loops per
run of them: a generated loop decodes each value with the source format's decode snippet (columns nothing
reads are only checked), builds the left row as the operator stores it (the tuple of the columns read
after the join) and computes the foreign key; `ForeignKeyJoin.left_rows` updates the state and answers
the run in one call; a second generated loop projects each result straight from the stored left row and
the right row (no joined row is built) and writes it with the sink format's encode snippet.

Exactness, as in the other fast loops: a record this path cannot decode exactly (a null value, a value
the decoder declines, a key it cannot read, a foreign-key expression that fails) goes to the generic path
for that record (`slow`), after the run before it has been answered, so outputs keep their input order and
the processing log its entries; so do the right table's records. A result the inline projection or writer
cannot render exactly goes through the generic output step (`emit`), which projects, reports and writes
it as before (the state already updated, as the generic path does it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.analyze.join_tree import JoinLeaf, JoinNode
from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import HEADER, SqlType
from ksqlserver.compile.compiler import Compiler
from ksqlserver.compile.scope import Scope
from ksqlserver.drivers.base import Record
from ksqlserver.formats import get_format
from ksqlserver.functions import FunctionRegistry
from ksqlserver.plan.logical import ProjectStep
from ksqlserver.runtime.operators.joins import ForeignKeyJoin, hashable
from ksqlserver.sql import ast

FastLoop = Callable[[Sequence[Record], list[Any]], None]
Slow = Callable[[Record, list[Any]], None]  # the generic path for one record, appending to the outputs
Emit = Callable[[Record, Any, list[Any] | None, int, list[Any]], None]  # the generic output step of one event

_SIMPLE = re.compile(r"row\[(\d+)\]")
# join keys whose `hashable` image is themselves (store keys and subscriptions use them as they are)
_SCALAR_KEYS = {"STRING", "INTEGER", "BIGINT", "BOOLEAN", "DOUBLE"}


class _ResultCompiler(Compiler):
    """Expressions over the joined row, compiled to read the left row as the operator stores it (`lrow`)
    and the right row (`rrow`) instead."""

    def __init__(self, scope: Scope, registry: FunctionRegistry, width: int, kept: Sequence[int] | None) -> None:
        super().__init__(scope, registry, "SELECT")
        self.width = width
        self.at = {i: k for k, i in enumerate(kept)} if kept is not None else {i: i for i in range(width)}

    def _ColumnRef(self, e: ast.ColumnRef) -> tuple[str, SqlType | None]:
        code, t = super()._ColumnRef(e)
        if not code.startswith("row["):  # a lambda variable
            return code, t
        i = int(code[4:-1])
        if i >= self.width:
            return f"rrow[{i - self.width}]", t
        if i not in self.at:  # not kept: cannot happen (the store keeps what the projection reads)
            raise self.error(f"left column {i} is not kept", e)
        return f"lrow[{self.at[i]}]", t


def _kafka_string_key(source: DataSource) -> bool:
    key = source.schema.key
    return source.key_format == "KAFKA" and len(key) == 1 and key[0].type.base == "STRING"


def build(
    node: JoinNode,
    op: ForeignKeyJoin,
    kept: Sequence[int] | None,
    registry: FunctionRegistry,
    project: ProjectStep,
    sink: DataSource,
    slow: Slow,
    emit: Emit,
) -> FastLoop | None:
    """The fast path of this join, or None when it does not qualify. `kept`: the left-row positions the
    operator stores, as a tuple (None: whole rows, as lists); `slow` and `emit`: the generic path for one
    record and the generic output step for one event."""
    left, right = node.left, node.right
    if not isinstance(left, JoinLeaf) or not node.foreign_key or node.kind not in ("INNER", "LEFT"):
        return None
    source = left.source
    if source.window is not None or right.source.window is not None or source.topic == right.source.topic:
        return None
    cols = source.schema.columns
    n_cols = len(cols)
    key_cols = source.schema.key
    if len(key_cols) != 1 or cols[0].namespace != "KEY" or key_cols[0].type.base not in _SCALAR_KEYS:
        return None
    if any(c.namespace in ("KEY", HEADER) for c in cols[1:]) or source.timestamp_column:
        return None  # the generic reader places such values by index, or derives the timestamp
    width = right.offset
    if width != n_cols + 3 or len(left.scope.columns) != width:  # columns, ROWTIME, ROWPARTITION, ROWOFFSET
        return None
    value_cols = list(source.value_serde.columns)
    if [c.name for c in value_cols] != [c.name for c in cols[1:]]:
        return None
    if (kept is None) != (op.stored is None) or (kept is not None and op.expand is None):
        return None

    # the projection, over (stored left row, right row)
    comp = _ResultCompiler(project.scope, registry, width, kept)
    try:
        codes = [comp.expr(p.expression)[0] for p in project.projections]
    except Exception:  # what the generic compiler accepted but this one cannot express: no fast path
        return None
    em = comp.emitter()

    # the foreign key: a value column as it is, else the operator's compiled expression over the row
    fk_comp = Compiler(node.left_scope, registry, "JOIN")
    fk_code, fk_type = fk_comp.expr(node.left_expr)
    simple_fk = _SIMPLE.fullmatch(fk_code)
    fk_col = int(simple_fk.group(1)) if simple_fk is not None else None
    if fk_col is not None and not 0 <= fk_col < n_cols:
        fk_col = None  # a pseudo column: computed over the whole row
    stored_pos = list(range(width)) if kept is None else list(kept)
    read = set(stored_pos) | (fk_comp.used_columns if fk_col is None else {fk_col})
    unread = {k for k in range(len(value_cols)) if k + 1 not in read}
    dec = get_format(source.value_format).decode_snippet(value_cols, source.value_options, em, "v", "vals", unread)
    string_key = _kafka_string_key(source)

    def at(i: int) -> str:
        """The value of left-row position `i`, in the decode loop's variables."""
        if i == 0:
            return "key"
        if i < n_cols:
            return f"vals[{i - 1}]"
        return ("rec[2]", "rec[3]", "rec[4]")[i - n_cols]

    # the row as the operator stores it: the whole row (a list), or the tuple of the kept columns
    items = ", ".join(at(i) for i in stored_pos)
    stored = f"[{items}]" if kept is None else f"({items}{',' if len(stored_pos) == 1 else ''})"

    # --- the decode loop: runs of left records -> (rec, key, stored row, ts, fk, order) ---------------------
    slow_lines = ["if pending:", "    flush(pending, out)", "    pending = []", "    add = pending.append",
                  "slow(rec, out)", "continue"]  # fmt: skip
    with em.block("def _fk_decode(records, out, slow, flush):"):
        em.line("pending = []", "add = pending.append")
        with em.block("for rec in records:"):
            with em.block(f"if rec[6] != {source.topic!r} or rec[1] is None:"):
                em.line(*slow_lines)  # the right table's records, and deletions: the generic path
            em.line("v = rec[1]")
            with em.block("try:"):
                if dec is not None:
                    em.line(*dec.code)
                else:
                    em.line(f"vals = {em.bind(source.value_serde.deserialize)}(v)")
                if string_key:
                    # the KAFKA STRING key inline: strict UTF-8 (a key the generic reader decodes with
                    # replacement characters is left to it); its bytes are then its key order
                    em.line("key = rec[0].decode()")
                else:
                    em.line(f"key = {em.bind(source.key_serde.deserialize)}(rec[0])[0]")
            with em.block("except Exception:"):
                em.line(*slow_lines)
            ok = f"vals is not None and len(vals) == {len(value_cols)} and key is not None"
            em.guard(ok if dec is None else f"({dec.guard}) and {ok}", slow_lines)
            if fk_col is not None:
                em.line(f"fk = {at(fk_col)}")
            else:  # the operator's own function, over the row the generic reader builds
                em.line("row = [key, *vals, rec[2], rec[3], rec[4]]")
                with em.block("try:"):
                    em.line(f"fk = {em.bind(op.fk_of)}(row)")
                with em.block("except Exception:"):
                    em.line(*slow_lines)
            if fk_type is None or fk_type.base not in _SCALAR_KEYS:
                with em.block("if fk.__class__ is list or fk.__class__ is dict:"):
                    em.line(f"fk = {em.bind(hashable)}(fk)")
            order = "rec[0]" if string_key else f"{em.bind(op.key_order)}(key)"
            em.line(f"add((rec, key, {stored}, rec[2], fk, {order}))")
        with em.block("if pending:"):
            em.line("flush(pending, out)")

    # --- the output loop: (rec, key, stored left row or None, right row, ts) -> output records --------------
    projections = project.projections
    key_pos = [i for i, p in enumerate(projections) if p.is_key]
    val_pos = [i for i, p in enumerate(projections) if not p.is_key]
    vals_code = ", ".join(f"p{i}" for i in val_pos) + ("," if len(val_pos) == 1 else "")
    sink_cols = list(sink.value_serde.columns)
    enc = None
    if len(sink_cols) == len(val_pos):
        enc = get_format(sink.value_format).encode_snippet(
            sink_cols, sink.value_options, em, [f"p{i}" for i in val_pos], "value"
        )
    vser = em.bind(sink.value_serde.serialize)
    if not key_pos:
        key_bytes = "None"
    elif string_key and _kafka_string_key(sink):
        key_bytes = "rec[0]"  # the left key as the sink's KAFKA STRING serializer writes it: its own bytes
    else:
        key_bytes = f"{em.bind(sink.key_serde.serialize)}([key])"
    # the generic output step wants the joined row
    whole = "lrow" if kept is None else f"{em.bind(op.expand)}(lrow)"
    generic = [f"emit(rec, key, {whole} + rrow, ts, out)", "continue"]
    with em.block("def _fk_project(events, out, emit):"):
        em.line("append = out.append")
        with em.block("for rec, key, lrow, rrow, ts in events:"):
            with em.block("if lrow is None:"):  # a deletion: the generic output step
                em.line("emit(rec, key, None, ts, out)", "continue")
            with em.block("try:"):
                em.line(*(f"p{i} = {c}" for i, c in enumerate(codes)))
                if enc is not None:
                    em.line(*enc.code)
                    em.guard(enc.guard, f"value = {vser}([{vals_code}])")
                else:
                    em.line(f"value = {vser}([{vals_code}])")
                em.line(f"kb = {key_bytes}")
            with em.block("except Exception:"):
                em.line(*generic)
            if comp.guarded(*codes):  # a nested failure (null, but reported): the generic step reports it
                with em.block("if _failures:"):
                    em.line("_failures.clear()", *generic)
            record, new = em.bind(Record), em.bind(tuple.__new__)
            em.line(f"append({new}({record}, (kb, value, ts, rec[3], 0, rec[5], {sink.topic!r})))")
    decode = em.build("_fk_decode", "<ksql fast foreign-key join>")
    project_fn = em.ns["_fk_project"]
    left_rows = op.left_rows

    def flush(pending: list[Any], out: list[Any]) -> None:
        project_fn(left_rows(pending), out, emit)

    def run(records: Sequence[Record], out: list[Any]) -> None:
        decode(records, out, slow, flush)

    return run
