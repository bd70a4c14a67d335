"""`RegistryConfig`: everything the registry needs, built once at the CLI (or test) edge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from schemaregistry.errors import ConfigError

COMPATIBILITY_LEVELS = (
    "NONE",
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
)
MODES = ("READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT")
MEMORY = "memory://"


@dataclass(frozen=True)
class RegistryConfig:
    """`bootstrap_servers` of `memory://` keeps the state in this process only (tests, conformance)."""

    bootstrap_servers: str = MEMORY
    host: str = "127.0.0.1"
    port: int = 8081
    topic: str = "_schemas"
    group_id: str = "schema-registry"
    default_compatibility: str = "BACKWARD"
    default_mode: str = "READWRITE"
    init_timeout_s: float = 60.0
    write_timeout_s: float = 10.0
    max_schema_bytes: int = 4 * 2**20
    log_level: str = "INFO"
    # librdkafka settings for the store's clients beyond bootstrap.servers (SASL, TLS)
    kafka_settings: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.default_compatibility not in COMPATIBILITY_LEVELS:
            raise ConfigError(
                f"default compatibility {self.default_compatibility!r}: expected one of {COMPATIBILITY_LEVELS}"
            )
        if self.default_mode not in MODES:
            raise ConfigError(f"default mode {self.default_mode!r}: expected one of {MODES}")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port {self.port}: expected 0..65535")
        if not self.topic:
            raise ConfigError("the store topic name is empty")

    @property
    def in_memory(self) -> bool:
        return self.bootstrap_servers == MEMORY

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"
