"""fraudlab's KSQL functions for the embedded ksqlserver: ANOMALY_SCORE and ANOMALY_THRESHOLD.

Start the server with `--extension-dir $(extension_dir())` and the properties of
`server_properties(model_dir)`; `fraudlab stack up` does both (the model from `models/fraud` when it
holds a bundle). Real ksqlDB cannot run Python functions: there the scoring service takes over.
"""

from __future__ import annotations

from pathlib import Path

FUNCTIONS = ("ANOMALY_SCORE", "ANOMALY_THRESHOLD", "ANOMALY_MODEL_VERSION")


def extension_dir() -> Path:
    """The directory to pass as `--extension-dir` (holds one loader file that imports `anomaly`)."""
    return Path(__file__).resolve().parent / "extension"


def server_properties(model_dir: Path | str) -> dict[str, str]:
    """The `-p KEY=VALUE` server properties that point both functions at one model bundle."""
    return {f"ksql.functions.{name.lower()}.model.dir": str(model_dir) for name in FUNCTIONS}


__all__ = ["FUNCTIONS", "extension_dir", "server_properties"]
