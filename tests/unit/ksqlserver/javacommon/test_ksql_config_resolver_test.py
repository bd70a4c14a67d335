"""ksqlDB 0.29 KsqlConfigResolverTest (ksqldb-common, config): KsqlConfigResolver.resolve(name, strict=true)
as SET / UNSET reach it (PropertyOverrider.throwIfInvalidProperty: "Unknown property: <name>" when it
resolves nothing). Whether a name resolves against a ConfigDef or stays unresolved is not observable apart
from that; the non-strict cases are SHOW PROPERTIES' (KsqlConfigTest)."""

from __future__ import annotations

import pytest

from .conftest import Exec


@pytest.mark.parametrize(
    ("name", "prop"),
    [
        ("shouldResolveKsqlProperty", "ksql.connect.url"),
        ("shouldReturnUnresolvedForOtherKsqlFunctionProperty", "ksql.functions.some_udf.some.prop"),
        ("shouldResolveStreamsConfig", "commit.interval.ms"),
        ("shouldResolveKsqlStreamPrefixedStreamConfig", "ksql.streams.commit.interval.ms"),
        ("shouldReturnUnresolvedForTopicPrefixedStreamsConfig", "ksql.streams.topic.min.insync.replicas"),
        ("shouldResolveConsumerConfig", "fetch.min.bytes"),
        ("shouldResolveConsumerPrefixedConsumerConfig", "consumer.fetch.min.bytes"),
        ("shouldResolveKsqlPrefixedConsumerConfig", "ksql.streams.fetch.min.bytes"),
        ("shouldResolveKsqlConsumerPrefixedConsumerConfig", "ksql.streams.consumer.fetch.min.bytes"),
        ("shouldResolveProducerConfig", "buffer.memory"),
        ("shouldResolveProducerPrefixedProducerConfig", "producer.buffer.memory"),
        ("shouldResolveKsqlPrefixedProducerConfig", "ksql.streams.buffer.memory"),
        ("shouldResolveKsqlProducerPrefixedProducerConfig", "ksql.streams.producer.buffer.memory"),
    ],
)
def test_resolved(ex: Exec, name: str, prop: str) -> None:
    value = "2" if "insync" in prop or "bytes" in prop or "memory" in prop or "interval" in prop else "x"
    assert ex.run(f"SET '{prop}'='{value}';") == []
    ex.run(f"UNSET '{prop}';")


@pytest.mark.parametrize(
    ("name", "prop"),
    [
        ("shouldNotFindPrefixedKsqlProperty", "ksql.ksql.connect.url"),
        ("shouldNotFindUnknownKsqlProperty", "ksql.you.won't.find.me...right"),
    ],
)
def test_not_found(ex: Exec, name: str, prop: str) -> None:
    quoted = prop.replace("'", "''")
    assert ex.error(f"SET '{quoted}'='x';") == f"Unknown property: {prop}"
    assert ex.error(f"UNSET '{quoted}';") == f"Unknown property: {prop}"


@pytest.mark.parametrize(
    ("name", "prop"),
    [
        ("shouldNotFindUnknownStreamsProperty", "ksql.streams.you.won't.find.me...right"),
        ("shouldNotFindUnknownConsumerPropertyIfStrict", "consumer.custom.interceptor.config"),
        ("shouldNotFindUnknownStreamsPrefixedConsumerPropertyIfStrict", "ksql.streams.consumer.custom.interceptor.config"),
        ("shouldNotFindUnknownProducerPropertyIfStrict", "producer.custom.interceptor.config"),
        ("shouldNotFindUnknownStreamsPrefixedProducerPropertyIfStrict", "ksql.streams.producer.custom.interceptor.config"),
        ("shouldReturnEmptyForOtherConfigIfStrict", "confluent.monitoring.interceptor.topic"),
    ],
)  # fmt: skip
def test_unknown_streams_names(ex: Exec, name: str, prop: str) -> None:
    """The strict resolution of Streams, consumer and producer names against Kafka 3.5's ConfigDefs
    (catalog/kafka_configs.py)."""
    quoted = prop.replace("'", "''")
    assert ex.error(f"SET '{quoted}'='x';") == f"Unknown property: {prop}"


@pytest.mark.parametrize(
    ("prop", "value", "message"),
    [
        ("linger.ms", "abc", "Invalid value abc for configuration linger.ms: Not a number of type LONG"),
        ("ksql.streams.fetch.min.bytes", "x", "Invalid value x for configuration fetch.min.bytes: Not a number of type INT"),
        ("consumer.enable.auto.commit", "yes",
         "Invalid value yes for configuration enable.auto.commit: Expected value to be either true or false"),
        ("auto.offset.reset", "bad",
         "Invalid value bad for configuration auto.offset.reset: String must be one of: latest, earliest, none"),
    ],
)  # fmt: skip
def test_resolved_item_parses_the_value(ex: Exec, prop: str, value: str, message: str) -> None:
    """ConfigItem.Resolved.parseValue (ConfigDef.parseType, then the validator) as SET reaches it through
    KsqlConfig.cloneWithPropertyOverwrite: the ConfigException's message names the resolved property."""
    assert ex.error(f"SET '{prop}'='{value}';") == message
