"""check_connection's early stop: which failures end the wait before the timeout."""

from __future__ import annotations

import time

import pytest

from fraudlab.kafka.config import KafkaConfig
from fraudlab.kafka.diagnose import KafkaConnectionError, check_connection, decisive


class _Err:
    def __init__(self, name: str, text: str = "") -> None:
        self._name, self._text = name, text

    def name(self) -> str:
        return self._name

    def str(self) -> str:
        return self._text


CONFIG = KafkaConfig(bootstrap_servers="127.0.0.1:9")


def test_credentials_and_tls_refusals_are_decisive() -> None:
    assert decisive(CONFIG, [_Err("_AUTHENTICATION", "SASL authentication error")], [])
    assert decisive(CONFIG, [_Err("_TRANSPORT"), _Err("_SSL", "certificate verify failed")], [])


def test_one_closed_connection_is_not_but_two_are() -> None:
    line = "127.0.0.1:9092/bootstrap: Disconnected while requesting ApiVersion"
    assert not decisive(CONFIG, [_Err("_TRANSPORT")], [line])
    assert decisive(CONFIG, [_Err("_TRANSPORT")], [line, line])


def test_an_unreachable_broker_is_waited_for_until_the_timeout() -> None:
    assert not decisive(CONFIG, [_Err("_TRANSPORT"), _Err("_ALL_BROKERS_DOWN")], ["Connection refused"])
    started = time.monotonic()
    with pytest.raises(KafkaConnectionError, match="no broker answers"):
        check_connection(KafkaConfig(bootstrap_servers="127.0.0.1:9"), timeout_s=2.5)  # port 9: discard, closed
    assert time.monotonic() - started >= 2.5
