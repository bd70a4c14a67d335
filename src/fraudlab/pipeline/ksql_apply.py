"""`fraudlab ksql apply`: every `ksql/NN_*.sql` file in order, idempotently, through the ksqlDB REST API.

Idempotent twice over: the statements say IF NOT EXISTS, and a CREATE whose stream or table already
exists is skipped here without being sent (so a re-run never starts a second persistent query, on
servers that would). `${name}` variables come from the run's `PipelineNames` plus the names the later
files use (`pipeline_variables`), overridable one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fraudlab.pipeline.errors import KsqlStatementError, StageInputError
from fraudlab.pipeline.ksql import EARLIEST, KsqlConfig, client, render, split_statements
from fraudlab.pipeline.names import PipelineNames
from fraudlab.pipeline.offsets import warn_if_unset
from fraudlab.stack import find_project_root

_FILE = re.compile(r"^\d\d_.*\.sql$")
_CREATE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:SOURCE\s+)?(STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    r"(`[^`]+`|\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_]*)",
    re.IGNORECASE,
)
# names used by 03_users.sql .. 05_monitoring.sql, derived from the run like PipelineNames'
_EXTRA = (
    "users_table", "enriched_stream", "ksql_scored_stream", "ksql_alerts_stream", "alert_rate_table",
    "labels_stream", "scored_labelled_stream", "quality_table", "service_scores_raw_stream",
    "service_scores_stream",
)


def pipeline_variables(run_id: str, model_dir: Path | str | None = None) -> dict[str, str]:
    """Every `${name}` of the `ksql/` files for one run: `<name>` is an upper-case source name and
    `<name minus _stream/_table>_topic` its topic, all prefixed `fl_<run_id>_`; `model_dir` is the
    bundle 04_scoring.sql deploys (left out when None: `apply` then asks the server which bundle its
    functions were started with)."""
    names = PipelineNames.for_run(run_id)
    out = names.variables()
    prefix = f"fl_{run_id}".lower()
    for var in _EXTRA:
        base = var.rsplit("_", 1)[0]
        out[var] = f"{prefix}_{base}".upper()
        out[f"{base}_topic"] = f"{prefix}_{base}"
    if model_dir is not None:
        out["model_dir"] = sql_string(str(Path(model_dir).resolve()))
    return out


def server_bundle(api: Any) -> str:
    """The bundle the server's ANOMALY_SCORE was started with (SHOW PROPERTIES), else the project's
    `models/fraud` when it holds one; otherwise a StageInputError (say which with model_dir)."""
    props = {p["name"]: p.get("value") for e in api.ksql("SHOW PROPERTIES;") for p in e.get("properties", [])}
    for key in ("ksql.functions.anomaly_score.model.dir", "ksql.functions._global_.model.dir"):
        if props.get(key):
            return str(props[key])
    default = find_project_root() / "models" / "fraud"
    if not (default / "model.json").is_file():
        raise StageInputError("model_dir", str(default), "no bundle there and the KSQL server names none: "
                                                         "give one (--var model_dir=DIR)")
    return str(default)


def sql_string(text: str) -> str:
    """Text for inside a single-quoted KSQL literal (a quote is doubled)."""
    return text.replace("'", "''")


def sql_files(directory: Path) -> list[Path]:
    """The numbered statement files of a directory, in order."""
    if not directory.is_dir():
        raise StageInputError("ksql directory", directory, "is not a directory")
    files = sorted(p for p in directory.iterdir() if _FILE.match(p.name))
    if not files:
        raise StageInputError("ksql directory", directory, "holds no NN_*.sql files")
    return files


def created_source(statement: str) -> tuple[str, str] | None:
    """(STREAM|TABLE, NAME as ksqlDB stores it) for a CREATE statement, else None."""
    m = _CREATE.match(statement)
    if m is None:
        return None
    name = m.group(2)
    return m.group(1).upper(), name[1:-1] if name[0] in "`\"" else name.upper()


@dataclass(frozen=True)
class Applied:
    file: str
    statement: str
    status: str  # "created", "skipped" (exists already) or "ok" (other statements)
    target: str = ""


def existing_sources(api: Any) -> set[str]:
    names: set[str] = set()
    for what, key in (("STREAMS", "streams"), ("TABLES", "tables")):
        for entity in api.ksql(f"SHOW {what};"):
            names.update(s["name"] for s in entity.get(key, []))
    return names


def apply(
    config: KsqlConfig,
    files: Sequence[Path],
    variables: Mapping[str, object],
    on_statement: Callable[[Applied], None] | None = None,
) -> list[Applied]:
    """Run the files' statements in order; the first rejected statement raises KsqlStatementError
    (naming its file); what ran before it stays, and running again carries on from there."""
    from ksql.errors import KSQLError

    api = client(config)
    existing = existing_sources(api)
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    if "model_dir" not in variables and any("${model_dir}" in t for t in texts.values()):
        variables = {**variables, "model_dir": sql_string(server_bundle(api))}
    properties = dict(config.properties) or dict(EARLIEST)
    out: list[Applied] = []
    for path in files:
        for raw in split_statements(texts[path]):
            stmt = render(raw, variables)
            target = created_source(stmt)
            short = " ".join(stmt.split())
            if target is not None and target[1] in existing:
                result = Applied(path.name, short, "skipped", target[1])
            else:
                warn_if_unset(stmt, properties)
                try:
                    api.ksql(stmt, stream_properties=properties)
                except KSQLError as exc:
                    raise KsqlStatementError(
                        path, stmt, getattr(exc, "msg", None) or str(exc), getattr(exc, "error_code", None)
                    ) from exc
                except ValueError as exc:  # the client's HTTP errors
                    raise KsqlStatementError(path, stmt, str(exc)) from exc
                if target is not None:
                    existing.add(target[1])
                result = Applied(path.name, short, "created" if target else "ok", target[1] if target else "")
            out.append(result)
            if on_statement is not None:
                on_statement(result)
    return out
