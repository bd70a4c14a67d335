"""`KafkaConfig`: how to reach a Kafka cluster, translated to librdkafka settings in one place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


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
