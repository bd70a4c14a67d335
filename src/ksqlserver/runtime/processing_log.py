"""The processing log: one JSON message per record that failed, shaped like ksqlDB's, to a Kafka topic.

Message: {"level": "ERROR", "logger": "processing.<query id>...", "time": ms, "message": {"type": n,
"deserializationError"|"recordProcessingError"|"serializationError": {...}, the others null}}.

As ProcessingLogConfig's `ksql.logging.processing.rows.include` (default false) says, a deserialization
error's recordB64 holds the record's bytes only when rows are included (DeserializationError.get), and a
key that cannot be read is the "key" target, its bytes the key's (LoggingSerdeUtil.getRecordComponent).
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Callable

from ksqlserver.drivers.base import Record, TopicDriver

log = logging.getLogger("ksqlserver.processing")

TYPES = {
    "deserialization": 0, "keyDeserialization": 0, "recordProcessing": 1, "productionError": 2, "serialization": 3,
    "keySerialization": 3, "kafkaStreamsThreadError": 4,
}  # fmt: skip
# QueryBuilder.KSQL_THREAD_EXCEPTION_UNCAUGHT_LOGGER: the context of a persistent query's uncaught errors
UNCAUGHT_LOGGER = "ksql.logger.thread.exception.uncaught"
INCLUDE_ROWS = "ksql.logging.processing.rows.include"
# ProcessingLogServerUtils.getMessageSchema written by SqlSchemaFormatter (only what is not a valid
# identifier quoted: `topic`, a reserved word, keeps its case; the rest is upper-cased by the parser)
SCHEMA = (
    "logger VARCHAR, level VARCHAR, time BIGINT, message STRUCT<type INT, "
    "deserializationError STRUCT<target VARCHAR, errorMessage VARCHAR, recordB64 VARCHAR, cause ARRAY<VARCHAR>, "
    "`topic` VARCHAR>, recordProcessingError STRUCT<errorMessage VARCHAR, record VARCHAR, cause ARRAY<VARCHAR>>, "
    "productionError STRUCT<errorMessage VARCHAR>, serializationError STRUCT<target VARCHAR, errorMessage VARCHAR, "
    "record VARCHAR, cause ARRAY<VARCHAR>, `topic` VARCHAR>, kafkaStreamsThreadError STRUCT<errorMessage VARCHAR, "
    "threadName VARCHAR, cause ARRAY<VARCHAR>>>"
)
# ProcessingLogConfig
STREAM_NAME = "ksql.logging.processing.stream.name"
STREAM_NAME_DEFAULT = "KSQL_PROCESSING_LOG"
STREAM_AUTO_CREATE = "ksql.logging.processing.stream.auto.create"
TOPIC_AUTO_CREATE = "ksql.logging.processing.topic.auto.create"
TOPIC_PARTITIONS = "ksql.logging.processing.topic.partitions"
TOPIC_REPLICATION_FACTOR = "ksql.logging.processing.topic.replication.factor"


def stream_create_statement(name: str, topic: str) -> str:
    """ProcessingLogServerUtils.processingLogStreamCreateStatement."""
    return f"CREATE STREAM {name} ({SCHEMA}) WITH(KAFKA_TOPIC='{topic}', VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');"


class ProcessingLog:
    """Writes error messages to `topic` (when a driver is given) and to the Python log; keeps a count."""

    def __init__(self, driver: TopicDriver | None, topic: str, include_rows: bool = False) -> None:
        self.driver = driver
        self.topic = topic
        self.include_rows = include_rows
        self.count = 0
        self._lock = threading.Lock()

    def error(
        self,
        query_id: str,
        kind: str,
        message: str,
        record: Record | None,
        cause: Exception | None = None,
        row_text: Callable[[], str | None] | None = None,
        logger: str | None = None,
    ) -> None:
        """`row_text`: the GenericRow a record processing error carries (RecordProcessingError's record),
        or the row a serializer was given (SerializationError's), written only when rows are included. A
        serialization error's record is the one being written (its topic the sink's). `logger`: the failing
        step's query context, the logger `processing.<query id>.<context>`, a serde's with `.deserializer` or
        `.serializer` (GenericSerdeFactory's DESERIALIZER_LOGGER_NAME / SERIALIZER_LOGGER_NAME)."""
        with self._lock:
            self.count += 1
        body: dict[str, object] = {
            "type": TYPES.get(kind, 1),
            "deserializationError": None,
            "recordProcessingError": None,
            "productionError": None,
            "serializationError": None,
            "kafkaStreamsThreadError": None,
        }
        nested = getattr(cause, "processing_message", None)  # compile.helpers.NestedFailure: its own message
        if nested is not None:
            message, cause = nested, cause.cause  # type: ignore[union-attr]
        chain = getattr(cause, "java_causes", None)  # an error that knows ksqlDB's exception chain
        if callable(chain):
            causes = list(chain())
        else:
            causes = [str(cause)] if cause is not None and str(cause) != message else []
        is_key = kind == "keyDeserialization"
        raw = (record.key if is_key else record.value) if record is not None and self.include_rows else None
        if kind in ("deserialization", "keyDeserialization"):
            body["deserializationError"] = {  # ProcessingLogMessageSchema's field order
                "target": "key" if is_key else "value",
                "errorMessage": message,
                "recordB64": base64.b64encode(raw).decode() if raw is not None else None,
                "cause": causes,
                "topic": record.topic if record else "",
            }
        elif kind in ("serialization", "keySerialization"):
            # SerializationError.get: the record (the GenericRow or GenericKey's toString) only with rows
            row = row_text() if row_text is not None and self.include_rows else None
            body["serializationError"] = {
                "target": "key" if kind == "keySerialization" else "value",
                "errorMessage": message,
                "record": row,
                "cause": causes,
                "topic": record.topic if record else "",
            }
        else:
            row = row_text() if row_text is not None and self.include_rows else None
            body["recordProcessingError"] = {"errorMessage": message, "record": row, "cause": causes}
        log.warning("%s: %s", query_id, message)
        name = f"processing.{query_id}"
        if logger:
            name += f".{logger}"
            if kind in ("deserialization", "keyDeserialization"):
                name += ".deserializer"
            elif kind in ("serialization", "keySerialization"):
                name += ".serializer"
        self._write(name, body)

    def thread_error(self, query_id: str, thread_name: str, causes: list[str]) -> None:
        """PersistentQueryMetadataImpl.uncaughtHandler's KafkaStreamsThreadError: the thread that died and
        ErrorMessageUtil.getErrorMessages of what it died of, under the query's uncaught-exception logger."""
        with self._lock:
            self.count += 1
        body: dict[str, object] = {
            "type": TYPES["kafkaStreamsThreadError"],
            "deserializationError": None,
            "recordProcessingError": None,
            "productionError": None,
            "serializationError": None,
            "kafkaStreamsThreadError": {  # ProcessingLogMessageSchema's field order
                "errorMessage": "Unhandled exception caught in streams thread",
                "threadName": thread_name,
                "cause": causes,
            },
        }
        self._write(f"processing.{query_id}.{UNCAUGHT_LOGGER}", body)

    def _write(self, logger: str, body: dict[str, object]) -> None:
        msg = {"level": "ERROR", "logger": logger, "time": int(time.time() * 1000), "message": body}
        if self.driver is not None:
            try:
                self.driver.produce(  # no wait: the log rides along with the query's next flush
                    self.topic, [Record(None, json.dumps(msg, separators=(",", ":")).encode(), int(time.time() * 1000))], wait=False
                )
            except Exception:  # the log must never stop a query
                log.exception("could not write to the processing log topic %s", self.topic)
