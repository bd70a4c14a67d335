"""The physical plan of a stateless query: a logical plan compiled into one batch function over records.

Per record: deserialise key and value -> row list -> compiled filter -> compiled key (PARTITION BY) ->
compiled projection -> serialise key and value. Nothing walks the AST per record. Records that fail to
deserialise, evaluate or serialise are reported through `on_error` (the processing log) and skipped (or,
for one failing column, carried on with a null in that column), as ksqlDB does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import SqlType
from ksqlserver.compile.compiler import Compiler
from ksqlserver.drivers.base import Record
from ksqlserver.extensions.batching import BatchCalls, evaluate_batch, table_positions
from ksqlserver.functions import FunctionRegistry
from ksqlserver.plan.fast import project as fastpath
from ksqlserver.plan.logical import (
    FilterStep,
    LogicalPlan,
    OutputStep,
    ProjectStep,
    RepartitionStep,
    SinkStep,
    SourceStep,
    select_error_texts,
)
from ksqlserver.plan.sink_time import TOMBSTONE_MESSAGE, SinkTimeError, sink_time
from ksqlserver.runtime.log_row import generic_key_string, generic_row_string, java_row_text, values_text
from ksqlserver.runtime.operators.joins import hashable
from ksqlserver.runtime.operators.windows import window_suffix
from ksqlserver.runtime.pipeline import (
    SOURCE_CONTEXT,
    ErrorHandler,
    Pipeline,
    TombstoneRow,
    fail_serialization,
    json_ready,
    row_reader,
    with_logger,
)
from ksqlserver.runtime.state.base import InMemoryKeyValueStore, StateStores
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql


def _key_bytes(
    kser: Callable[[Any], bytes | None],
    kv: list[Any],
    rec: Record,
    rekeyed: bool,
    source_key_null: Callable[[Record], bool],
) -> bytes | None:
    """A null key stays null; a key PARTITION BY has computed is a GenericKey even when its columns are all
    null, so the format's serializer decides (KAFKA, JSON, AVRO write null for one null column; DELIMITED
    writes an empty line and JSON several nulls as an object, as KsqlDelimitedSerializer/KsqlJsonSerializer
    serialize the GenericKey). So is a source key read as a GenericKey of nulls (`{"K1": null, "K2": null}`,
    `,` in DELIMITED, a Protobuf key message without fields): only a key that deserialized to null (no
    bytes, or JSON `null`) is written as null (GenericKeySerDe's deserializer returns null only then)."""
    if not kv or (all(v is None for v in kv) and not rekeyed and source_key_null(rec)):
        return None
    return kser(kv)


def _source_key_null(source: DataSource) -> Callable[[Record], bool]:
    """Whether a record of `source` has a null key (rather than a key whose columns are all null)."""
    if source.window is not None or not source.schema.key:
        return lambda rec: True
    kde = source.key_serde.deserialize

    def null(rec: Record) -> bool:
        if rec.key is None:
            return True
        try:
            return kde(rec.key) is None
        except Exception:
            return True

    return null


def compile_plan(
    plan: LogicalPlan,
    registry: FunctionRegistry,
    on_error: ErrorHandler,
    stores: StateStores | None = None,
    query_id: str = "transient",
    fast_paths: bool = True,
) -> Pipeline:
    """A one-source plan (no join, no aggregation) as a pipeline. A table source filtered by WHERE keeps
    which keys currently pass in `stores`: Kafka Streams' table filter (with old values, as its source is
    materialized) emits a tombstone only for a key whose previous row passed."""
    source_step = next(s for s in plan.steps if isinstance(s, SourceStep))
    source = source_step.source
    filt = next((s for s in plan.steps if isinstance(s, FilterStep)), None)
    repart = next((s for s in plan.steps if isinstance(s, RepartitionStep)), None)
    project = next(s for s in plan.steps if isinstance(s, ProjectStep))
    sink_step = next((s for s in plan.steps if isinstance(s, SinkStep)), None)
    out_step = next((s for s in plan.steps if isinstance(s, OutputStep)), None)

    schema_cols = source.schema.columns
    n_key = len(source.schema.key)
    n_cols = len(schema_cols)
    row_width = source.row_width

    filter_fn = None
    filter_failures: Callable[[], list[Exception]] = list
    if filt is not None:
        comp = Compiler(source_step.scope, registry, "WHERE")
        filter_fn = comp.function(comp.expr(filt.predicate)[0], "_filter")
        filter_failures = comp.take_failures
    key_fn = None
    computed: dict[ast.Expression, ast.Expression] = {}
    key_errors: list[str] = []
    if repart is not None:
        comp = Compiler(source_step.scope, registry, "PARTITION BY")
        codes = [comp.expr(e)[0] for _, e, _ in repart.keys]
        key_fn = comp.projection(codes, "_partition_key")
        # PartitionByParamsFactory's processing-log text for a key that fails to compute
        key_errors = [f"Error computing new key from expression {sql(e)}" for _, e, _ in repart.keys]
        # a selected expression that is a PARTITION BY expression reads the new key column, computed once
        # (ksqlDB's projection refers to the key column rather than evaluating the expression again)
        computed = {e: ast.ColumnRef(n) for n, e, _ in repart.keys if not isinstance(e, ast.ColumnRef | ast.NullLiteral)}
    comp = Compiler(project.scope, registry, "SELECT")
    comp.batch_calls = BatchCalls()
    codes = [comp.expr(computed.get(p.expression, p.expression))[0] for p in project.projections]
    project_fn = comp.projection(codes, "_project")
    # ksqlDB's processing-log texts (SelectValueMapper, SqlPredicate); the cause goes in the entry's cause
    column_errors = select_error_texts(project.projections, sink_step is not None, registry)
    predicate_error = f"Error evaluating predicate {sql(filt.predicate)}" if filt is not None else ""
    # plugin functions (ksqlserver.extensions): batch functions are called once per micro-batch, and
    # table-function columns give one output per element; both go through `evaluate_batch`
    batch = comp.batch_calls or None
    tables = table_positions(project.projections, registry)
    staged = batch is not None or bool(tables)

    # each step's ProcessingLogger (its query context, as LogicalPlanner names the plan's nodes)
    row_of = row_reader(source, with_logger(on_error, SOURCE_CONTEXT))
    filter_error = with_logger(on_error, "WhereFilter")
    project_error = with_logger(on_error, "Project")
    partition_error = with_logger(on_error, "PartitionBy")
    log_row = java_row_text(source)
    width = n_cols  # index of ROWTIME in the evaluated row
    table_filter = source.is_table and filter_fn is not None and sink_step is not None

    def evaluate(rec: Record, defer: bool = False) -> tuple[list[Any], bool, Any] | None:
        """(row, value_is_null, projected) for one record, or None when filtered out or failed."""
        row = row_of(rec)
        if row is None:
            return None
        null_value = len(row) > row_width
        if null_value:
            row.pop()
            if filter_fn is not None and not table_filter:
                return None
        elif filter_fn is not None:
            failed: Exception | None = None
            try:
                passed = filter_fn(row) is True
            except Exception as e:  # SqlPredicate logs the row it was given
                failed, passed = e, False
            # nested failures (a CAST, a call's argument) are null and logged, as in any compiled
            # expression (SqlToJavaVisitor.evaluateOrReturnNull logs with the filter's processing logger),
            # before the failure they may cause (a CAST's false default that is no BOOLEAN)
            for failure in filter_failures():
                filter_error("recordProcessing", predicate_error, rec, failure, lambda _row=row: log_row(_row))
            if failed is not None:
                filter_error("recordProcessing", predicate_error, rec, failed, lambda _row=row: log_row(_row))
            if not passed:
                if not table_filter:
                    return None
                null_value = True  # a table row filtered out: a tombstone, if its key had passed before

        def col_error(i: int, e: Exception, _rec: Record = rec, _row: list[Any] = row) -> None:
            message = column_errors[i] if i < len(column_errors) else f"Error computing expression {i}"
            # SelectValueMapper logs the row it was given (the source row, before any PARTITION BY key)
            project_error("recordProcessing", message, _rec, e, lambda: log_row(_row[:row_width]))

        if key_fn is not None:
            row.extend(key_fn(row, lambda i, e, _rec=rec: partition_error("recordProcessing", key_errors[i], _rec, e)))
        if null_value:
            return row, True, None
        if defer:  # evaluate_batch projects later, once the micro-batch's batch calls are made
            return row, False, col_error
        return row, False, project_fn(row, col_error)

    if out_step is not None:
        readies = [json_ready(p.type) for p in project.projections]

        # a table's deleted row reaches a push query as a tombstone: its key columns, nulls elsewhere
        key_like = {c.name for c in source.schema.key} | (
            {"WINDOWSTART", "WINDOWEND"} if source.window is not None else set()
        )
        tomb_keep = [
            isinstance(p.expression, ast.ColumnRef) and p.expression.name in key_like
            for p in project.projections
        ]
        tombstones = source.is_table and filt is None

        def one_row(rec: Record, r: tuple[list[Any], bool, Any] | None, out: list[Any]) -> None:
            if r is None:
                return
            if tombstones and n_key and all(v is None for v in r[0][:n_key]):
                return  # a table row needs a key: ksqlDB drops records without one
            if r[1]:
                if tombstones:
                    vals = project_fn(r[0], lambda i, e: None)
                    out.append(
                        TombstoneRow(
                            f(v) if keep else None
                            for f, v, keep in zip(readies, vals, tomb_keep, strict=True)
                        )
                    )
                return
            out.append([f(v) for f, v in zip(readies, r[2], strict=True)])  # type: ignore[arg-type]

        # a stream's rows of plain types: the generated loop (decode, filter, project in one function);
        # JSON-ready values of those types are the values themselves
        fast_rows = None
        if fast_paths and repart is None and not staged and not source.is_table:
            fast_rows = fastpath.build(source, None, source_step.scope, filt, project, registry, [], [])

        def process_rows(records: Sequence[Record]) -> list[Any]:
            out: list[Any] = []
            if fast_rows is not None:
                fast_rows(records, out, lambda rec: one_row(rec, evaluate(rec), out))
                return out
            if staged:
                for _, r in evaluate_batch(records, evaluate, project_fn, batch, tables):
                    one_row(_, r, out)
                return out
            for rec in records:
                one_row(rec, evaluate(rec), out)
            return out

        return Pipeline(
            process_rows,
            [(p.name, p.type) for p in project.projections],
            source,
            None,
            out_step.limit,
        )

    assert sink_step is not None
    sink = sink_step.sink
    key_pos = [i for i, p in enumerate(project.projections) if p.is_key]
    key_order = [c.name for c in sink.schema.key]
    names_by_pos = {i: project.projections[i].name for i in key_pos}
    key_pos = sorted(
        key_pos,
        key=lambda i: key_order.index(names_by_pos[i]) if names_by_pos[i] in key_order else len(key_order),
    )
    val_pos = [i for i, p in enumerate(project.projections) if not p.is_key]
    # keys of a null-value record come from the pre-projection key (source key or PARTITION BY result)
    pre_key_pos = list(range(row_width, row_width + len(repart.keys))) if repart else list(range(n_key))
    # a null-value record keeps only key parts computed from key columns (ksqlDB has no value to read)
    null_key_ok = [True] * len(pre_key_pos)
    if repart is not None:
        key_names = {c.name for c in source.schema.key}
        null_key_ok = [
            all(
                isinstance(n, ast.ColumnRef) and n.name in key_names
                for n in ast.walk(e)
                if isinstance(n, ast.ColumnRef)
            )
            for _, e, _ in repart.keys
        ]
    kser = sink.key_serde.serialize
    vser = sink.value_serde.serialize
    source_key_null = _source_key_null(source)
    # a key-less sink of a key-less source writes the source record's key as it was read (null stays null,
    # any other key is the empty key struct) with its own key serde: Kafka Streams keeps the GenericKey
    # through select and filter, and SinkBuilder serializes it (GenericKeySerDe; KsqlVoidSerde for KAFKA and
    # NONE reads null and writes null)
    kept_key = None
    if not sink.schema.key and not source.schema.key and repart is None and sink.empty_key:
        kept_key = source.key_serde.deserialize if source.empty_key else (lambda data: None)
    sink_ts = None
    if sink.timestamp_column:
        names_upper = [p.name for p in project.projections]
        if sink.timestamp_column in names_upper:
            sink_ts = names_upper.index(sink.timestamp_column)
    sink_ts_base = (project.projections[sink_ts].type or SqlType("BIGINT")).base if sink_ts is not None else ""
    sink_time_of = sink_time(sink_ts_base, sink.timestamp_format)
    # what a failing serializer was given, as SerializationError writes it (GenericKey / GenericRow)
    key_types: list[SqlType | None] = [c.type for c in sink.schema.key]
    value_types: list[SqlType | None] = [project.projections[i].type for i in val_pos]
    sink_error = with_logger(on_error, sink.name)  # the sink step's context: the sink's name
    present = (stores or StateStores(InMemoryKeyValueStore)).open(query_id, "Filter-Present") if table_filter else None
    all_val_in_order = val_pos == list(range(len(val_pos))) and not key_pos
    # a windowed source's records keep their window: the sink's key is the inner key plus the bounds
    suffix = window_suffix(source.window.kind == "SESSION") if source.window and sink.window else None
    wstart = row_width - 2

    def one(rec: Record, out: list[Any], r: Any = None) -> None:
        """The generic path for one record (appends its output, if any, to `out`); `r` is given when
        evaluate_batch has evaluated it already."""
        r = evaluate(rec) if r is None else r
        if r is None:
            return
        row, is_null, vals = r
        ts = row[width]
        if present is not None:
            pkey = tuple(hashable(row[i]) for i in range(n_key))
            if is_null:
                if present.get(pkey) is None:
                    return  # never passed (or already deleted): nothing to retract
                present.delete(pkey)
            elif present.get(pkey) is None:
                present.put(pkey, True)
        if is_null:
            kv = [row[i] if ok else None for i, ok in zip(pre_key_pos, null_key_ok, strict=True)]
            if sink_ts is not None:  # TransformTimestamp on a tombstone: only a key column can be read
                try:
                    if sink_ts not in key_pos:
                        raise SinkTimeError(TOMBSTONE_MESSAGE)
                    ts = sink_time_of(kv[key_pos.index(sink_ts)])
                except SinkTimeError as e:
                    sink_error("recordProcessing", e.message, rec, e)
                    return
        else:
            assert vals is not None
            if sink_ts is not None:  # TransformTimestamp runs before the sink's serializers
                try:
                    ts = sink_time_of(vals[sink_ts])
                except SinkTimeError as e:  # RecordProcessingError carries the value row TransformTimestamp got
                    row_vals = [vals[i] for i in val_pos]
                    sink_error("recordProcessing", e.message, rec, e, lambda: values_text(row_vals, value_types))
                    return
            kv = [vals[i] for i in key_pos]
        # Kafka Streams serializes the key, then the value; a failure fails the query (fail_serialization)
        try:
            key = (
                _key_bytes(kser, kv, rec, repart is not None, source_key_null)
                if kept_key is None
                else kser(kept_key(rec.key))
            )
        except Exception as e:
            fail_serialization(sink_error, sink, rec, e, True, lambda: generic_key_string(kv, key_types), ts)
        if is_null:
            value = None
        else:
            assert vals is not None
            out_vals = vals if all_val_in_order else [vals[i] for i in val_pos]
            try:
                value = vser(out_vals)
            except Exception as e:
                fail_serialization(
                    sink_error, sink, rec, e, False, lambda: generic_row_string(out_vals, value_types), ts
                )
        if suffix is not None:
            # a null windowed key (a source record without key bytes) is written as none, as Kafka
            # Streams' TimeWindowedSerializer / SessionWindowedSerializer serialize null
            key = None if row[wstart] is None else (key or b"") + suffix(row[wstart], row[wstart + 1])
        out.append(Record(key, value, ts, rec.partition, 0, rec.headers, sink.topic))

    fast = None
    if fast_paths and repart is None and not tables and suffix is None and not table_filter:
        fast = fastpath.build(source, sink, source_step.scope, filt, project, registry, key_pos, val_pos)

    def one_staged(rec: Record, out: list[Any]) -> None:
        """The generic path for one record of a query with batch functions (a batch of one)."""
        for _, r in evaluate_batch([rec], evaluate, project_fn, batch, tables):
            one(rec, out, r)

    def process_records(records: Sequence[Record]) -> list[Any]:
        out: list[Record] = []
        if fast is not None:
            fast(records, out, (lambda rec: one_staged(rec, out)) if staged else (lambda rec: one(rec, out)))
        elif staged:
            for rec, r in evaluate_batch(records, evaluate, project_fn, batch, tables):
                one(rec, out, r)
        else:
            for rec in records:
                one(rec, out)
        return out

    return Pipeline(
        process_records,
        [(p.name, p.type) for p in project.projections],
        source,
        sink,
        None,
        fast is not None,
    )
