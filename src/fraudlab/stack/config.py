"""`StackConfig`: where the embedded stack lives and which loopback ports it uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path


def find_project_root(start: Path | None = None) -> Path:
    """The checkout that holds `connectors/pom.xml`: searched upwards from `start` (the cwd by
    default), then from this package's own location (an editable install inside the checkout)."""
    candidates = [(start or Path.cwd()).resolve(), Path(__file__).resolve()]
    for origin in candidates:
        for folder in (origin, *origin.parents):
            if (folder / "connectors" / "pom.xml").is_file():
                return folder
    return Path.cwd().resolve()


def shared_dir(environ: Mapping[str, str], root: Path | None = None) -> Path:
    """The shared data folder (the Kaggle file, seed data, the conformance corpus): FRAUDLAB_SHARED_DIR
    when set, else `shared/` beside the checkout. The caller passes the environment: it is read at the
    edge (the CLI, a test session, a benchmark), not deep inside."""
    given = environ.get("FRAUDLAB_SHARED_DIR")
    return Path(given).resolve() if given else ((root or find_project_root()).parent / "shared").resolve()


@dataclass(frozen=True)
class StackConfig:
    """Everything `fraudlab stack` needs; built once at the CLI or test edge and passed down."""

    project_root: Path
    state_dir: Path
    kafka_port: int = 9092
    controller_port: int | None = None  # KRaft controller listener; default kafka_port + 1
    connect_port: int = 8083
    ksql_port: int = 8088
    schema_registry_port: int = 8081
    host: str = "127.0.0.1"
    with_ksql: bool = True
    with_schema_registry: bool = True
    broker_heap_mb: int = 512
    connect_heap_mb: int = 512
    start_timeout_s: float = 120.0
    stop_timeout_s: float = 30.0
    python: str = "python3"
    java: str = "java"
    maven: str = "mvn"
    extra_broker_properties: dict[str, str] = field(default_factory=dict)
    extra_connect_properties: dict[str, str] = field(default_factory=dict)
    security: str = "none"  # none | sasl_plaintext | sasl_ssl (stack/security.py)

    @classmethod
    def default(cls, project_root: Path | None = None, **overrides: object) -> StackConfig:
        root = project_root or find_project_root()
        state = overrides.pop("state_dir", None) or root / ".state" / "stack"
        # absolute: the services run in their own directories, and the paths written into their configs
        # (server.properties, certificates) must not depend on where the command was typed
        return cls(project_root=root, state_dir=Path(state).expanduser().resolve(), **overrides)  # type: ignore[arg-type]

    def with_ports(
        self,
        kafka: int,
        connect: int,
        ksql: int,
        controller: int | None = None,
        schema_registry: int | None = None,
    ) -> StackConfig:
        return replace(
            self,
            kafka_port=kafka,
            connect_port=connect,
            ksql_port=ksql,
            controller_port=controller,
            schema_registry_port=self.schema_registry_port if schema_registry is None else schema_registry,
        )

    @property
    def controller(self) -> int:
        return self.controller_port if self.controller_port is not None else self.kafka_port + 1

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.kafka_port}"

    @property
    def connect_url(self) -> str:
        return f"http://{self.host}:{self.connect_port}"

    @property
    def ksql_url(self) -> str:
        scheme = "https" if self.security == "sasl_ssl" else "http"
        return f"{scheme}://{self.host}:{self.ksql_port}"

    @property
    def secured(self) -> bool:
        return self.security != "none"

    @property
    def schema_registry_url(self) -> str:
        return f"http://{self.host}:{self.schema_registry_port}"

    @property
    def cache_dir(self) -> Path:
        return self.project_root / ".cache"

    @property
    def jars_dir(self) -> Path:
        return self.cache_dir / "jars"

    @property
    def lib_dir(self) -> Path:
        return self.jars_dir / "lib"

    @property
    def plugins_dir(self) -> Path:
        return self.jars_dir / "plugins"

    @property
    def spool_dir(self) -> Path:
        """Where `fraudlab ingest` places files for the Connect worker to read."""
        return self.state_dir / "connect" / "spool"
