"""Why a Kafka cluster cannot be used, in one line: unreachable, refused TLS, refused SASL, wrong protocol.

librdkafka reports all of these as "Broker transport failure" from the call that failed; the reason is in
its error callback and its log. `check_connection` asks for metadata with both captured, so fraudlab's
command lines can stop at once with the real cause instead of a timeout or a traceback.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fraudlab.kafka.config import KafkaConfig
from fraudlab.kafka.errors import KafkaClientError


class KafkaConnectionError(KafkaClientError):
    """The cluster did not accept this client; `reason` is the one-line cause."""

    def __init__(self, bootstrap_servers: str, reason: str, kafka_error: Any = None) -> None:
        super().__init__(f"cannot use Kafka at {bootstrap_servers}: {reason}", kafka_error)
        self.bootstrap_servers = bootstrap_servers
        self.reason = reason


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.lines) < 50:
            self.lines.append(record.getMessage())


def check_connection(config: KafkaConfig, timeout_s: float = 10.0) -> None:
    """Raises KafkaConnectionError unless the cluster returns metadata to this client."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    errors: list[Any] = []
    captured = _Captured()
    logger = logging.getLogger(f"fraudlab.kafka.probe.{id(captured)}")
    logger.addHandler(captured)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        admin = AdminClient(config.as_librdkafka(error_cb=errors.append, logger=logger))
        deadline = time.monotonic() + timeout_s
        failure: Any = None
        # short metadata requests, so that a refusal which retrying cannot cure (credentials, TLS, the wrong
        # protocol) ends the wait at once; an unreachable broker may still be starting: wait it out
        while True:
            try:
                meta = admin.list_topics(timeout=max(0.1, min(_SLICE_S, deadline - time.monotonic())))
                if meta.brokers:
                    return
            except KafkaException as exc:
                failure = exc.args[0]
            admin.poll(0.2)  # deliver the error callbacks and log lines that explain the failure
            if time.monotonic() >= deadline or decisive(config, errors, captured.lines):
                break
        raise KafkaConnectionError(config.bootstrap_servers, explain(config, errors, captured.lines), failure)
    finally:
        logger.removeHandler(captured)


_SLICE_S = 1.0


def decisive(config: KafkaConfig, errors: list[Any], log_lines: list[str]) -> bool:
    """Whether the failure seen so far is one that waiting longer cannot cure."""
    names = {e.name() for e in errors}
    if names & {"_AUTHENTICATION", "_SSL"}:
        return True
    # a broker that closes the connection right after it opened, twice: it wants another protocol
    closed = [ln for ln in log_lines if "Disconnected" in ln or "closed by peer" in ln]
    return len(closed) >= 2


def explain(config: KafkaConfig, errors: list[Any], log_lines: list[str]) -> str:
    """The most specific reason among librdkafka's error events and log lines."""
    names = [e.name() for e in errors]
    texts = [e.str() for e in errors]
    protocol = config.security_protocol.upper()
    if "_AUTHENTICATION" in names:
        detail = texts[names.index("_AUTHENTICATION")]
        if "invalid credentials" in detail:
            return (
                f"authentication failed: wrong user name or password for {config.sasl_mechanism} user "
                f"'{config.sasl_username}'"
            )
        return "authentication failed: " + _strip(detail)
    if "_SSL" in names:
        return "TLS failed: " + _strip(texts[names.index("_SSL")])
    disconnects = [ln for ln in log_lines if "Disconnected" in ln or "closed by peer" in ln]
    if disconnects:
        last = disconnects[-1]
        if protocol == "PLAINTEXT" and ("APIVERSION_QUERY" in last or "receive 0" in last):
            return (
                "the broker closed the plaintext connection: it expects an authenticated one "
                "(set security.protocol, sasl.* and ssl.* as 'fraudlab stack client-config' prints them)"
            )
        if protocol == "SSL":
            return "the broker closed the TLS connection: it expects SASL_SSL with a user name and password"
        return "the broker closed the connection: " + _strip(last)
    if any("Connection refused" in ln for ln in log_lines) or "_ALL_BROKERS_DOWN" in names:
        return "no broker answers (is the stack up? 'fraudlab stack status')"
    return "no metadata within the timeout"


def _strip(text: str) -> str:
    """librdkafka's message without the broker-name prefix and the '(after N ms in state X)' tail."""
    head, sep, rest = text.partition(": ")
    text = rest if sep and "://" in head else text
    return text.split(" (after ")[0].strip()
