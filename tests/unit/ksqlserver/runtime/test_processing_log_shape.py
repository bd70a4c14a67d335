"""The processing log as ksqlDB 0.29 writes it.

- `ReservedInternalTopics.processingLogTopic`: `ksql.logging.processing.topic.name` names the topic when
  set, else `<service id>ksql_processing_log`.
- `LoggingSerdeUtil.getCause` (`ErrorMessageUtil.getErrorMessages` minus the first): the messages of the
  whole exception chain; for a JSON value `KsqlJsonDeserializer.enforceFieldType` wraps one
  `CoercionException` per level (`..., path: $.A.B`, `..., path: .A.B`, `..., path: .B`) around the
  handler's own exception (the bare message).
- `ProcessingLogMessageSchema`: deserializationError fields in the order target, errorMessage,
  recordB64, cause, topic; the message is compact JSON.
"""

from __future__ import annotations

import json

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig


def test_named_topic_cause_chain_and_compact_fields() -> None:
    d = MemoryDriver()
    e = Engine(
        EngineConfig(
            service_id="svc_",
            synchronous=True,
            command_topic=False,
            properties={
                "ksql.streams.auto.offset.reset": "earliest",
                "ksql.logging.processing.topic.name": "my_log",
            },
        ),
        d,
    )
    try:
        assert "my_log" in d.topics() and "svc_ksql_processing_log" not in d.topics()
        e.execute("CREATE STREAM S (A STRUCT<B BOOLEAN>) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")
        e.execute("CREATE STREAM O AS SELECT * FROM S;")
        d.produce("s", [Record(None, b'{"A": {"B": "yes"}}', 1)])
        e.drain()
        [log] = d.records("my_log")
    finally:
        e.close()
    text = log.value.decode()
    # the source step's deserializer (QueryLoggerUtil.queryLoggerName + GenericSerdeFactory's "deserializer")
    assert text.startswith('{"level":"ERROR","logger":"processing.CSAS_O_0.KsqlTopic.Source.deserializer"')
    err = json.loads(text)["message"]["deserializationError"]
    raw = "Can't convert type. sourceType: TextNode, requiredType: BOOLEAN"
    assert list(err) == ["target", "errorMessage", "recordB64", "cause", "topic"]
    assert err["errorMessage"] == f"Failed to deserialize value from topic: s. {raw}, path: $.A.B"
    assert err["cause"] == [f"{raw}, path: $.A.B", f"{raw}, path: .A.B", f"{raw}, path: .B", raw]
