"""Confluent's ksqlDB tutorials (kafka-tutorials) run as their harness runs them, checked as their Makefiles check.

    python -m ksqlserver.conformance.tutorials CHECKOUT_DIR [--json FILE] [-v] [-k NAME]

For each `_data/harnesses/<name>/ksql.yml` (a tutorial) and `ksql-test.yml` (a recipe): one fresh
synchronous engine on the in-memory driver, with the properties the tutorial's docker-compose gives the
ksqlDB server. The harness steps run in the order of the Makefile's SEQUENCE: each
`docker_ksql_cli_session` is one CLI session (its own SET properties and variables) fed the stdin files,
and writes what the CLI would spool for each input line to `<stdout dir>/<file stem>/output-N.log`
(`cli_session.py`); a `kafka-console-producer` step produces its stdin lines; `sleep` drains the queries.
Then every `diff`/`grep` line of the Makefile runs with bash in a scratch copy of the tutorial's
`tutorial-steps`, and is classified:

- pass / fail (with the check's output, a short diff);
- na, with the reason: it reads a file that a step other than the CLI writes (console consumer, curl,
  psql, a Java app), or it fails in a tutorial that needs what this runner has not got (a connector, a
  custom UDF jar, Schema Registry content the tutorial did not create), or its expected output is one
  ksqlDB 0.29 does not produce (`NOT_APPLICABLE`, each checked against the source).

The ksql-test-runner checks (`test-results.log`) are left out: `python -m ksqlserver.testing` covers them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ksqlserver.config import EngineConfig
from ksqlserver.conformance.cli_session import CliSession, console_producer
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.formats.sr.client import MemoryRegistryClient

PASS, FAIL, NA = "pass", "fail", "na"

# checks whose expected output ksqlDB 0.29 would not print, with why (checked against its source)
NOT_APPLICABLE: dict[tuple[str, str], str] = {}

_OUTPUT_RE = re.compile(r"[\w.-]+/(?:dev|test|prod)/outputs/[\w.\-/*\[\]]+")
_SEQUENCE_RE = re.compile(r"^SEQUENCE\s*:?=\s*\"?([^\"\n]*)\"?", re.MULTILINE)
_VAR_RE = re.compile(r"^([A-Z_]+)\s*:?=\s*(.*)$", re.MULTILINE)


class TutorialError(Exception):
    """A harness this runner cannot read (malformed YAML, a missing file)."""

    def __init__(self, harness: str, message: str) -> None:
        super().__init__(f"{harness}: {message}")
        self.harness = harness


@dataclass
class Check:
    harness: str
    line: str
    status: str = NA
    reason: str = ""


@dataclass
class Harness:
    name: str
    kind: str  # "ksql" (a tutorial) or "ksql-test" (a recipe)
    spec: Path
    code: Path

    @property
    def label(self) -> str:
        return f"{self.name}/{self.kind}"


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        out = {PASS: 0, FAIL: 0, NA: 0}
        for c in self.checks:
            out[c.status] += 1
        return out

    def summary(self) -> str:
        t = self.totals()
        return f"{t[PASS]} passed, {t[FAIL]} failed, {t[NA]} n.a. ({len(self.checks)} checks)"

    def to_json(self) -> dict[str, Any]:
        return {
            "totals": self.totals(),
            "checks": [{"harness": c.harness, "check": c.line, "status": c.status, "reason": c.reason} for c in self.checks],
        }


def harnesses(checkout: Path) -> list[Harness]:
    out = []
    for spec in sorted((checkout / "_data" / "harnesses").glob("*/ksql*.yml")):
        kind = spec.stem
        if kind not in ("ksql", "ksql-test"):
            continue
        code = checkout / "_includes" / "tutorials" / spec.parent.name / kind / "code"
        if (code / "Makefile").is_file():
            out.append(Harness(spec.parent.name, kind, spec, code))
    return out


# --- the server a tutorial's docker-compose starts -------------------------------------------------------


def server_properties(code: Path) -> dict[str, str]:
    """The ksqlDB server's properties from the docker-compose environment (`KSQL_KSQL_X_Y` is
    `ksql.x.y`, `KSQL_X` is the unprefixed streams/client property `x`), as the ksqlDB image maps them."""
    compose = code / "docker-compose.yml"
    if not compose.is_file():
        return {}
    try:
        doc = yaml.safe_load(compose.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return {}
    for service in (doc.get("services") or {}).values():
        env = (service or {}).get("environment") or {}
        if isinstance(env, list):
            env = dict(e.split("=", 1) for e in env if "=" in e)
        if "KSQL_LISTENERS" not in env and "KSQL_BOOTSTRAP_SERVERS" not in env:
            continue
        if "cp-ksqldb-cli" in str(service.get("image", "")):
            continue
        props = {}
        for k, v in env.items():
            if k.startswith("KSQL_") and not k.startswith(("KSQL_CONNECT_", "KSQL_LOG4J", "KSQL_OPTS")):
                props[k[5:].lower().replace("_", ".")] = str(v)
        return props
    return {}


def new_engine(props: dict[str, str]) -> tuple[Engine, MemoryDriver]:
    driver = MemoryDriver(key_partitioning=True, timestamp_order=True)  # a broker holding the data
    properties = {k: v for k, v in props.items() if k.startswith("ksql.") and k != "ksql.schema.registry.url"}
    if "auto.offset.reset" in props:
        properties.setdefault("ksql.streams.auto.offset.reset", props["auto.offset.reset"])
    engine = Engine(
        EngineConfig(
            service_id=props.get("ksql.service.id", "default_"),
            synchronous=True,
            processing_log=props.get("ksql.logging.processing.stream.auto.create", "false").lower() == "true",
            # a tutorial's recorded outputs come from a ksqlDB server, so its query ids and consumer groups
            # are numbered by command-topic offset (InteractiveStatementExecutor), not 0, 1, 2, ...
            command_topic=True,
            properties=properties,
        ),
        driver,
        MemoryRegistryClient(),
    )
    return engine, driver


# --- running a harness -----------------------------------------------------------------------------------


@dataclass
class Run:
    """What running a harness's steps left: the files written (relative to the code dir), the files only a
    non-CLI step writes, and why some of the tutorial cannot run here."""

    outputs: dict[str, str] = field(default_factory=dict)
    copies: dict[str, str] = field(default_factory=dict)  # files the Makefile copies before the harness
    foreign: dict[str, str] = field(default_factory=dict)  # path -> the step's script
    blockers: list[str] = field(default_factory=list)


def _copies(makefile: str) -> dict[str, str]:
    """`cp SRC DST` recipe lines (a Makefile may make a stdin file the harness then reads): DST -> SRC."""
    variables = _variables(makefile)
    out = {}
    for raw in makefile.splitlines():
        parts = _expand(raw.strip(), variables).split()
        if raw.startswith("\t") and len(parts) == 3 and parts[0] == "cp":
            out[os.path.normpath(parts[2])] = parts[1]
    return out


def _sequence(makefile: str) -> list[str]:
    m = _SEQUENCE_RE.search(makefile)
    text = m.group(1) if m else "dev, test, prod, ccloud"
    return [s.strip() for s in text.split(",") if s.strip()]


def _spec_path(h: Harness, makefile: str) -> Path:
    """The harness the Makefile runs (one Makefile runs another tutorial's harness from its own dir)."""
    m = re.search(r"^\tharness-runner\s+(\S+)", makefile, re.MULTILINE)
    named = (h.code / m.group(1)).resolve() if m else None
    return named if named is not None and named.is_file() else h.spec


def run_harness(h: Harness) -> Run:
    makefile = (h.code / "Makefile").read_text(encoding="utf-8")
    try:
        spec = yaml.safe_load(_spec_path(h, makefile).read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise TutorialError(h.label, f"bad harness YAML: {e}") from e
    engine, driver = new_engine(server_properties(h.code))
    run = Run(copies=_copies(makefile))
    try:
        for seq in _sequence(makefile):
            for step in (spec.get(seq) or {}).get("steps", []):
                for action in step.get("content", []):
                    _run_action(h, engine, driver, action, run)
    finally:
        engine.close()
    return run


def _run_action(h: Harness, engine: Engine, driver: MemoryDriver, action: dict[str, Any], run: Run) -> None:
    kind = action.get("action")
    if kind == "docker_ksql_cli_session":
        session = CliSession(engine, int(action.get("column_width", -1)))
        directory = action["stdout"]["directory"]
        for block in action.get("stdin", []):
            path = h.code / run.copies.get(os.path.normpath(block["file"]), block["file"])
            if not path.is_file():
                raise TutorialError(h.label, f"missing stdin file {block['file']}")
            outputs = session.run_file(path.read_text(encoding="utf-8"))
            stem = Path(block["file"]).stem
            for i, text in enumerate(outputs):
                run.outputs[f"{directory}/{stem}/output-{i}.log"] = text
        for why in session.blockers:
            if why not in run.blockers:
                run.blockers.append(why)
    elif kind == "execute":
        script = h.code / action["file"]
        text = script.read_text(encoding="utf-8") if script.is_file() else ""
        if "stdin" in action and "console-producer" in text:
            why = console_producer(driver, text, (h.code / action["stdin"]).read_text(encoding="utf-8"))
            if why:
                run.blockers.append(why)
            engine.drain()
        if "stdout" in action:
            run.foreign[action["stdout"]] = action["file"]
    elif kind == "sleep":
        engine.drain()


# --- the Makefile's checks -------------------------------------------------------------------------------


def _variables(makefile: str) -> dict[str, str]:
    return {m.group(1): m.group(2).strip() for m in _VAR_RE.finditer(makefile)}


def _expand(line: str, variables: dict[str, str]) -> str:
    for _ in range(5):
        new = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), line)
        if new == line:
            break
        line = new
    return line.replace("$$", "$")


def check_lines(makefile: str) -> list[str]:
    """The recipe lines that compare outputs: `diff` or `grep`, not comments, not the test runner's."""
    text = makefile.replace("\\\n", " ")
    out = []
    for raw in text.splitlines():
        if not raw.startswith("\t"):
            continue
        line = raw.strip()
        if line.startswith(("#", "$(eval", "harness-runner", "rm ", "mkdir")):
            continue
        if not re.search(r"\b(diff|grep)\b", line) or "test-results" in line:
            continue
        out.append(line)
    return out


def run_checks(h: Harness, run: Run, scratch: Path) -> list[Check]:
    makefile = (h.code / "Makefile").read_text(encoding="utf-8")
    variables = _variables(makefile)
    work = scratch / h.name / h.kind
    if work.exists():
        shutil.rmtree(work)
    steps = h.code / "tutorial-steps"
    if steps.is_dir():
        shutil.copytree(steps, work / "tutorial-steps", ignore=shutil.ignore_patterns("outputs"))
    work.mkdir(parents=True, exist_ok=True)
    for rel, text in run.outputs.items():
        target = work / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    checks = []
    for line in check_lines(makefile):
        command = _expand(line, variables)
        check = Check(h.label, line)
        checks.append(check)
        foreign = [p for p in _OUTPUT_RE.findall(command) if p in run.foreign]
        if foreign:
            check.status, check.reason = NA, f"reads {foreign[0]}, written by {run.foreign[foreign[0]]} (not the ksql CLI)"
            continue
        proc = subprocess.run(
            ["bash", "-c", command], cwd=work, capture_output=True, text=True, timeout=60,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
        )
        if proc.returncode == 0:
            check.status = PASS
            continue
        diff = (proc.stdout + proc.stderr).strip()
        known = NOT_APPLICABLE.get((h.label, line))
        if known:
            check.status, check.reason = NA, f"{known}\n{_short(diff)}"
        elif run.blockers:
            check.status, check.reason = NA, "; ".join(run.blockers) + "\n" + _short(diff)
        else:
            check.status, check.reason = FAIL, _short(diff)
    return checks


def _short(text: str, lines: int = 16) -> str:
    parts = text.splitlines()
    return "\n".join(parts[:lines] + ([f"... ({len(parts) - lines} more lines)"] if len(parts) > lines else []))


def sweep(checkout: Path, only: str | None = None, scratch: Path | None = None) -> Report:
    report = Report()
    own = scratch is None
    scratch = scratch or Path(tempfile.mkdtemp(prefix="ksql_tutorials_"))
    try:
        for h in harnesses(checkout):
            if only and only not in h.name:
                continue
            if not check_lines((h.code / "Makefile").read_text(encoding="utf-8")):
                continue
            try:
                run = run_harness(h)
            except TutorialError as e:
                report.checks.append(Check(h.label, "(harness)", FAIL, str(e)))
                continue
            report.checks.extend(run_checks(h, run, scratch))
    finally:
        if own:
            shutil.rmtree(scratch, ignore_errors=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ksqlserver.conformance.tutorials", description="Run Confluent's ksqlDB tutorials."
    )
    parser.add_argument("checkout", type=Path, help="a kafka-tutorials checkout (with _data/ and _includes/)")
    parser.add_argument("--json", type=Path, help="write every check to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failing and n.a. check")
    parser.add_argument("-k", dest="only", help="only the harnesses whose name contains this")
    parser.add_argument("--keep", type=Path, help="write the outputs under this directory and keep them")
    args = parser.parse_args(argv)
    if not (args.checkout / "_data" / "harnesses").is_dir():
        parser.error(f"not a kafka-tutorials checkout: {args.checkout}")
    logging.disable(logging.CRITICAL)  # engine errors show in the outputs; their tracebacks are noise
    report = sweep(args.checkout, args.only, args.keep)
    for c in report.checks:
        if (args.verbose and c.status != PASS) or c.status == FAIL:
            print(f"[{c.status}] {c.harness}: {c.line[:150]}")
            if args.verbose or c.status == FAIL:
                print("    " + c.reason.replace("\n", "\n    "))
    print(report.summary())
    if args.json:
        args.json.write_text(json.dumps(report.to_json(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
