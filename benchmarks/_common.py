"""Helpers shared by the benchmarks: a throwaway embedded stack, the real data as DELIMITED lines."""

from __future__ import annotations

import contextlib
import gzip
import os
import statistics
import tempfile
from collections.abc import Iterator
from pathlib import Path

from fraudlab.stack import Stack, StackConfig
from fraudlab.stack.ports import free_ports

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("FRAUDLAB_SHARED_DIR", REPO.parent / "shared"))


@contextlib.contextmanager
def embedded_stack(
    bootstrap_servers: str | None = None, with_ksql: bool = False
) -> Iterator[StackConfig | str]:
    """Yield `bootstrap_servers` if given, else start a stack on free ports and stop it afterwards."""
    if bootstrap_servers:
        yield bootstrap_servers
        return
    kafka, connect, ksql = free_ports(3)
    with tempfile.TemporaryDirectory(prefix="fraudlab-bench-") as tmp:
        config = StackConfig.default(
            state_dir=Path(tmp), kafka_port=kafka, connect_port=connect, ksql_port=ksql, with_ksql=with_ksql
        )
        stack = Stack(config)
        try:
            stack.up(progress=False)
            yield config
        finally:
            stack.down()


def creditcard_lines(rows: int, data: Path | None = None) -> list[bytes]:
    """`rows` DELIMITED lines of the real Kaggle file (cycled if more are asked for than it has)."""
    path = data or shared_dir() / "data" / "creditcard.csv.gz"
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        lines = fh.read().splitlines()[1:]
    out = lines * (rows // len(lines)) + lines[: rows % len(lines)]
    return out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
