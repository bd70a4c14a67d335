"""Stage summaries: each notebook records a few headline figures as JSON in the run's artifacts dir;
the runner's report and `fraudlab notebooks run` print them as one closing table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SUMMARY_DIR = "summary"


def record_summary(artifacts_dir: Path | str, stage: str, figures: dict[str, Any]) -> Path:
    """Write `<artifacts_dir>/summary/<stage>.json` (replacing an earlier run's figures)."""
    folder = Path(artifacts_dir) / SUMMARY_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stage}.json"
    path.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    return path


def load_summary(artifacts_dir: Path) -> dict[str, dict[str, Any]]:
    folder = artifacts_dir / SUMMARY_DIR
    if not folder.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def summary_rows(summary: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(stage, key, _fmt(v)) for stage, figures in summary.items() for key, v in figures.items()]


def summary_text(summary: dict[str, dict[str, Any]]) -> str:
    rows = summary_rows(summary)
    if not rows:
        return "(no summary recorded)"
    widths = [max(len(r[i]) for r in [("stage", "figure", "value"), *rows]) for i in range(3)]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
    return "\n".join([line(("stage", "figure", "value")), line(tuple("-" * w for w in widths)), *map(line, rows)])
