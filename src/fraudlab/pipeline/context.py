"""`PipelineContext`: a notebook's parameters turned into typed settings, once, at the top of the notebook.

Empty path parameters take defaults under the checkout (`.state/notebooks/<run_id>/`, git-ignored),
so a notebook opened in JupyterLab runs as is against the embedded stack on its standard ports.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from fraudlab.connect import IngestConfig
from fraudlab.kafka import KafkaConfig
from fraudlab.kafka.config import read_properties
from fraudlab.ksql import KsqlConfig, PipelineNames
from fraudlab.pipeline.errors import StageInputError
from fraudlab.stack import StackConfig, find_project_root

_REQUIRED = ("bootstrap_servers", "connect_url", "ksql_url")


@dataclass(frozen=True)
class PipelineContext:
    kafka: KafkaConfig
    connect_url: str
    ksql: KsqlConfig
    spool_dir: Path
    data_path: Path | None
    sample_size: int | None
    epochs: int
    seed: int
    model_dir: Path
    artifacts_dir: Path
    ksql_dir: Path
    names: PipelineNames
    timeout_s: float

    @classmethod
    def from_parameters(
        cls,
        bootstrap_servers: str,
        connect_url: str,
        ksql_url: str,
        data_path: str = "",
        sample_size: int = 0,
        epochs: int = 1,
        model_dir: str = "",
        seed: int = 42,
        run_id: str = "demo",
        artifacts_dir: str = "",
        spool_dir: str = "",
        timeout_s: float = 300.0,
        schema_registry_url: str = "http://127.0.0.1:8081",
        client_config: str = "",
    ) -> PipelineContext:
        """`client_config`: a client properties file (`fraudlab stack client-config --path`) with the
        Kafka security settings and the KSQL server's credentials; empty for an unsecured stack."""
        root = find_project_root()
        names = PipelineNames.for_run(run_id)
        artifacts = Path(artifacts_dir) if artifacts_dir else root / ".state" / "notebooks" / run_id
        artifacts.mkdir(parents=True, exist_ok=True)
        if data_path and not Path(data_path).is_file():
            raise StageInputError("data_path", data_path, "no such file (leave it empty for synthetic data)")
        registry = schema_registry_url.rstrip("/") or None
        kafka = KafkaConfig(bootstrap_servers=bootstrap_servers, schema_registry_url=registry)
        ksql = KsqlConfig(url=ksql_url.rstrip("/"))
        if client_config:
            props = read_properties(Path(client_config))
            kafka = KafkaConfig.from_properties(props, bootstrap_servers=bootstrap_servers,
                                                schema_registry_url=registry)
            ksql = ksql.with_client_properties(props)
        return cls(
            kafka=kafka,
            connect_url=connect_url.rstrip("/"),
            ksql=ksql,
            spool_dir=Path(spool_dir) if spool_dir else StackConfig.default(project_root=root).spool_dir,
            data_path=Path(data_path) if data_path else None,
            sample_size=int(sample_size) or None,
            epochs=int(epochs),
            seed=int(seed),
            model_dir=Path(model_dir) if model_dir else artifacts / "model",
            artifacts_dir=artifacts,
            ksql_dir=root / "ksql",
            names=names,
            timeout_s=float(timeout_s),
        )

    @classmethod
    def from_notebook(cls, namespace: Mapping[str, Any]) -> PipelineContext:
        """From a notebook's parameters cell: `PipelineContext.from_notebook(globals())` takes the
        parameters `from_parameters` knows from the namespace (a notebook may declare more, such as
        `baselines`, which it uses itself)."""
        missing = [name for name in _REQUIRED if name not in namespace]
        if missing:
            raise StageInputError("notebook parameters", missing, "not defined: run the parameters cell first")
        known = inspect.signature(cls.from_parameters).parameters
        return cls.from_parameters(**{name: namespace[name] for name in known if name in namespace})

    def ingest_config(self, progress: bool = True) -> IngestConfig:
        return IngestConfig(self.kafka, self.connect_url, self.spool_dir, timeout_s=self.timeout_s, progress=progress)

    def table(self) -> pd.DataFrame:
        rows = {
            "Kafka": self.kafka.bootstrap_servers
            + (f" ({self.kafka.security_protocol}, user {self.kafka.sasl_username})" if self.kafka.secured else ""),
            "Kafka Connect": self.connect_url,
            "KSQL server": self.ksql.url,
            "data": str(self.data_path) if self.data_path else "synthetic",
            "sample size": self.sample_size or "all rows",
            "epochs": self.epochs,
            "seed": self.seed,
            "model dir": str(self.model_dir),
            "artifacts dir": str(self.artifacts_dir),
            "run id": self.names.run_id,
        }
        return pd.DataFrame({"setting": list(rows), "value": [str(v) for v in rows.values()]})


def expect_count(what: str, got: int, want: int) -> None:
    """A stage's output count must match what it was given: a mismatch stops the notebook."""
    if got != want:
        raise StageInputError(what, got, f"expected {want}")
