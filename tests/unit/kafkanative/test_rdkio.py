"""kafkanative without a broker: settings, record checks, and delivery failures surfaced from C.

The producer's contract follows confluent-kafka's `Producer` as the engine uses it (`produce` per record,
`flush`, delivery reports): every record is queued in order, a full local queue is waited out (never a
record dropped), and a failed delivery is reported with its topic and librdkafka's error. A broker that
does not exist (port 1) makes every delivery fail after `message.timeout.ms`.
"""

from __future__ import annotations

import logging

import pytest

import kafkanative
from ksqlserver.drivers.base import Record

mod = kafkanative.native()
pytestmark = pytest.mark.skipif(mod is None, reason=f"kafkanative unavailable: {kafkanative.unavailable_reason()}")

NOWHERE = {"bootstrap.servers": "127.0.0.1:1", "message.timeout.ms": 200, "linger.ms": 0}


def test_settings_become_librdkafka_strings_and_callbacks_are_refused() -> None:
    assert kafkanative.conf_pairs({"a": True, "b": False, "c": 5, "d": "x", "e": None, "log_level": 3}) == [
        ("a", "true"), ("b", "false"), ("c", "5"), ("d", "x"), ("log_level", "3")]
    with pytest.raises(kafkanative.NativeUnavailable, match="'on_delivery' needs confluent-kafka"):
        kafkanative.conf_pairs({"on_delivery": print})


def test_a_setting_librdkafka_refuses_is_named() -> None:
    with pytest.raises(ValueError, match=r"^no\.such\.setting: "):
        mod.Producer([("no.such.setting", "1")])


def test_a_full_queue_is_waited_out_and_every_failed_delivery_counted_with_its_topic_and_error() -> None:
    """As produce_all with confluent-kafka (BufferError -> poll and retry): three records through a local
    queue of two all reach librdkafka, so all three are reported - failed here (there is no broker), each
    with its topic and RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, as the driver's on_delivery saw them."""
    p = mod.Producer(kafkanative.conf_pairs({**NOWHERE, "queue.buffering.max.messages": 2}))
    try:
        records = [Record(b"k", b"v", 0, 0, 0, (("h", b"1"), ("n", None)), ""), Record(None, None), Record(b"x", b"")]
        p.produce("t1", records, True)
        assert p.flush(5.0) == 0
        failed, first = p.take_failures()
        assert failed == 3
        assert first == [("t1", -192, "Local: Message timed out")] * 3
        assert p.take_failures() == (0, [])  # taken once
        assert p.delivered == 0
    finally:
        p.close()


def test_records_that_are_not_bytes_are_refused_before_anything_is_sent() -> None:
    p = mod.Producer(kafkanative.conf_pairs(NOWHERE))
    try:
        with pytest.raises(TypeError, match="a record's value must be bytes, str or None, not int"):
            p.produce("t", [Record(None, 5)], False)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="records must be Record tuples"):
            p.produce("t", [b"x"], False)
        assert p.outq_len() == 0
    finally:
        p.close()


def test_values_and_keys_lists_are_queued_as_produce_queues_records() -> None:
    """produce_values(topic, values, keys): `produce` of (key, value, 0, 0, 0, None) records without a tuple
    each - through a local queue of two, all three reach librdkafka (the full queue waited out) and each
    failed delivery is counted with its topic."""
    p = mod.Producer(kafkanative.conf_pairs({**NOWHERE, "queue.buffering.max.messages": 2}))
    try:
        p.produce_values("scores", [b"a", b"", None], [b"1", None, "k"])
        assert p.flush(5.0) == 0
        failed, first = p.take_failures()
        assert failed == 3
        assert first == [("scores", -192, "Local: Message timed out")] * 3
    finally:
        p.close()


def test_values_and_keys_that_do_not_match_or_are_not_bytes_are_refused() -> None:
    p = mod.Producer(kafkanative.conf_pairs(NOWHERE))
    try:
        with pytest.raises(ValueError, match="values and keys differ in length"):
            p.produce_values("t", [b"a", b"b"], [None])
        with pytest.raises(TypeError, match="a record's value must be bytes, str or None, not int"):
            p.produce_values("t", [5], [None])
        with pytest.raises(TypeError, match="a record's key must be bytes, str or None, not float"):
            p.produce_values("t", [b"x"], [1.5])
        with pytest.raises(TypeError):
            p.produce_values("t", (b"x",), [None])  # lists only
        assert p.outq_len() == 0
    finally:
        p.close()


def test_a_closed_client_refuses_calls() -> None:
    p = mod.Producer(kafkanative.conf_pairs(NOWHERE))
    p.close()
    with pytest.raises(RuntimeError, match="the client is closed"):
        p.produce("t", [], False)
    c = mod.Consumer(kafkanative.conf_pairs({"bootstrap.servers": "127.0.0.1:1", "group.id": "g"}), None)
    c.close()
    with pytest.raises(RuntimeError, match="the client is closed"):
        c.consume(1, 0.0, Record, None)


def test_a_consumer_without_a_broker_returns_no_records_and_serializes_its_group_metadata() -> None:
    """group_metadata is rd_kafka_consumer_group_metadata_write's bytes, as confluent-kafka's
    consumer_group_metadata() returns them (what send_offsets_to_transaction takes)."""
    from confluent_kafka import Consumer

    conf = {"bootstrap.servers": "127.0.0.1:1", "group.id": "g-native"}
    c = mod.Consumer(kafkanative.conf_pairs(conf), None)
    ck = Consumer(conf)
    try:
        assert c.consume(10, 0.01, Record, None) == ([], [])
        assert c.group_metadata() == ck.consumer_group_metadata()
        assert c.assignment() == []
    finally:
        c.close()
        ck.close()


def test_librdkafka_log_lines_go_to_python_logging_not_stderr(caplog: pytest.LogCaptureFixture,
                                                              capfd: pytest.CaptureFixture[str]) -> None:
    """rd_kafka_conf_set_log_cb: a broker that refuses the connection is logged by librdkafka (facility FAIL);
    the line is queued in C and emitted on `kafkanative.librdkafka` by drain_logs from this thread, at the
    Python level of its syslog level; librdkafka's default logger (stderr) is not used."""
    kafkanative.drain_logs()
    caplog.set_level(logging.DEBUG, logger="kafkanative.librdkafka")
    assert ("log_level", "7") in kafkanative.conf_pairs(NOWHERE)
    p = mod.Producer(kafkanative.conf_pairs({**NOWHERE, "log_level": 3}))
    try:
        p.produce("t1", [Record(b"k", b"v")], False)
        p.flush(2.0)
    finally:
        p.close()
    assert kafkanative.drain_logs() > 0
    lines = [r for r in caplog.records if r.name == "kafkanative.librdkafka"]
    assert any("[FAIL]" in r.getMessage() and "127.0.0.1:1" in r.getMessage() for r in lines)
    assert all(r.levelno >= logging.ERROR for r in lines)  # log_level 3: errors and worse only
    assert "127.0.0.1:1" not in capfd.readouterr().err


def test_the_log_level_follows_the_logger() -> None:
    levels = [(logging.DEBUG, 7), (logging.INFO, 6), (logging.WARNING, 4), (logging.ERROR, 3), (logging.CRITICAL, 2)]
    assert [kafkanative.syslog_level(py) for py, _ in levels] == [s for _, s in levels]
    assert [kafkanative.python_level(s) for _, s in levels] == [py for py, _ in levels]


def test_a_refused_call_reads_as_confluent_kafkas_error() -> None:
    """librdkafka's refusals read as confluent-kafka's KafkaException for the same call: the code's name,
    its value and confluent-kafka's text (`Commit failed: ` before librdkafka's for a commit with nothing to
    commit, RD_KAFKA_RESP_ERR__NO_OFFSET), not a bare code."""
    from confluent_kafka import Consumer, KafkaException

    conf = {"bootstrap.servers": "127.0.0.1:1", "group.id": "g-native-err"}
    c = mod.Consumer(kafkanative.conf_pairs(conf), None)
    ck = Consumer(conf)
    try:
        with pytest.raises(kafkanative.KafkaNativeError) as native:
            c.commit([], False)
        with pytest.raises(KafkaException) as confluent:
            ck.commit(asynchronous=False)
        assert (native.value.code, native.value.name) == (-168, "_NO_OFFSET")
        assert str(native.value) == str(confluent.value) == (
            'KafkaError{code=_NO_OFFSET,val=-168,str="Commit failed: Local: No offset stored"}'
        )
        with pytest.raises(kafkanative.KafkaNativeError) as native:
            c.subscribe(["^["])  # a bad pattern: RD_KAFKA_RESP_ERR__INVALID_ARG
        with pytest.raises(KafkaException) as confluent:
            ck.subscribe(["^["])
        assert str(native.value) == str(confluent.value)
    finally:
        c.close()
        ck.close()
