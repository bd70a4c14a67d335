"""REST conformance cases (FORMAT.md §11): loading a case file and expanding it into `RestCase`s with the
index's scope marks, the topics a case needs created, and what running a case yields (`CaseResult`, or
`RestRunnerError` for a case this runner cannot express)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ksqlserver.conformance.qtt import strip_comments
from ksqlserver.errors import KsqlError


class RestRunnerError(KsqlError):
    """A case this runner cannot execute as written (names the case and the reason)."""


@dataclass
class RestCase:
    name: str
    statements: list[str]
    spec: dict[str, Any]
    properties: dict[str, Any]
    in_scope: bool = True
    skip_reason: str = ""
    group: str = ""  # "sr": a Schema Registry format case (out of the first milestone's scope), run


@dataclass
class CaseResult:
    name: str
    status: str  # pass | fail | error | skipped
    detail: str = ""
    group: str = ""

# ---- loading ---------------------------------------------------------------------------------------------


def load_index(path: Path | None) -> dict[str, dict[str, Any]]:
    """Expanded-case name -> index entry (for `in_scope`), from index.json beside the rest/ folder."""
    if path is None or not path.is_file():
        return {}
    index = json.loads(path.read_text(encoding="utf-8"))
    return {case["name"]: case for file in index.get("rest", {}).values() for case in file.get("cases", [])}


def expand(path: Path, index: Mapping[str, dict[str, Any]]) -> Iterator[RestCase]:
    # Jackson reads the case files with // and /* */ comments allowed (FORMAT.md §1)
    data = json.loads(strip_comments(path.read_text(encoding="utf-8")), parse_float=Decimal)
    for test in data.get("tests", []):
        formats = test.get("format") or [None]
        for fmt in formats:
            name = f"{path.stem} - {test['name']}" + (f" - {fmt}" if fmt else "")
            statements = [s.replace("{FORMAT}", fmt) if fmt else s for s in test.get("statements", [])]
            entry = index.get(name, {})
            case = RestCase(
                name, statements, test, dict(test.get("properties", {})), entry.get("in_scope", True)
            )
            if test.get("enabled") is False:
                case.skip_reason = "disabled upstream"
            elif not case.in_scope:
                tags = entry.get("tags", [])
                sr_only = any(t in ("needs_schema_registry", "protobuf_nosr") for t in tags) and not any(
                    t in ("test_only_function", "proto_response") for t in tags
                )
                if sr_only and not test.get("testPullWithProtoFormat"):
                    case.group = "sr"  # this runner gives the engine an in-process registry
                else:
                    case.skip_reason = "out of scope (index.json): " + ", ".join(tags)
            elif test.get("testPullWithProtoFormat"):
                case.skip_reason = "protobuf response format"
            yield case


_TOPIC = re.compile(r"kafka_topic\s*=\s*'([^']*)'", re.IGNORECASE)
_PARTITIONS = re.compile(r"partitions\s*=\s*(\d+)", re.IGNORECASE)
_AS_SELECT = re.compile(r"\bAS\s+SELECT\b", re.IGNORECASE)


def topics_to_create(statements: list[str], spec: Mapping[str, Any]) -> list[tuple[str, int]]:
    """FORMAT.md §4.2: `topics` (1 partition by default); topics of CREATEs that declare columns
    (PARTITIONS or 4); topics named by inputs/outputs that are still unknown (4)."""
    found: dict[str, int] = {}
    for topic in spec.get("topics", []):
        found.setdefault(topic["name"], int(topic.get("partitions", 1)))
    for statement in statements:
        if not statement.lstrip().upper().startswith("CREATE") or _AS_SELECT.search(statement):
            continue
        topic_match = _TOPIC.search(statement)
        if topic_match:
            partitions = _PARTITIONS.search(statement)
            found.setdefault(topic_match.group(1), int(partitions.group(1)) if partitions else 4)
    for record in [*spec.get("inputs", []), *spec.get("outputs", [])]:
        found.setdefault(record["topic"], 4)
    return list(found.items())
