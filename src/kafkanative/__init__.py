"""Kafka I/O without a Python object per record: a small C extension on the librdkafka confluent-kafka loaded.

confluent-kafka makes a `Message` per consumed record and takes Python arguments per produced one; at a few
hundred thousand records a second that interpreter traffic is the cost. `_rdkio.c` (built at first use by
`nativebuild`) drives librdkafka directly: `Producer.produce` hands a list of record tuples to
`rd_kafka_producev` with the GIL released and counts delivery reports in C; `Consumer.consume` turns
`rd_kafka_consume_batch_queue`'s messages straight into record tuples. The clients are librdkafka instances
of their own, made from the same configuration dict as confluent-kafka's (string values; no Python
callbacks), and the group's rebalances call back into Python.

The library is the file confluent-kafka's wheel loaded, resolved with dlopen/dlsym: nothing is installed or
linked. `native()` is None when there is no compiler, no such file, or its version is too old; callers keep
their confluent-kafka path then. Both the engine (ksqlserver's Kafka driver) and fraudlab may use this
package; it imports neither.

librdkafka's own log lines go to Python logging (the `kafkanative.librdkafka` logger), not stderr: its log
callback only queues them in C (it runs on librdkafka's threads, which must not call Python), and
`drain_logs()` emits them from the calling thread, which the clients' wrappers call after each consume and
flush. `conf_pairs` sets librdkafka's `log_level` from that logger's level, so lines nobody would see are
not even formatted.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from nativebuild import NativeSpec, load_extension

__all__ = ["KafkaNativeError", "NativeUnavailable", "conf_pairs", "drain_logs", "librdkafka_path", "native",
           "unavailable_reason"]

log = logging.getLogger("kafkanative")
rdk_log = logging.getLogger("kafkanative.librdkafka")
SPEC = NativeSpec(namespace="kafkanative", sources=(Path(__file__).with_name("_rdkio.c"),), python=True,
                  libraries=("dl", "pthread"))
_MIN_VERSION = 0x01060000  # rd_kafka_assignment_lost, consumer group metadata, stable struct layouts


class NativeUnavailable(OSError):
    """The native clients cannot be used here (why: the message)."""


# what confluent-kafka's Consumer / Producer put before librdkafka's text when the same call is refused
_CALL_TEXT = {
    "produce": "Unable to produce message",
    "subscribe": "Failed to set subscription",
    "assign": "Failed to set assignment",
    "assignment": "Failed to get assignment",
    "committed": "Failed to get committed offsets",
    "position": "Failed to get position",
    "commit": "Commit failed",
    "pause": "Failed to pause partitions",
    "resume": "Failed to resume partitions",
    "watermarks": "Failed to get watermark offsets",
}


class KafkaNativeError(Exception):
    """librdkafka refused `call`: `code` is its error code, `name` the code's name, `reason` the text
    confluent-kafka gives for the same refusal (`Commit failed: Local: No offset stored`); the message is
    confluent-kafka's KafkaError text (`KafkaError{code=_NO_OFFSET,val=-168,str="..."}`), so an error reads
    the same on either client."""

    def __init__(self, code: int, reason: str, call: str = "") -> None:
        from confluent_kafka import KafkaError  # (loaded already: its librdkafka is the one bound)

        self.code = code
        self.reason = f"{_CALL_TEXT[call]}: {reason}" if call in _CALL_TEXT else reason
        self.name = KafkaError(code).name()  # rd_kafka_err2name
        super().__init__(f'KafkaError{{code={self.name},val={code},str="{self.reason}"}}')


def librdkafka_path() -> Path:
    """The librdkafka file confluent-kafka loaded into this process (so both share one copy)."""
    import confluent_kafka  # loads librdkafka

    try:
        for line in Path("/proc/self/maps").read_text().splitlines():
            path = line.split(maxsplit=5)[-1]
            if "librdkafka" in Path(path).name and Path(path).is_file():
                return Path(path)
    except OSError:
        pass
    site = Path(confluent_kafka.__file__).resolve().parents[1]
    found = sorted((site / "confluent_kafka.libs").glob("librdkafka*.so*"))
    if not found:
        raise NativeUnavailable("confluent-kafka's librdkafka was not found")
    return found[0]


@functools.cache
def _load() -> tuple[ModuleType | None, str]:
    try:
        mod = load_extension(SPEC)
        version = mod.bind(str(librdkafka_path()), KafkaNativeError)
    except (OSError, ImportError) as exc:  # BuildError, NativeUnavailable, a missing symbol
        return None, str(exc)
    if version < _MIN_VERSION:
        return None, f"librdkafka {version:#x} is older than {_MIN_VERSION:#x}"
    return mod, ""


def native() -> ModuleType | None:
    """The `_rdkio` module (`Producer`, `Consumer`), or None (see `unavailable_reason`)."""
    mod, why = _load()
    if mod is None:
        log.debug("native Kafka clients unavailable: %s", why)
    return mod


def unavailable_reason() -> str:
    return _load()[1]


def conf_pairs(conf: Mapping[str, Any]) -> list[tuple[str, str]]:
    """librdkafka's string form of a confluent-kafka configuration dict (with `log_level` from the
    `kafkanative.librdkafka` logger unless the dict sets it); NativeUnavailable for what only
    confluent-kafka can apply (a Python callback such as `on_delivery`, `error_cb` or `oauth_cb`)."""
    pairs = []
    for key, value in conf.items():
        if value is None:
            continue
        if callable(value) or not isinstance(value, str | int | float | bool):
            raise NativeUnavailable(f"setting '{key}' needs confluent-kafka ({type(value).__name__} value)")
        pairs.append((key, ("true" if value else "false") if isinstance(value, bool) else str(value)))
    if "log_level" not in conf:
        pairs.append(("log_level", str(syslog_level(rdk_log.getEffectiveLevel()))))
    return pairs


def syslog_level(level: int) -> int:
    """The librdkafka (syslog) level that lets through what a Python logger at `level` shows."""
    if level <= logging.DEBUG:
        return 7
    if level <= logging.INFO:
        return 6
    if level <= logging.WARNING:
        return 4
    if level <= logging.ERROR:
        return 3
    return 2


def python_level(level: int) -> int:
    """A librdkafka (syslog) level as a Python logging level."""
    if level <= 2:
        return logging.CRITICAL
    if level == 3:
        return logging.ERROR
    if level == 4:
        return logging.WARNING
    return logging.INFO if level <= 6 else logging.DEBUG


def drain_logs() -> int:
    """Emit librdkafka's queued log lines on `kafkanative.librdkafka` from this thread; how many."""
    mod = _load()[0]
    if mod is None:
        return 0
    dropped, lines = mod.take_logs()
    for level, name, facility, message in lines:
        rdk_log.log(python_level(level), "%s [%s] %s", name, facility, message)
    if dropped:
        rdk_log.warning("%d librdkafka log lines dropped (more than the queue holds between drains)", dropped)
    return len(lines)
