"""`KafkaConfig`: how to reach a Kafka cluster, translated to librdkafka settings in one place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fraudlab.kafka.errors import KafkaClientError

# librdkafka property -> KafkaConfig field
_FIELDS = {
    "bootstrap.servers": "bootstrap_servers",
    "security.protocol": "security_protocol",
    "sasl.mechanism": "sasl_mechanism",
    "sasl.mechanisms": "sasl_mechanism",
    "sasl.username": "sasl_username",
    "sasl.password": "sasl_password",
    "ssl.ca.location": "ssl_ca_location",
    "ssl.certificate.location": "ssl_certificate_location",
    "ssl.key.location": "ssl_key_location",
    "ssl.key.password": "ssl_key_password",
    "client.id": "client_id",
}
# keys of the same file that belong to other fraudlab clients (the KSQL client), never to librdkafka
FOREIGN_PREFIX = "fraudlab."


class ClientConfigError(KafkaClientError):
    """A client properties file that cannot be read or holds a malformed line."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"client config {path}: {problem}")
        self.path = path


def read_properties(path: Path) -> dict[str, str]:
    """`key=value` lines (Java properties: `#`/`!` comments, `:` also separates, `\\` escapes)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ClientConfigError(path, f"cannot be read ({exc.strerror or exc})") from exc
    props: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#!":
            continue
        cut = min((i for i in (line.find("="), line.find(":")) if i > 0), default=-1)
        if cut <= 0:
            raise ClientConfigError(path, f"line {number} is not KEY=VALUE: {line[:60]!r}")
        value = line[cut + 1 :].strip().replace("\\n", "\n").replace("\\\\", "\\")
        props[line[:cut].strip()] = value
    return props


class Secret(str):
    """A string that does not print itself (passwords in reprs, logs and tracebacks)."""

    def __repr__(self) -> str:
        return "Secret('**********')"


@dataclass(frozen=True)
class KafkaConfig:
    """Connection settings for every fraudlab Kafka client.

    `as_librdkafka()` is the only place that knows librdkafka's property names; `extra` passes anything
    else through unchanged (e.g. {"ssl.endpoint.identification.algorithm": "none"}).
    """

    bootstrap_servers: str = "127.0.0.1:9092"
    security_protocol: str = "PLAINTEXT"  # PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL
    sasl_mechanism: str | None = None  # PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512 | OAUTHBEARER
    sasl_username: str | None = None
    sasl_password: Secret | None = None
    ssl_ca_location: str | None = None
    ssl_certificate_location: str | None = None
    ssl_key_location: str | None = None
    ssl_key_password: Secret | None = None
    client_id: str = "fraudlab"
    # Confluent-compatible schema registry for AVRO/PROTOBUF/JSON_SR topics (the stack serves it on 8081)
    schema_registry_url: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("sasl_password", "ssl_key_password"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Secret):
                object.__setattr__(self, name, Secret(value))

    @classmethod
    def from_properties(cls, props: Mapping[str, str], **overrides: Any) -> KafkaConfig:
        """Known librdkafka keys become fields, the rest `extra`; `fraudlab.*` keys are skipped."""
        fields: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in props.items():
            if key.startswith(FOREIGN_PREFIX):
                continue
            if key in _FIELDS:
                fields[_FIELDS[key]] = value
            else:
                extra[key] = value
        return replace(cls(**fields, extra=extra), **overrides)

    @classmethod
    def from_file(cls, path: str | Path, **overrides: Any) -> KafkaConfig:
        """A librdkafka properties file, such as the one `fraudlab stack client-config` prints."""
        return cls.from_properties(read_properties(Path(path)), **overrides)

    @classmethod
    def from_stack(cls, state_dir: str | Path) -> KafkaConfig:
        """The settings of the embedded stack recorded in `state_dir` by `fraudlab stack up`."""
        import json

        meta = Path(state_dir) / "stack.json"
        try:
            recorded = json.loads(meta.read_text())
        except (OSError, ValueError) as exc:
            raise ClientConfigError(meta, "no stack was started from this state dir") from exc
        if recorded.get("client_config"):
            return cls.from_file(recorded["client_config"], bootstrap_servers=recorded["bootstrap_servers"])
        return cls(bootstrap_servers=recorded["bootstrap_servers"])

    @property
    def secured(self) -> bool:
        return self.security_protocol.upper() != "PLAINTEXT"

    def as_librdkafka(self, **overrides: Any) -> dict[str, Any]:
        conf: dict[str, Any] = {
            "bootstrap.servers": self.bootstrap_servers,
            "security.protocol": self.security_protocol,
            "client.id": self.client_id,
        }
        optional = {
            "sasl.mechanism": self.sasl_mechanism,
            "sasl.username": self.sasl_username,
            "sasl.password": str(self.sasl_password) if self.sasl_password is not None else None,
            "ssl.ca.location": self.ssl_ca_location,
            "ssl.certificate.location": self.ssl_certificate_location,
            "ssl.key.location": self.ssl_key_location,
            "ssl.key.password": str(self.ssl_key_password) if self.ssl_key_password is not None else None,
        }
        conf.update({k: v for k, v in optional.items() if v is not None})
        conf.update(self.extra)
        conf.update(overrides)
        return conf
