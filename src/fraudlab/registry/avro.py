"""Avro for data frames: a record schema from the frame's dtypes, and rows produced as registered Avro
(confluent-kafka's `AvroSerializer`: magic byte, 4-byte schema id, Avro binary)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from fraudlab.kafka import KafkaConfig, send
from fraudlab.registry.client import RegistrySettings, registry_client
from fraudlab.registry.errors import SchemaRegistryRequestError

AVRO_NAME = re.compile(r"[^A-Za-z0-9_]")


def _avro_type(dtype: Any, has_nulls: bool) -> Any:
    if pd.api.types.is_bool_dtype(dtype):
        base: str = "boolean"
    elif pd.api.types.is_integer_dtype(dtype):
        base = "long" if np.dtype(dtype).itemsize > 4 else "int"
    elif pd.api.types.is_float_dtype(dtype):
        base = "double"
    else:
        return ["null", "string"]
    return ["null", base] if has_nulls else base


def avro_schema_for_frame(frame: pd.DataFrame, name: str = "Transaction", namespace: str = "io.fraudlab") -> str:
    """An Avro record with one field per column (float64 -> double, int32 -> int, int64 -> long,
    object -> nullable string; integer/bool columns with gaps become nullable)."""
    fields = []
    for column in frame.columns:
        field_name = AVRO_NAME.sub("_", str(column))
        if not field_name or field_name[0].isdigit():
            field_name = f"_{field_name}"
        avro_type = _avro_type(frame[column].dtype, bool(frame[column].isna().any()))
        entry: dict[str, Any] = {"name": field_name, "type": avro_type}
        if isinstance(avro_type, list):
            entry["default"] = None
        fields.append(entry)
    return json.dumps({"type": "record", "name": name, "namespace": namespace, "fields": fields})


def produce_avro_frame(
    kafka: KafkaConfig,
    registry: RegistrySettings,
    topic: str,
    frame: pd.DataFrame,
    schema_str: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Produce every row of `frame` to `topic` as Avro registered under `<topic>-value`.
    Returns (rows produced, schema id)."""
    from confluent_kafka import Producer
    from confluent_kafka.schema_registry.avro import AvroSerializer
    from confluent_kafka.schema_registry.error import SchemaRegistryError
    from confluent_kafka.serialization import MessageField, SerializationContext

    schema_str = schema_str or avro_schema_for_frame(frame)
    client = registry_client(registry)
    names = [f["name"] for f in json.loads(schema_str)["fields"]]
    serializer = AvroSerializer(client, schema_str, conf={"auto.register.schemas": True})
    ctx = SerializationContext(topic, MessageField.VALUE)
    producer = Producer(kafka.as_librdkafka(**{"linger.ms": 20, "batch.size": 262144}))
    rows = 0
    try:
        columns = [frame[c].to_numpy() for c in frame.columns]
        for values in zip(*columns, strict=True):
            record = {n: (None if _is_missing(v) else _plain(v)) for n, v in zip(names, values, strict=True)}
            payload = serializer(record, ctx)
            send(producer, topic, payload)
            rows += 1
            if rows % 5000 == 0:
                producer.poll(0)
                if on_progress:
                    on_progress(rows)
    except SchemaRegistryError as exc:
        raise SchemaRegistryRequestError(
            f"registering the Avro schema of {topic}-value", exc.http_status_code, exc.error_code, exc.error_message
        ) from exc
    producer.flush(60)
    if on_progress:
        on_progress(rows)
    schema_id = client.get_latest_version(f"{topic}-value").schema_id
    return rows, schema_id


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
