"""Ports of ksqlDB 0.29 `io.confluent.ksql.rest.server.computation.KafkaConfigStoreTest` and `ConfigTopicKeyTest`
(ksqldb-rest-app): headless mode's config topic (cluster/config_store.py, StandaloneExecutorFactory +
KafkaConfigStore) over the in-memory driver, and as `--queries-file` leaves it. shouldMergeExistingConfigIfExists
concerns KsqlConfig's compatibility-breaking configs, which this engine has none of."""

from __future__ import annotations

import json
from pathlib import Path

from ksqlserver.cluster.config_store import CONFIG_MSG_KEY, configs_topic, read_maybe_write, string_key
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.headless import run_queries_file

TOPIC = configs_topic("default_")
PROPS = {"ksql.service.id": "default_", "ksql.persistent.prefix": "query_"}


def _value(props: dict[str, str]) -> bytes:
    return json.dumps({"ksqlProperties": props}).encode()


def test_config_topic_key() -> None:
    """ConfigTopicKeyTest.shouldSerializeStringKey, and the topic's name (ReservedInternalTopics.configsTopic)"""
    assert string_key("string-key-value") == b'{"string":{"value":"string-key-value"}}'
    assert TOPIC == "_confluent-ksql-default__configs"


def test_should_write_config_if_no_config_written() -> None:
    """KafkaConfigStoreTest.shouldWriteConfigIfNoConfigWritten / shouldReadConfigAfterWrite: an internal topic
    made, one record written, the same properties read back"""
    driver = MemoryDriver()
    assert read_maybe_write(driver, "default_", PROPS, {}) == PROPS
    [record] = driver.records(TOPIC)
    assert record.key == string_key(CONFIG_MSG_KEY)
    assert json.loads(record.value or b"") == {"ksqlProperties": PROPS}
    info = driver.topic(TOPIC)
    assert info is not None and info.partitions == 1 and info.config["cleanup.policy"] == "delete"
    assert read_maybe_write(driver, "default_", {"other": "x"}, {}) == PROPS
    assert len(driver.records(TOPIC)) == 1


def test_should_not_write_config_if_exists_and_use_first() -> None:
    """KafkaConfigStoreTest.shouldNotWriteConfigIfExists / shouldUseFirstPolledConfig /
    shouldIgnoreRecordsWithDifferentKey / shouldIgnoreRecordsWithUnparseableKey / shouldPollToEndOfTopic"""
    driver = MemoryDriver()
    driver.create_topic(TOPIC, 1, 1)
    driver.produce(TOPIC, [
        Record(string_key("other"), _value({"a": "1"})),
        Record(b"not json", _value({"b": "2"})),
        Record(string_key(CONFIG_MSG_KEY), _value({"first": "yes"})),
        Record(string_key(CONFIG_MSG_KEY), _value({"second": "no"})),
    ])  # fmt: skip
    assert read_maybe_write(driver, "default_", PROPS, {}) == {"first": "yes"}
    assert len(driver.records(TOPIC)) == 4


def test_should_deserialize_empty_contents_to_empty_props() -> None:
    """KafkaConfigStoreTest.shouldDeserializeEmptyContentsToEmptyProps / shouldDeserializeProps"""
    driver = MemoryDriver()
    driver.create_topic(TOPIC, 1, 1)
    driver.produce(TOPIC, [Record(string_key(CONFIG_MSG_KEY), b"{}")])
    assert read_maybe_write(driver, "default_", PROPS, {}) == {}


def test_headless_mode_keeps_its_config(tmp_path: Path) -> None:
    """StandaloneExecutorFactory.create: the config topic and the first start's properties, secrets hidden"""
    driver = MemoryDriver()
    driver.create_topic("t", 1, 1)
    queries = tmp_path / "queries.sql"
    queries.write_text("CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='t', value_format='json');\n"
                       "CREATE STREAM S2 AS SELECT * FROM S;\n")  # fmt: skip
    props = {"ksql.streams.auto.offset.reset": "earliest", "ssl.keystore.password": "secret"}
    engine = Engine(EngineConfig(processing_log=False, command_topic=False, properties=props), driver)
    try:
        run_queries_file(engine, str(queries))
    finally:
        engine.close()
    [record] = driver.records(TOPIC)
    saved = json.loads(record.value or b"")["ksqlProperties"]
    assert saved["ksql.streams.auto.offset.reset"] == "earliest"
    assert saved["ssl.keystore.password"] == "[hidden]"
