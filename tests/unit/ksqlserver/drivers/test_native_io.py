"""The Kafka driver on kafkanative (`KafkaDriverConfig.native_io`) without a broker: the same failures as on
confluent-kafka. With no broker (port 1) every delivery fails after `delivery_timeout_s`; `flush` raises the
DriverError the confluent-kafka path raises from its on_delivery reports, word for word."""

from __future__ import annotations

import pytest

import kafkanative
from ksqlserver.drivers.base import DriverError, Record
from ksqlserver.drivers.kafka import KafkaDriver, KafkaDriverConfig
from ksqlserver.drivers.kafka.changelog import ChangelogProducer
from ksqlserver.drivers.kafka.native import NativeProducer

pytestmark = pytest.mark.skipif(kafkanative.native() is None, reason="kafkanative unavailable")


def _config(native_io: bool) -> KafkaDriverConfig:
    return KafkaDriverConfig("127.0.0.1:1", delivery_timeout_s=0.2, linger_ms=0, native_io=native_io)


def _flush_error(native_io: bool) -> str:
    driver = KafkaDriver(_config(native_io))
    driver.produce("sink", [Record(b"k", b"v", 1, 0, 0, (("h", b"x"),), "")], wait=False)
    with pytest.raises(DriverError) as info:
        driver.flush()
    return str(info.value)


def test_a_failed_delivery_fails_the_flush_with_the_confluent_kafka_message() -> None:
    native = _flush_error(True)
    assert native == 'Producing to sink failed: KafkaError{code=_MSG_TIMED_OUT,val=-192,str="Local: Message timed out"}'
    assert native == _flush_error(False)


def test_the_native_driver_and_changelog_writer_use_kafkanative_and_the_default_does_not() -> None:
    assert isinstance(KafkaDriver(_config(True))._producer, NativeProducer)
    assert not isinstance(KafkaDriver(_config(False))._producer, NativeProducer)
    assert isinstance(ChangelogProducer(_config(True))._p, NativeProducer)
    assert not isinstance(ChangelogProducer(_config(False))._p, NativeProducer)
