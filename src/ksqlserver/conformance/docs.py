"""Docs sweep: the SQL of ksqlDB's documentation pages, run page by page through the engine.

    python -m ksqlserver.conformance.docs DOCS_DIR [--json FILE] [--section tutorials ...] [-v]

Every fenced code block of a page that holds KSQL (``sql`` blocks, and unlabelled blocks whose first line
starts a KSQL statement or a `ksql>` prompt) is split into statements. A page is one session, as a reader
typing the page into the CLI: a fresh engine on the in-memory driver, topics named by CREATE statements
without PARTITIONS created up front (the docs assume they exist), SET/UNSET kept for the statements after
them, persistent queries drained after each statement so later pull queries see the rows.

Each statement gets a status:
- ok: the engine accepted it (a query started, or /ksql answered with an entity);
- error: the engine refused it; `reason` is our message;
- blocked: refused only because an earlier statement of the page (failed or not applicable) did not
  create the source it names;
- na: not applicable here, with the reason: a syntax template (`[ ... ]`, `{ | }`, `...`), an
  expression fragment (a function signature), SQL for another system, connector management, a source
  the page never creates, a schema the registry would have to hold.
The classification is heuristic and errs towards `error`: a statement is `na` only for a stated reason.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ksqlserver.config import EngineConfig
from ksqlserver.conformance.docs_pages import (
    BLOCKED,
    CREATE_NAME_RE,
    ERROR,
    EXAMPLE_ERRATA,
    INVALID_RE,
    KSQLDB_REJECTS,
    MISSING_RE,
    NA,
    OK,
    PARTITIONS_RE,
    SECTIONS,
    TOPIC_RE,
    Outcome,
    Statement,
    SweepReport,
    code_of,
    kind_of,
    not_applicable,
    statements,
)
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError
from ksqlserver.formats.sr.client import MemoryRegistryClient

# --- running ---------------------------------------------------------------------------------------------


@dataclass
class _Session:
    engine: Engine
    driver: MemoryDriver
    props: dict[str, str] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)  # DEFINEd ones, kept as the CLI keeps them
    missing: set[str] = field(default_factory=set)  # sources the page meant to create but did not


def _new_session() -> _Session:
    driver = MemoryDriver()
    engine = Engine(
        EngineConfig(
            service_id="docs_sweep_",
            synchronous=True,
            processing_log=False,
            command_topic=False,
            # as Confluent's tutorials run their aggregation examples (SET 'cache.max.bytes.buffering'='0')
            properties={"ksql.streams.auto.offset.reset": "earliest", "ksql.streams.cache.max.bytes.buffering": "0"},
        ),
        driver,
        MemoryRegistryClient(),
    )
    return _Session(engine, driver)


def _create_topics(session: _Session, text: str) -> None:
    if not re.match(r"^\s*CREATE\b", text, re.IGNORECASE) or PARTITIONS_RE.search(text):
        return
    if re.search(r"\bAS\s+SELECT\b", text, re.IGNORECASE):
        return
    for topic in TOPIC_RE.findall(text):
        if session.driver.topic(topic) is None:
            session.driver.create_topic(topic, 1, 1)


def _created_name(text: str) -> str | None:
    m = CREATE_NAME_RE.match(code_of(text))
    if m is None:
        return None
    name = m.group(1)
    return name[1:-1] if name.startswith("`") else name.upper()


def _run_one(session: _Session, text: str) -> None:
    engine = session.engine
    if re.match(r"^\s*(SELECT|PRINT)\b", code_of(text), re.IGNORECASE):
        query = engine.start_query(text, session.props, session.variables)
        try:
            engine.drain()
            query.poll(0.05)
        finally:
            query.close()
        return
    engine.execute(text, session.props, session.variables)
    engine.drain()
    m = re.match(r"^\s*SET\s+'([^']*)'\s*=\s*'([^']*)'", text, re.IGNORECASE)
    if m:
        session.props[m.group(1)] = m.group(2)
    m = re.match(r"^\s*UNSET\s+'([^']*)'", text, re.IGNORECASE)
    if m:
        session.props.pop(m.group(1), None)


_EXAMPLE_RE = re.compile(r"^(?P<expr>[A-Za-z_][A-Za-z0-9_]*\s*\(.*\))\s*=>\s*(?P<result>.+?)\s*(?:\s--\s.*)?$")


def _examples(stmt: Statement) -> list[tuple[str, str]]:
    """The `FN(literal args) => result` lines of a functions page's example block."""
    out = []
    for line in stmt.text.splitlines():
        m = _EXAMPLE_RE.match(line.strip())
        if m and not re.search(r"=>.*=>", line):
            out.append((m.group("expr"), m.group("result")))
    return out


def _as_ksql(text: str) -> str:
    """The docs' shorthand made KSQL: "double-quoted" strings as 'single-quoted' ones, and the Markdown
    escape \\" inside a string as a plain quote."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "'":
            j = i + 1
            while j < len(text) and not (text[j] == "'" and text[j - 1] != "\\"):
                j += 1
            out.append(text[i : j + 1].replace('\\"', '"'))
            i = j + 1
        elif c == '"':
            j = text.find('"', i + 1)
            j = len(text) if j < 0 else j
            out.append("'" + text[i + 1 : j].replace("'", "''") + "'")
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _documented_value(text: str) -> Any:
    """A documented result as a Python value ('x' strings, [..] arrays, [k: v] maps, NULL, true/false), or
    raises ValueError when the text is prose rather than a value."""
    import ast as pyast

    try:  # a JSON value as it stands (e.g. an array of JSON texts)
        return json.loads(text)
    except ValueError:
        pass
    t = _as_ksql(text.strip().rstrip(",;"))
    if t.startswith("'") and t.endswith("'"):  # a string: '' is a quote, as in KSQL
        return t[1:-1].replace("''", "'")
    t = re.sub(r"\bNULL\b|\bnull\b", "None", t)
    t = re.sub(r"\btrue\b", "True", t)
    t = re.sub(r"\bfalse\b", "False", t)
    if t.startswith("[") and re.search(r"'\s*:", t):  # ['a': 1] is a map
        t = "{" + t[1:-1] + "}"
    try:
        return pyast.literal_eval(t)
    except (ValueError, SyntaxError):
        raise ValueError(text) from None


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str) and isinstance(expected, str) and actual != expected:
        try:  # JSON text: the docs space it freely
            return bool(json.loads(actual) == json.loads(expected))
        except ValueError:
            return False
    if isinstance(expected, float) or isinstance(actual, float):
        try:
            return abs(float(actual) - float(expected)) <= 1e-9 * max(1.0, abs(float(expected)))
        except (TypeError, ValueError):
            return False
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(_same(a, e) for a, e in zip(actual, expected, strict=True))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(_same(actual[k], expected[k]) for k in expected)
    return bool(actual == expected and type(actual) is type(expected)) or (
        isinstance(actual, int) and isinstance(expected, int) and actual == expected
    )


def _evaluate(session: _Session, expr: str) -> Any:
    """The value of a constant expression: one row through a push query over a one-row stream."""
    engine = session.engine
    if engine.state.metastore.get("DOCS_ONE_ROW") is None:
        session.driver.create_topic("docs_one_row", 1, 1)
        engine.execute(
            "CREATE STREAM DOCS_ONE_ROW (K INT KEY, X INT) WITH (kafka_topic='docs_one_row', value_format='JSON');"
        )
        engine.execute("INSERT INTO DOCS_ONE_ROW (K, X) VALUES (1, 1);")
    props = {"auto.offset.reset": "earliest"}
    query = engine.start_query(f"SELECT {expr} AS V FROM DOCS_ONE_ROW EMIT CHANGES LIMIT 1;", props)
    try:
        engine.drain()
        rows = query.poll(1.0)
    finally:
        query.close()
    if not rows:
        raise KsqlError(f"no row for {expr}")
    return rows[0][0]


def _check_examples(session: _Session, stmt: Statement, section: str) -> list[Outcome]:
    out = []
    for expr, result in _examples(stmt):
        try:
            expected = _documented_value(result)
        except ValueError:
            out.append(Outcome(stmt.page, section, stmt.line, f"{expr} => {result}", NA, "result is prose", "EXAMPLE"))
            continue
        try:
            actual = _evaluate(session, _as_ksql(expr))
        except KsqlError as e:
            shorthand = re.search(r"Syntax Error|mismatched input|SELECT column .* cannot be resolved", e.message)
            status = NA if shorthand else ERROR
            why = "the example is shorthand or names a column: " if status == NA else ""
            out.append(Outcome(stmt.page, section, stmt.line, f"{expr} => {result}", status, why + e.message, "EXAMPLE"))
            continue
        ok = _same(actual, expected)
        reason = "" if ok else f"got {actual!r}, the docs say {result}"
        status = OK if ok else ERROR
        if not ok and expr in EXAMPLE_ERRATA:
            status, reason = NA, f"the docs' result is wrong ({EXAMPLE_ERRATA[expr]}): {reason}"
        out.append(Outcome(stmt.page, section, stmt.line, f"{expr} => {result}", status, reason, "EXAMPLE"))
    return out


def _function_named(stmt: Statement) -> str | None:
    """The function a functions page's signature block is about (`ABS(col1)` -> ABS)."""
    if not re.search(r"(scalar|aggregate|table)-functions\.md$|lambda", stmt.page):
        return None
    m = re.match(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(", stmt.text)
    if m is None or m.group(1).upper() in _NOT_FUNCTIONS:
        return None
    return m.group(1).upper()


_NOT_FUNCTIONS = frozenset({"CAST", "CASE", "EXTRACT", "IF", "STRUCT", "ARRAY", "MAP"})


def _check_function(session: _Session, stmt: Statement, section: str, fn: str) -> Outcome:
    """A signature block: the engine must know the function (DESCRIBE FUNCTION answers)."""
    try:
        session.engine.execute(f"DESCRIBE FUNCTION {fn};")
        status, reason = OK, ""
    except KsqlError as e:
        status, reason = ERROR, e.message
    return Outcome(stmt.page, section, stmt.line, stmt.text, status, reason, "FUNCTION")


def _drop(session: _Session, name: str) -> bool:
    src = session.engine.state.metastore.get(name)
    if src is None:
        return False
    try:
        session.engine.execute(f"DROP {src.kind} `{src.name}`;")
    except KsqlError:
        return False
    return True


def _classify_error(session: _Session, stmt: Statement, message: str) -> tuple[str, str]:
    if re.search(r"schema registry|no schema|subject|Schema for message", message, re.IGNORECASE) and (
        re.search(r"AVRO|PROTOBUF|JSON_SR", stmt.text, re.IGNORECASE)
    ):
        return NA, f"needs a registered schema: {message}"
    m = MISSING_RE.search(message)
    missing = m and (m.group(1) or m.group(2) or m.group(3))
    if missing and missing.upper() in {s.upper() for s in session.missing}:
        return BLOCKED, message
    if missing:
        return NA, f"source not created on the page: {message}"
    if message.startswith("Unknown queryId"):
        return NA, f"a query id of the docs' own session: {message}"
    if "user-defined-function" in stmt.page and "Can't find any functions" in message:
        return NA, f"a user-defined function built on the page: {message}"
    return ERROR, message


def run_page(page: str, section: str, stmts: Iterable[Statement]) -> list[Outcome]:
    session = _new_session()
    out: list[Outcome] = []
    try:
        for stmt in stmts:
            kind = kind_of(stmt.text)
            why = not_applicable(stmt)
            name = _created_name(stmt.text)
            examples = _examples(stmt) if why in ("expression fragment", "syntax template") else []
            if examples and _function_named(stmt) is not None:
                out.extend(_check_examples(session, stmt, section))
                continue
            fn = _function_named(stmt) if why == "expression fragment" else None
            if fn is not None:
                out.append(_check_function(session, stmt, section, fn))
                continue
            if why is not None:
                if name:
                    session.missing.add(name)
                out.append(Outcome(page, section, stmt.line, stmt.text, NA, why, kind))
                continue
            _create_topics(session, stmt.text)
            try:
                try:
                    _run_one(session, stmt.text)
                except KsqlError as e:
                    # the page shows another definition of a name it used before: a reader drops the old
                    # one, or, when queries still use it, starts again on a fresh server (pages repeat their
                    # steps for another environment)
                    if name is None or "already exists" not in e.message:
                        raise
                    if not _drop(session, name):
                        session.engine.close()
                        session = _new_session()
                    _create_topics(session, stmt.text)
                    _run_one(session, stmt.text)
                status, reason = OK, ""
                if name:
                    session.missing.discard(name)
            except KsqlError as e:
                status, reason = _classify_error(session, stmt, e.message)
                if name:
                    session.missing.add(name)
            except Exception as e:  # an engine bug: record it and go on with the page
                status, reason = ERROR, f"internal {type(e).__name__}: {e}"
                if name:
                    session.missing.add(name)
            rejected = next(
                (why for (pg, head), why in KSQLDB_REJECTS.items() if pg == stmt.page and stmt.text.startswith(head)),
                None,
            )
            if rejected is not None:  # the engine must refuse it, as ksqlDB does
                if status == ERROR:
                    status, reason = NA, f"ksqlDB rejects it too ({rejected}): {reason}"
                elif status == OK:
                    status, reason = ERROR, f"accepted, but ksqlDB rejects it ({rejected})"
            elif status == ERROR and INVALID_RE.search(stmt.comments):
                status, reason = NA, "documented as an error: " + reason
            elif status == ERROR and INVALID_RE.search(stmt.prose):
                reason = "(docs may show this as invalid) " + reason
            out.append(Outcome(page, section, stmt.line, stmt.text, status, reason, kind))
    finally:
        session.engine.close()
    return out


def section_of(rel: Path) -> str:
    text = rel.as_posix()
    for s in sorted(SECTIONS, key=len, reverse=True):
        if text.startswith(s + "/"):
            return s
    return rel.parts[0] if rel.parts else ""


def sweep(docs: Path, sections: Iterable[str] = SECTIONS) -> SweepReport:
    report = SweepReport()
    for section in sections:
        root = docs / section
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.md")):
            rel = path.relative_to(docs)
            if section == "developer-guide" and section_of(rel) != section:
                continue
            stmts = statements(path.read_text(encoding="utf-8"), rel.as_posix())
            if stmts:
                report.outcomes.extend(run_page(rel.as_posix(), section, stmts))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ksqlserver.conformance.docs", description="Run the SQL of ksqlDB's docs pages."
    )
    parser.add_argument("docs", type=Path, help="the docs/ folder of a ksqlDB release")
    parser.add_argument("--section", action="append", help="a folder under docs/ (repeatable)")
    parser.add_argument("--json", type=Path, help="write every outcome to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every error")
    args = parser.parse_args(argv)
    if not args.docs.is_dir():
        parser.error(f"not a directory: {args.docs}")
    import logging

    logging.disable(logging.CRITICAL)  # engine bugs are recorded as outcomes; their tracebacks are noise
    report = sweep(args.docs, args.section or SECTIONS)
    if args.verbose:
        for o in report.outcomes:
            if o.status == ERROR:
                first = o.text.splitlines()[0][:90]
                print(f"{o.page}:{o.line}: [{o.kind}] {first}\n    -> {o.reason.splitlines()[0][:200]}")
    print(report.summary())
    if args.json:
        args.json.write_text(json.dumps(report.to_json(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
