"""The repartition stage of a GROUP BY on anything but the source key (ksqlDB's `-GroupBy-repartition`).

Aggregating where the records are (by source partition) is only right while one consumer sees every
record of a group. With several servers sharing a query's partitions, two of them would each count part of
one group. So, as ksqlDB does, a stream aggregation whose grouping is not the source key and whose source
has more than one partition runs in two stages:

1. this stage reads the source, computes each record's grouping key and writes the record unchanged
   (key, value, timestamp, headers) to the internal topic
   `_confluent-ksql-<service id>query_<query id>-Aggregate-GroupBy-repartition`, into the partition the
   grouping key hashes to (the same partition count as the source);
2. the aggregation reads that topic instead of the source: every record of a group now arrives through one
   partition, hence at one server.

Records are copied byte for byte, so the aggregation decodes, filters, groups and reports errors exactly as
before (a record whose key cannot be computed goes to partition 0 and is judged there). ROWPARTITION and
ROWOFFSET seen by the aggregation are the internal topic's, as in ksqlDB after a repartition.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import orjson

from ksqlserver.analyze.aggregate import AggregateQuery
from ksqlserver.compile.compiler import Compiler
from ksqlserver.drivers.base import Record, TopicDriver
from ksqlserver.functions import FunctionRegistry
from ksqlserver.runtime.pipeline import Pipeline, row_reader
from ksqlserver.sql import ast


def repartition_topic(service_id: str, query_id: str) -> str:
    return f"_confluent-ksql-{service_id}query_{query_id}-Aggregate-GroupBy-repartition"


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
