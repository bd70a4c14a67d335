"""`fraudlab ksql apply`: every `ksql/NN_*.sql` file in order, idempotently, through the ksqlDB REST API.

Idempotent twice over: the statements say IF NOT EXISTS, and a CREATE whose stream or table already
exists is skipped here without being sent (so a re-run never starts a second persistent query, on
servers that would). `${name}` variables come from the run's `PipelineNames.variables()`, overridable
one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fraudlab.ksql.client import client
from fraudlab.ksql.config import EARLIEST, KsqlConfig
from fraudlab.ksql.errors import KsqlInputError, StatementError
from fraudlab.ksql.offsets import warn_if_unset
from fraudlab.ksql.statements import created_source, render, split_statements, sql_string
from fraudlab.stack import find_project_root

_FILE = re.compile(r"^\d\d_.*\.sql$")


@dataclass(frozen=True)
class Applied:
    file: str
    statement: str
    status: str  # "created", "skipped" (exists already) or "ok" (other statements)
    target: str = ""


HIDDEN = "[hidden]"  # how ksqlDB's SHOW PROPERTIES shows every ksql.functions.* value (KsqlConfig)


def server_bundle(api: Any) -> str:
    """The bundle the server's ANOMALY_SCORE was started with (SHOW PROPERTIES), else the project's
    `models/fraud` when it holds one; otherwise a KsqlInputError (say which with model_dir). A server that
    hides the value (ksqlDB does) gets "": the functions' name for the server's own bundle."""
    props = {p["name"]: p.get("value") for e in api.ksql("SHOW PROPERTIES;") for p in e.get("properties", [])}
    for key in ("ksql.functions.anomaly_score.model.dir", "ksql.functions._global_.model.dir"):
        if props.get(key) == HIDDEN:
            return ""
        if props.get(key):
            return str(props[key])
    default = find_project_root() / "models" / "fraud"
    if not (default / "model.json").is_file():
        raise KsqlInputError("model_dir", str(default), "no bundle there and the KSQL server names none: "
                                                        "give one (--var model_dir=DIR)")
    return str(default)


def sql_files(directory: Path) -> list[Path]:
    """The numbered statement files of a directory, in order."""
    if not directory.is_dir():
        raise KsqlInputError("ksql directory", directory, "is not a directory")
    files = sorted(p for p in directory.iterdir() if _FILE.match(p.name))
    if not files:
        raise KsqlInputError("ksql directory", directory, "holds no NN_*.sql files")
    return files


def existing_sources(api: Any) -> set[str]:
    """Names of the streams and tables the server has (SHOW STREAMS, SHOW TABLES); `api` is a client."""
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
    """Run the files' statements in order; the first rejected statement raises StatementError
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
                    raise StatementError(
                        path, stmt, getattr(exc, "msg", None) or str(exc), getattr(exc, "error_code", None)
                    ) from exc
                except ValueError as exc:  # the client's HTTP errors
                    raise StatementError(path, stmt, str(exc)) from exc
                if target is not None:
                    existing.add(target[1])
                result = Applied(path.name, short, "created" if target else "ok", target[1] if target else "")
            out.append(result)
            if on_statement is not None:
                on_statement(result)
    return out
