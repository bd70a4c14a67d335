"""The repartition stage of a GROUP BY on anything but the source key (ksqlDB's `-GroupBy-repartition`).

Aggregating where the records are (by source partition) is only right while one consumer sees every
record of a group. With several servers sharing a query's partitions, two of them would each count part of
one group. So, as ksqlDB does, a stream aggregation whose grouping is not the source key and whose source
has more than one partition runs in two stages:

1. this stage reads the source, computes each record's grouping key and writes the record unchanged
   (key, value, timestamp, headers) to the internal topic
   `_confluent-ksql-<service id><persistent prefix><query id>-Aggregate-GroupBy-repartition`, into the partition the
   grouping key hashes to (the same partition count as the source);
2. the aggregation reads that topic instead of the source: every record of a group now arrives through one
   partition, hence at one server.

Records are copied byte for byte, so the aggregation decodes, filters, groups and reports errors exactly as
before (a record whose key cannot be computed goes to partition 0 and is judged there). ROWPARTITION and
ROWOFFSET seen by the aggregation are the internal topic's, as in ksqlDB after a repartition.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson

from ksqlserver.analyze.aggregate_query import AggregateQuery
from ksqlserver.analyze.join import join_key_format
from ksqlserver.analyze.join_tree import JoinInfo, JoinLeaf
from ksqlserver.catalog.types import KEY, Column
from ksqlserver.compile.compiler import Compiler
from ksqlserver.drivers.base import Record, TopicDriver
from ksqlserver.formats import SerdeOptions, get_format
from ksqlserver.functions import FunctionRegistry
from ksqlserver.runtime.pipeline import Pipeline, row_reader
from ksqlserver.sql import ast


def repartition_topic(service_id: str, query_id: str, persistent_prefix: str = "query_") -> str:
    """The query's application id (QueryApplicationId.build) + `-Aggregate-GroupBy-repartition`."""
    return f"_confluent-ksql-{service_id}{persistent_prefix}{query_id}-Aggregate-GroupBy-repartition"


def needs_repartition(aq: AggregateQuery, driver: TopicDriver) -> bool:
    """A stream source with several partitions, grouped by something other than its key columns."""
    source = aq.source
    if source.is_table or not aq.group_by or aq.join is not None:
        return False
    key_names = [c.name for c in source.schema.key]
    grouped = [e.name if isinstance(e, ast.ColumnRef) else None for _, e, _ in aq.group_by]
    if key_names and grouped == key_names:
        return False  # already partitioned by the grouping
    info = driver.topic(source.topic)
    return info is not None and info.partitions > 1


def _encode(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS, default=str)


def repartition_pipeline(
    aq: AggregateQuery, registry: FunctionRegistry, topic: str, partitions: int
) -> Pipeline:
    """Stage 1: each record, unchanged, to the partition of `topic` its grouping key hashes to."""
    source = aq.source
    row_of = row_reader(source, lambda *args: None)  # decoding errors are reported once, by the aggregation
    comp = Compiler(aq.input_scope, registry, "GROUP BY")
    codes = [comp.expr(e)[0] for _, e, _ in aq.group_by]
    group_fn = comp.function("(" + ", ".join(codes) + ",)", "_group")
    target = replace(source, name=topic, topic=topic, is_source=False, is_sink=True)

    def process(records: Sequence[Record]) -> list[Record]:
        out = []
        for rec in records:
            partition = 0
            try:
                row = row_of(rec)
                if row is not None:
                    # crc32 of the grouping values' JSON: stable across servers and restarts
                    partition = zlib.crc32(_encode(list(group_fn(row)))) % partitions
            except Exception:
                partition = 0
            out.append(Record(rec.key, rec.value, rec.timestamp, partition, 0, rec.headers, topic))
        return out

    return Pipeline(process, [], source, target, None)


# --- joins ------------------------------------------------------------------------------------------------

JOIN_KEY_HEADER = "ksqlserver.key"  # a re-keyed join record carries its original key bytes here


@dataclass(frozen=True)
class JoinRekey:
    """A stream side of a join that is re-keyed by its join expression through an internal topic."""

    leaf: int  # index of the source in the join's leaves
    topic: str
    partitions: int
    key_format: str  # the format the new key is written in (the other side's, where the records must meet)
    key_expr: ast.Expression  # the join expression over the source's row


def join_rekeys(
    info: JoinInfo,
    partitions_of: Callable[[str], int],
    service_id: str,
    query_id: str,
    default_key_format: str,
    persistent_prefix: str = "query_",
) -> list[JoinRekey]:
    """The stream sides of `info` that join on something other than their key, over topics of several
    partitions: on Kafka each goes through ksqlDB's repartition topic (`...-Join-left-repartition`,
    `...-Join-right-repartition` for stream-stream joins, `...-Join-repartition` for a stream-table join),
    keyed by the join key as the other side writes its key, so a join key lives in one partition number on
    both sides and the consumer group gives both to the same server. Foreign-key joins and the inner
    joins of multi-way joins stay in place (not re-keyed)."""
    root = info.root
    if not isinstance(root.left, JoinLeaf) or root.foreign_key:
        return []
    left, right = root.left, root.right
    out: list[JoinRekey] = []
    prefix = f"_confluent-ksql-{service_id}{persistent_prefix}{query_id}-"

    def on_key(leaf: JoinLeaf, expr: ast.Expression) -> bool:
        keys = leaf.source.schema.key
        return isinstance(expr, ast.ColumnRef) and len(keys) == 1 and expr.name == keys[0].name

    def many(leaf: JoinLeaf) -> int:
        return partitions_of(leaf.source.topic)

    left_moves = not left.is_table and not on_key(left, root.left_expr) and many(left) > 1
    right_moves = not right.is_table and not on_key(right, root.right_expr) and many(right) > 1
    stream_stream = not left.is_table and not right.is_table
    if left_moves and right_moves:
        fmt = join_key_format(info, default_key_format)
        fmt_left = fmt_right = fmt
    else:
        fmt_left, fmt_right = right.source.key_format, left.source.key_format
    if left_moves:
        name = "Join-left-repartition" if stream_stream else "Join-repartition"
        out.append(JoinRekey(0, prefix + name, many(left), fmt_left, root.left_expr))
    if right_moves:
        out.append(JoinRekey(1, prefix + "Join-right-repartition", many(right), fmt_right, root.right_expr))
    return out


def join_repartition_pipeline(info: JoinInfo, rekey: JoinRekey, registry: FunctionRegistry) -> Pipeline:
    """Stage 1 of a re-keyed join side: each record with the join key as its key (as `key_serde` writes
    it, so the producer's murmur2 partitioner places it where the other side keeps that key), its value,
    timestamp and headers unchanged and its original key in a header; records that do not decode go on
    unkeyed (the join stage decodes them again and reports them)."""
    leaf = info.leaves[rekey.leaf]
    source = leaf.source
    row_of = row_reader(source, lambda *args: None)
    comp = Compiler(leaf.scope, registry, "JOIN")
    key_fn = comp.function(comp.expr(_unqualified(rekey.key_expr))[0], "_join_key")
    topic = rekey.topic
    target = replace(source, name=topic, topic=topic, is_source=False, is_sink=True, window=None)
    key_col = Column("K", info.root.key_type, KEY)
    serialize = get_format(rekey.key_format).serde([key_col], SerdeOptions(), True).serialize

    def process(records: Sequence[Record]) -> list[Record]:
        out = []
        for rec in records:
            if rec.value is None:
                continue  # a stream record without a value never joins
            key = None
            try:
                row = row_of(rec)
                if row is not None:
                    k = key_fn(row)
                    key = None if k is None else serialize([k])
            except Exception:
                key = None
            headers = (*rec.headers, (JOIN_KEY_HEADER, rec.key))
            out.append(Record(key, rec.value, rec.timestamp, -1, 0, headers, topic))
        return out

    return Pipeline(process, [], source, target, None)


def original_key(rec: Record) -> Record:
    """A record read from a join repartition topic, as its source wrote it (original key restored)."""
    for k, v in rec.headers:
        if k == JOIN_KEY_HEADER:
            headers = tuple(h for h in rec.headers if h[0] != JOIN_KEY_HEADER)
            return rec._replace(key=v, headers=headers)
    return rec


def _unqualified(e: ast.Expression) -> ast.Expression:
    """A join criterion over one source, its columns resolved against that source's row alone."""
    if isinstance(e, ast.ColumnRef):
        return ast.ColumnRef(e.name)
    return e
