"""The native batch consumer without a broker: it builds, passes settings through to librdkafka (and
refuses what only confluent-kafka can apply), guards its buffers, and its number parser gives exactly
`np.float32(float(text))`; flagged rows are settled in place, in order."""

from __future__ import annotations

import decimal
import math
import random

import numpy as np
import pytest

from fraudlab import _fastparse
from fraudlab.data.schema import FEATURES
from fraudlab.kafka import KafkaConfig
from fraudlab.kafka.batch_consumer import (
    BatchConsumer,
    BatchConsumerError,
    ReadResult,
    RowBuffers,
    UnsupportedSettingError,
    librdkafka_settings,
    native_library,
    unavailable_reason,
)
from fraudlab.scoring.layouts import KAGGLE
from fraudlab.tfkafka import StreamSpec, TfKafkaError, kafka_batches, resolve_client
from fraudlab.tfkafka.native_batches import _layout, _next_offsets, _settle

# Nothing listens here: creating (and closing) a consumer never needs a broker.
NOWHERE = KafkaConfig(bootstrap_servers="127.0.0.1:9")


@pytest.fixture(scope="module")
def lib():  # type: ignore[no-untyped-def]
    loaded = native_library()
    if loaded is None:
        pytest.fail(f"the native consumer did not build: {unavailable_reason()}")
    return loaded


def test_settings_become_librdkafka_strings_and_callbacks_are_refused() -> None:
    pairs = dict(librdkafka_settings("t", {"a": True, "b": False, "c": 5, "d": 0.5, "e": "x", "f": None}))
    assert pairs == {"a": "true", "b": "false", "c": "5", "d": "0.5", "e": "x"}
    with pytest.raises(UnsupportedSettingError) as err:
        librdkafka_settings("t", {"error_cb": print})
    assert err.value.setting == "error_cb" and "confluent-kafka" in str(err.value)


def test_every_setting_reaches_librdkafka(lib) -> None:  # type: ignore[no-untyped-def]
    sasl = KafkaConfig(bootstrap_servers="127.0.0.1:9", security_protocol="SASL_PLAINTEXT",
                       sasl_mechanism="PLAIN", sasl_username="u", sasl_password="p")
    BatchConsumer("t", sasl.as_librdkafka(**{"group.id": "g"}), lib).close()
    # librdkafka itself judges the values: a bad one is refused, naming the setting.
    bad = KafkaConfig(bootstrap_servers="127.0.0.1:9", security_protocol="SASL_PLAINTEXT",
                      sasl_mechanism="NOT-A-MECHANISM")
    with pytest.raises(BatchConsumerError, match="NOT-A-MECHANISM"):
        BatchConsumer("t", bad.as_librdkafka(**{"group.id": "g"}), lib)
    with pytest.raises(BatchConsumerError) as err:
        BatchConsumer("t", NOWHERE.as_librdkafka(), lib)
    assert err.value.setting == "group.id"
    with pytest.raises(BatchConsumerError, match=r"no\.such\.setting"):
        BatchConsumer("t", {"bootstrap.servers": "127.0.0.1:9", "no.such.setting": "1"}, lib)


def test_read_guards_its_buffers(lib) -> None:  # type: ignore[no-untyped-def]
    with BatchConsumer("t", NOWHERE.as_librdkafka(**{"group.id": "g"}), lib) as consumer:
        buf = RowBuffers.allocate(8, 30, label=True)
        with pytest.raises(ValueError, match="do not fit"):
            consumer.read(buf, 4, 5, 0.0, None, None)
        with pytest.raises(ValueError, match="int32"):
            consumer.read(buf, 0, 8, 0.0, np.zeros(31, dtype=np.int64), None)
        # A slot past the label (or the label without a y buffer) is refused in C, nothing written.
        feat_of = np.arange(31, dtype=np.int32)
        feat_of[3] = 40
        with pytest.raises(BatchConsumerError, match="refused its arguments"):
            consumer.read(buf, 0, 8, 0.0, feat_of, None)
        with pytest.raises(BatchConsumerError, match="refused its arguments"):
            consumer.read(RowBuffers.allocate(8, 30, label=False), 0, 8, 0.0, np.arange(31, dtype=np.int32), None)
        assert consumer.read(buf, 0, 8, 0.0, np.arange(31, dtype=np.int32), None).rows == 0  # no records
    with pytest.raises(BatchConsumerError, match="after close"):
        consumer.subscribe()


def test_resolve_client_and_fallbacks(lib) -> None:  # type: ignore[no-untyped-def]
    spec = StreamSpec("t", tuple(FEATURES))
    assert resolve_client(spec, NOWHERE) == ("native", "")
    assert resolve_client(StreamSpec("t", tuple(FEATURES), client="confluent"), NOWHERE)[0] == "confluent"
    oauth = KafkaConfig(bootstrap_servers="127.0.0.1:9", extra={"oauth_cb": lambda _: ("token", 0)})
    client, why = resolve_client(spec, oauth)
    assert client == "confluent" and "oauth_cb" in why
    with pytest.raises(TfKafkaError, match="oauth_cb"):
        next(kafka_batches(StreamSpec("t", tuple(FEATURES), client="native"), oauth))


def _text(rng: random.Random) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 22)))
    dot = rng.randint(0, len(digits))
    text = rng.choice(["", "-", "+"]) + (digits[:dot] + "." + digits[dot:] if rng.random() < 0.8 else digits)
    if rng.random() < 0.3:
        text += rng.choice("eE") + str(rng.randint(-40, 40))
    return text


def _halfway(rng: random.Random) -> list[str]:
    """Decimal texts at or next to the midpoint of two neighbouring doubles: where rounding twice errs."""
    x = rng.uniform(-1e6, 1e6) * 10.0 ** rng.randint(-8, 8)
    mid = (decimal.Decimal(x) + decimal.Decimal(math.nextafter(x, math.inf))) / 2
    out = []
    for prec in (17, 18, 19, 25):
        with decimal.localcontext() as ctx:
            ctx.prec = prec
            out.append(format(+mid, "f"))
    return out


def test_native_numbers_equal_python_float_then_float32() -> None:
    lib = _fastparse.native()
    assert lib is not None
    rng = random.Random(7)
    texts = [_text(rng) for _ in range(60_000)] + [t for _ in range(5_000) for t in _halfway(rng)]
    texts += ["0.0727811733098497", "-1.3598071336738", "149.62", "1e-45", "3.4028235e38", "1" * 25, "0" * 30 + "1"]
    lines = [t.encode() for t in texts]
    res = _fastparse.parse_lines(lib, lines, 1, [0], 1, None)
    with np.errstate(over="ignore"):  # texts beyond float32 become inf here, and are flagged natively
        expected = np.array([np.float32(float(t)) for t in texts], dtype=np.float32)
    finite = np.isfinite(expected)
    np.testing.assert_array_equal(res.ok, finite)  # overflowing texts are flagged, not parsed
    np.testing.assert_array_equal(res.features[finite, 0], expected[finite])


def test_settle_fills_accepted_rows_in_place_and_closes_the_gaps() -> None:
    from fraudlab.scoring import DelimitedParser

    spec = StreamSpec("t", tuple(FEATURES), label="Class", columns=KAGGLE)
    parser = DelimitedParser((*FEATURES, "Class"), KAGGLE)
    buf = RowBuffers.allocate(8, 30, label=True)
    start = 2
    buf.x[:] = np.arange(8, dtype=np.float32)[:, None]
    buf.y[:] = -1  # type: ignore[index]
    buf.partition[:] = 0
    buf.offset[:] = np.arange(100, 108)
    padded = b" 1.5," + b"2," * 29 + b'"1"'  # the C parser flags the space, Python accepts it
    good = b"7," * 30 + b'"0"'
    got = ReadResult(rows=5, flagged=np.array([3, 5]), values=[padded, b"garbage,line"], errors=0,
                     last_error=0, dropped=0)
    left = _settle(spec, parser, buf, start, got)
    assert left == 4
    assert buf.x[start:start + 4, 0].tolist() == [2.0, 1.5, 4.0, 6.0]  # row 5 (garbage) dropped, order kept
    assert buf.y[3] == 1.0  # type: ignore[index]
    assert buf.offset[start:start + 4].tolist() == [102, 103, 104, 106]
    assert _layout(spec, parser).tolist() == list(range(31))  # type: ignore[union-attr]
    assert parser.parse([good]).features[0, 0] == 7.0
    assert _next_offsets(np.array([0, 1, 0, 1], dtype=np.int32), np.array([5, 9, 7, 3])) == {0: 8, 1: 10}


def test_consumer_errors_retrying_cannot_fix_end_the_read(lib, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    from fraudlab.tfkafka.native_batches import _log_errors

    def result(code: int) -> ReadResult:
        return ReadResult(rows=0, flagged=np.empty(0, dtype=np.int64), values=[], errors=2, last_error=code,
                          dropped=0)

    with BatchConsumer("t", NOWHERE.as_librdkafka(**{"group.id": "g"}), lib) as consumer:
        seen: set[int] = set()
        _log_errors(consumer, result(-195), seen)  # _TRANSPORT: a broker went away; librdkafka retries
        assert "2 consumer error event(s)" in caplog.text and -195 in seen
        for code in (-150, -169, 29, -100000):  # _FATAL, _AUTHENTICATION, TOPIC_AUTHORIZATION_FAILED, ours
            with pytest.raises(TfKafkaError, match=r"consumer error: \w"):
                _log_errors(consumer, result(code), seen)


def test_without_a_c_compiler_kafka_batches_falls_back_to_confluent_kafka(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import nativebuild
    from fraudlab.kafka import batch_consumer

    monkeypatch.setattr(nativebuild, "cache_dir", lambda _namespace: tmp_path)  # nothing built yet
    monkeypatch.setattr(nativebuild.shutil, "which", lambda _name: None)
    lib, why = batch_consumer._load.__wrapped__()
    assert lib is None and "no C compiler" in why
    monkeypatch.setattr(batch_consumer, "_load", lambda: (lib, why))
    client, reason = resolve_client(StreamSpec("t", tuple(FEATURES)), NOWHERE)
    assert client == "confluent" and "no C compiler" in reason
    with pytest.raises(TfKafkaError, match="no C compiler"):
        next(kafka_batches(StreamSpec("t", tuple(FEATURES), client="native"), NOWHERE))
