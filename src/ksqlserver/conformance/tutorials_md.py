"""Confluent's tutorials repo (`*/ksql/README.md`) and ksqlDB recipes (`docs/*/*/*.sql`), outputs compared.

    python -m ksqlserver.conformance.tutorials_md CHECKOUT [--json FILE] [-v] [-k NAME]
    python -m ksqlserver.conformance.tutorials_md --recipes CHECKOUT [--json FILE] [-v] [-k NAME]

Tutorials (a checkout of confluentinc/tutorials): each README is one ksql CLI session (`cli_session.py`)
on a fresh synchronous engine over the in-memory driver, with the properties the README's
docker-compose file gives the 0.29.0 server (`KSQL_CACHE_MAX_BYTES_BUFFERING: 0`, ...). The session
runs the README's "Local With Docker" part (the whole README when it has no such part): its ```sql
blocks (and `noformat`/`text` blocks that start with a statement) statement by statement, in order,
SETs and INSERTs included. A shell block that opens `kafka-console-producer --topic T` produces the lines
of the data block after it; `kafka-topics --create --topic T` creates T; other shell steps (docker,
git, confluent) are not run. Every statement gets ok / error / na (connectors, custom UDFs). Each output
block (```plaintext, or a `noformat` block that is not a statement) belongs to the last statement run
before it and is compared with what the CLI printed for that statement:

- a `+---+` table: the header names and every row's cells (the CLI's `TabularRow` at the tutorial's cell
  width, so wrapped cells wrap alike; cells compared stripped, so a hand-edited width does not matter);
- `PRINT` output: every line the tutorial shows must be part of a line the CLI printed (the tutorials
  abridge records to `key: ...`);
- anything else (DESCRIBE, messages): the lines, stripped.

Border lines are not compared: the tutorials close a table with a separator the 0.29 CLI does not print
(`Cli` ends a push query with "Query terminated" only), and some widen a column by hand.

Row order: the rows must come in the tutorial's order when that order is deterministic in ksqlDB: every
source of the query is backed by a one-partition topic and the query reads one topic (a stream in offset
order; an aggregation's updates in the order the records arrive). A join reads two topics, whose
interleaving depends on when the consumer fetches each, and more partitions interleave freely, so those
rows (and any the tutorial says "may vary") are compared as multisets. A cell where the CLI printed this
session's wall clock (an epoch-millis ROWTIME between the session's start and end) matches any epoch
millis the tutorial printed that is not a value of the tutorial's own text: both are the time the record
was inserted.

The "Confluent Cloud" part (the Cloud console's editor) is a session of its own on a fresh engine, with
what the text has the reader do in the UI: the query properties it sets (`auto.offset.reset` Earliest,
`cache.max.bytes.buffering`) as session properties, a topic it creates, the events it produces in the
Messages tab; Cloud's processing log stream exists and logs rows. Rows the console shows as JSON objects
must each be a row the CLI printed.

Each output is pass / fail / na: na for a statement that needs what this runner has not got (a
connector, a custom UDF jar), or when the difference is one ksqlDB 0.29 makes too (`NOT_APPLICABLE`, each
checked against the 0.29 source, with a pattern the difference must match).

Recipes (a checkout of confluentinc/ksqldb-recipes): per recipe folder, one session runs process.sql (the
sources and the streams and tables the recipe builds) then manual.sql (the INSERTs that stand in for a
connector's data; they insert into process.sql's sources, and each recipe page includes process.sql
before manual.sql), with the topic of every CREATE without PARTITIONS made first (a connector would have
made it). Every statement is ok / error / na (connectors; in a recipe without manual.sql, a statement
that fails on a source a connector creates).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ksqlserver.conformance.cli_session import CliSession, console_producer, strip_comments
from ksqlserver.conformance.docs_pages import TOPIC_RE, code_of, split
from ksqlserver.conformance.tutorials import new_engine
from ksqlserver.console.tabular import cell
from ksqlserver.drivers.base import Record

PASS, FAIL, NA = "pass", "fail", "na"
OK, ERROR = "ok", "error"

# (README, statement start) -> why ksqlDB 0.29 does not print the tutorial's output (checked against its source)
NOT_APPLICABLE: dict[tuple[str, str], tuple[str, str]] = {
    # (README, statement start) -> (why ksqlDB 0.29 does not print the tutorial's output, checked against its
    # source; a pattern the difference must match, so that any other difference still fails)
    ("anomaly-detection/ksql/README.md", "SELECT *"): (
        "the server runs with cache.max.bytes.buffering=0 (the compose file's KSQL_CACHE_MAX_BYTES_BUFFERING, an "
        "unprefixed streams property KsqlConfig applies to every query), so the windowed COUNT forwards each "
        "update and counts 4 and 5 both pass HAVING COUNT(*) > 3: two rows for the one the tutorial shows",
        r"^2 rows, the tutorial's 1: \[Abby Normal\|\d+\|\d+\|[^;]*; Abby Normal\|",
    ),
    ("column-difference/ksql/README.md", "SELECT first_name,"): (
        "the tutorial rounds by hand: DOUBLE 50.89 - 28.99 is 21.900000000000002 (IEEE 754 as in Java), and the "
        "CLI prints a DOUBLE's Double.toString digits, never a trailing zero as in 21.90",
        r"^row 1: Tony\|Stark\|21\.900000000000002, the tutorial's Tony\|Stark\|21\.90$",
    ),
    ("concatenation/ksql/README.md", "SELECT *"): (
        "the tutorial's rows do not follow its INSERTs (300 shares inserted, 30000 shown)",
        r"^row 1: Tony Stark purchased 300 shares of IMEP, the tutorial's Tony Stark purchased 30000 shares",
    ),
    ("flatten-nested-data/ksql/README.md", "SELECT"): (
        "the tutorial's rows do not follow its INSERTs (2024-01-18 inserted, 2020-01-18 shown)",
        r"^row 1: 1\|2024-01-18 01:12:05\|.*, the tutorial's 1\|2020-01-18 01:12:05\|",
    ),
    ("session-windows/ksql/README.md", "SELECT ip,"): (
        "the session bounds are UNIX_TIMESTAMP() at each INSERT cut to seconds ('ssX'): a length depends on "
        "when each INSERT ran (the tutorial's 30000 is 29 s apart across a second boundary)",
        r"^row 2: 53\.170\.33\.192\|[^|]*\|[^|]*\|2\|29000, the tutorial's 53\.170\.33\.192\|.*\|2\|30000$",
    ),
}

_FENCE_RE = re.compile(r"^(\s*)```\s*([A-Za-z]*)")
_STARTER_RE = re.compile(
    r"^\s*(SELECT|CREATE|INSERT|DROP|SHOW|LIST|DESCRIBE|EXPLAIN|TERMINATE|SET|UNSET|DEFINE|UNDEFINE|PRINT|"
    r"ALTER|PAUSE|RESUME)\b",
    re.IGNORECASE,
)
_CONNECTOR_RE = re.compile(
    r"^\s*(CREATE\s+(SOURCE|SINK)\s+CONNECTOR|DROP\s+CONNECTOR|DESCRIBE\s+CONNECTOR|(SHOW|LIST)\s+"
    r"(SOURCE\s+|SINK\s+)?CONNECTORS)\b",
    re.IGNORECASE,
)
_SECTION_RE = re.compile(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.DOTALL)
_EPOCH_MS_RE = re.compile(r"^1\d{12}$")
_DATETIME_RE = re.compile(r"^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d{1,3})?(?: ?(Z|[+-]\d\d:?\d\d))?$")
_DAY_MS = 86_400_000
_SHIFT_TOLERANCE_MS = 5_000
_UI_TOPIC_RE = re.compile(r"[Cc]reate a topic called `([^`]+)`")
_SOURCE_RE = re.compile(r"\b(?:FROM|JOIN)\s+(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


class TutorialMdError(Exception):
    """A README or recipe this runner cannot read."""

    def __init__(self, page: str, message: str) -> None:
        super().__init__(f"{page}: {message}")
        self.page = page


@dataclass
class Fence:
    line: int  # 1-based line of the opening fence
    lang: str
    text: str
    prose: str = ""  # the Markdown between the previous block and this one


@dataclass
class Step:
    """One thing the reader does: a statement typed into the CLI, a console producer fed lines, a topic
    created; `expected` is the output block that follows a statement."""

    kind: str  # "sql", "produce", "topic", "cli" (the CLI opened)
    line: int
    text: str
    data: str = ""
    expected: Fence | None = None


@dataclass
class Outcome:
    page: str
    part: str  # "local", "cloud", "page", or a recipe file
    line: int
    kind: str  # "statement" or "output"
    text: str
    status: str
    reason: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def counts(self, kind: str) -> Counter[str]:
        return Counter(o.status for o in self.outcomes if o.kind == kind)

    def summary(self) -> str:
        s, o = self.counts("statement"), self.counts("output")
        out = f"statements: {s[OK]} ok, {s[ERROR]} error, {s[NA]} n.a."
        if sum(o.values()):
            out += f"\noutputs: {o[PASS]} passed, {o[FAIL]} failed, {o[NA]} n.a."
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "statements": dict(self.counts("statement")),
            "outputs": dict(self.counts("output")),
            "outcomes": [asdict(o) for o in self.outcomes],
        }


# --- reading a README ------------------------------------------------------------------------------------


def fences(text: str, first_line: int = 1) -> list[Fence]:
    """The fenced blocks of Markdown text (indented fences too), each body dedented by its fence's indent."""
    lines = text.splitlines()
    out, i, prose_start = [], 0, 0
    while i < len(lines):
        m = _FENCE_RE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, start, body = len(m.group(1)), i, []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith("```"):
            ln = lines[i]
            body.append(ln[indent:] if ln[:indent].strip() == "" else ln.lstrip())
            i += 1
        i += 1
        out.append(Fence(first_line + start, m.group(2).lower(), "\n".join(body), "\n".join(lines[prose_start:start])))
        prose_start = i
    return out


def parts(readme: str) -> list[tuple[str, str, int]]:
    """(part, text, first line): "local" and "cloud" for a README with those `<details>`, else one "page"
    part ("cloud" when it only runs on Confluent Cloud)."""
    found = []
    for m in _SECTION_RE.finditer(readme):
        summary = m.group(1).lower()
        part = "cloud" if "cloud" in summary else "local" if "local" in summary or "docker" in summary else summary
        found.append((part, m.group(2), readme.count("\n", 0, m.start(2)) + 1))
    if found:
        return found
    cloud_only = "confluent login" in readme and "ksqldb-cli ksql" not in readme
    return [("cloud" if cloud_only else "page", readme, 1)]


def _is_statement_block(f: Fence) -> bool:
    if f.lang == "sql":
        return True
    if f.lang in ("noformat", "text", ""):
        first = next((ln for ln in f.text.splitlines() if ln.strip()), "")
        return (bool(_STARTER_RE.match(first)) and first.rstrip().endswith((";", "(", ","))) or (
            bool(_STARTER_RE.match(first)) and f.text.rstrip().endswith(";")
        )
    return False


def _is_output_block(f: Fence) -> bool:
    return f.lang in ("plaintext", "noformat", "text", "") and not _is_statement_block(f)


def steps(text: str, first_line: int = 1) -> list[Step]:
    """The steps of one part of a README, each statement with the output block that follows it."""
    out: list[Step] = []
    blocks = fences(text, first_line)
    i = 0
    topic = None
    while i < len(blocks):
        f = blocks[i]
        if m := _UI_TOPIC_RE.search(f.prose):  # a topic made in Confluent Cloud's UI
            topic = m.group(1)
            out.append(Step("topic", f.line, topic))
        more = bool(out) and out[-1].kind == "value" and not f.prose.strip()
        if topic and f.lang in ("noformat", "json") and (re.search(r"\bproduce\b", f.prose, re.I) or more):
            out.append(Step("value", f.line, topic, data=f.text))  # one event typed into the UI's Messages tab
        elif _is_statement_block(f):
            for offset, stmt in split(f.text):
                out.append(Step("sql", f.line + 1 + offset, stmt))
        elif f.lang == "shell" and re.search(r"\bksql\s+http", f.text):
            out.append(Step("cli", f.line, f.text))
        elif f.lang == "shell" and "kafka-console-producer" in f.text and "<" not in f.text:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if nxt is not None and nxt.lang in ("json", "noformat", "text", "plaintext", ""):
                out.append(Step("produce", f.line, f.text, data=nxt.text))
                i += 1
        elif f.lang == "shell" and (m := re.search(r"kafka-topics\b.*--create.*--topic\s+(\S+)", f.text)):
            out.append(Step("topic", f.line, m.group(1)))
        elif _is_output_block(f):
            last = next((s for s in reversed(out) if s.kind == "sql"), None)
            if last is not None and last.expected is None:
                last.expected = f
        i += 1
    return out


# --- comparing -------------------------------------------------------------------------------------------


def table_cells(text: str) -> tuple[list[str], list[list[str]]]:
    """A `+---+` table's header and rows, each a list of stripped cells (every `|...|` line is a row)."""
    rows = [[c.strip() for c in ln.strip()[1:-1].split("|")] for ln in text.splitlines() if ln.strip().startswith("|")]
    return (rows[0], rows[1:]) if rows else ([], [])


def cell_width(text: str) -> int:
    """The tutorial's cell width: its separator's segments (the widest when a hand edit made them differ)."""
    for ln in text.splitlines():
        if ln.strip().startswith("+-"):
            return max(len(seg) for seg in ln.strip().strip("+").split("+"))
    return 0


def _millis(text: str) -> int | None:
    """A cell as epoch millis: 13 digits, or a `yyyy-MM-dd HH:mm:ss[.SSS]` text read as UTC."""
    if _EPOCH_MS_RE.match(text):
        return int(text)
    m = _DATETIME_RE.match(text)
    if m is None:
        return None
    import datetime as dt

    zone = m.group(4) or "Z"
    zone = "+00:00" if zone == "Z" else zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
    when = dt.datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}{m.group(3) or ''}{zone}")
    return int(when.timestamp() * 1000)


@dataclass
class Clock:
    """The session's wall clock: `window` holds the times this session can have derived from it (a week
    either side of it: tutorials add and take days from UNIX_TIMESTAMP()); `shift` is the one
    offset from the tutorial's times to ours, fixed by the first wall-clock cell matched."""

    window: tuple[int, int] = (0, -1)
    literals: set[str] = field(default_factory=set)
    shift: int | None = None

    def same(self, actual: str, expected: str, shift: list[int | None]) -> bool:
        if actual == expected:
            return True
        a, e = _millis(actual), _millis(expected)
        if a is None or e is None or expected in self.literals or not self.window[0] <= a <= self.window[1]:
            return False
        if (len(actual) == 13) != (len(expected) == 13):
            return False
        if shift[0] is None:
            shift[0] = a - e
            return True
        return abs(a - e - shift[0]) <= _SHIFT_TOLERANCE_MS


def _same_row(actual: list[str], expected: list[str], clock: Clock) -> bool:
    if len(actual) != len(expected):
        return False
    shift = [clock.shift]
    if all(clock.same(a, e, shift) for a, e in zip(actual, expected, strict=True)):
        clock.shift = shift[0]
        return True
    return False


def compare_table(actual: str, expected: str, ordered: bool, clock: Clock | None = None) -> str | None:
    """None when the CLI's table has the tutorial's header and rows, else what differs."""
    clock = clock or Clock()
    a_head, a_rows = table_cells(actual)
    e_head, e_rows = table_cells(expected)
    if a_head != e_head:
        return f"header {a_head}, the tutorial's {e_head}"
    if ordered:
        for n, (a, e) in enumerate(zip(a_rows, e_rows, strict=False)):
            if not _same_row(a, e, clock):
                return f"row {n + 1}: {'|'.join(a)}, the tutorial's {'|'.join(e)}"
        if len(a_rows) != len(e_rows):
            return f"{len(a_rows)} rows, the tutorial's {len(e_rows)}: {_listing(a_rows)}"
        return None
    left = list(a_rows)
    missing = []
    for e in e_rows:
        hit = next((i for i, a in enumerate(left) if _same_row(a, e, clock)), None)
        if hit is None:
            missing.append(e)
        else:
            left.pop(hit)
    if missing or left:
        return f"missing {_listing(missing)}; extra {_listing(left)} (order not compared)"
    return None


def _listing(rows: list[list[str]]) -> str:
    shown = "; ".join("|".join(r) for r in rows[:6])
    return f"[{shown}{'; ...' if len(rows) > 6 else ''}]"


def compare_json(actual: str, expected: str) -> str | None:
    """Rows the Cloud console shows as JSON objects: each must be a row the CLI printed, its values as
    the CLI prints them (`Objects.toString` of what Jackson read)."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    wanted, i = [], 0
    text = expected.strip()
    while i < len(text):
        obj, i = decoder.raw_decode(text, i)
        wanted.append({k: cell(v) for k, v in obj.items()})
        i += len(text[i:]) - len(text[i:].lstrip())
    head, rows = table_cells(actual)
    got = [dict(zip(head, r, strict=False)) for r in rows]
    missing = [w for w in wanted if not any(all(g.get(k) == v for k, v in w.items()) for g in got)]
    return f"not printed: {missing}; printed: {got[:4]}" if missing else None


def compare_lines(actual: str, expected: str, loose: bool) -> str | None:
    a = [ln.strip() for ln in actual.splitlines() if ln.strip()]
    e = [ln.strip() for ln in expected.splitlines() if ln.strip()]
    if loose:
        missing = [x for x in e if not any(x in y for y in a)]
        return f"not printed: {missing}" if missing else None
    if a != e:
        return f"printed {a[:12]}, the tutorial's {e[:12]}"
    return None


# --- running a README ------------------------------------------------------------------------------------


def compose_properties(compose: Path) -> dict[str, str]:
    """The ksqlDB server's properties from a docker-compose file (`KSQL_KSQL_X_Y` is `ksql.x.y`, `KSQL_X`
    the streams/client property `x`), as the ksqlDB image maps them; see `tutorials.server_properties`."""
    if not compose.is_file():
        return {}
    try:
        doc = yaml.safe_load(compose.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return {}
    for service in (doc.get("services") or {}).values():
        env = (service or {}).get("environment") or {}
        if "ksqldb-server" not in str((service or {}).get("image", "")) or not isinstance(env, dict):
            continue
        props = {
            k[5:].lower().replace("_", "."): str(v)
            for k, v in env.items()
            if k.startswith("KSQL_") and not k.startswith(("KSQL_CONNECT_", "KSQL_LOG4J", "KSQL_OPTS"))
        }
        # an unprefixed Kafka Streams property of the server file applies to every query (KsqlConfig)
        if "cache.max.bytes.buffering" in props:
            props.setdefault("ksql.streams.cache.max.bytes.buffering", props["cache.max.bytes.buffering"])
        return props
    return {}


class _Page:
    def __init__(self, page: str, props: dict[str, str], text: str) -> None:
        self.page = page
        self.engine, self.driver = new_engine(props)
        self.session = CliSession(self.engine, 0)
        self.literals = set(re.findall(r"\b1\d{12}\b", text))  # epoch millis the tutorial's statements type
        self.started = int(time.time() * 1000)

    def close(self) -> None:
        self.engine.close()


def _error_of(output: str) -> str | None:
    m = re.search(r"\x1b\[31m(.*?)\x1b\[0m", output, re.DOTALL)
    return m.group(1).splitlines()[0] if m else None


def _ordered(page: _Page, stmt: str, prose: str) -> bool:
    if re.search(r"order (may|might|can|will) (vary|differ)", prose, re.IGNORECASE):
        return False
    if re.search(r"\bJOIN\b", code_of(stmt), re.IGNORECASE):
        return False
    for name in _SOURCE_RE.findall(code_of(stmt)):
        source = page.engine.state.metastore.get(name[1:-1] if name.startswith("`") else name.upper())
        info = page.driver.topic(source.topic) if source is not None else None
        if info is not None and info.partitions > 1:
            return False
    return True


def _run_statement(page: _Page, step: Step, part: str, prose: str, out: list[Outcome]) -> None:
    stmt = step.text
    bare, _ = strip_comments(stmt)
    if not _STARTER_RE.match(bare):
        out.append(Outcome(page.page, part, step.line, "statement", stmt, NA, "not a ksqlDB statement"))
        return
    if _CONNECTOR_RE.match(bare):
        page.session.blockers.append("needs a Kafka Connect worker (connector statements)")
        out.append(Outcome(page.page, part, step.line, "statement", stmt, NA, "needs Kafka Connect"))
        if step.expected is not None:
            out.append(Outcome(page.page, part, step.expected.line, "output", stmt, NA, "needs Kafka Connect"))
        return
    if step.expected is not None and "+-" in step.expected.text:
        page.session.column_width = cell_width(step.expected.text)
    elif step.expected is not None and step.expected.text.lstrip().startswith("{"):
        page.session.column_width = 100_000  # rows shown as JSON objects: no wrapping to undo
    else:
        page.session.column_width = 0
    blockers = list(page.session.blockers)
    output = page.session.handle(stmt)
    clock = Clock((page.started - 7 * _DAY_MS, int(time.time() * 1000) + 7 * _DAY_MS), page.literals)
    error = _error_of(output)
    new_blockers = [b for b in page.session.blockers if b not in blockers]
    if error is None:
        out.append(Outcome(page.page, part, step.line, "statement", stmt, OK))
    elif page.session.blockers:  # an error that follows from what this runner has not got
        why = (new_blockers or page.session.blockers)[0]
        out.append(Outcome(page.page, part, step.line, "statement", stmt, NA, f"{why}: {error}"))
    else:
        out.append(Outcome(page.page, part, step.line, "statement", stmt, ERROR, error))
    if step.expected is None:
        return
    expected = step.expected.text
    known = next((k for (pg, head), k in NOT_APPLICABLE.items() if pg == page.page and stmt.startswith(head)), None)
    if expected.lstrip().startswith("{"):
        diff = compare_json(output, expected)
    elif "+-" in expected and "|" in expected:
        diff = compare_table(output, expected, _ordered(page, stmt, prose), clock)
    else:
        diff = compare_lines(output, expected, loose=bool(re.match(r"^\s*PRINT\b", bare, re.IGNORECASE)))
    if error is not None and diff is not None:
        diff = f"error: {error}"
    if diff is None:
        status, reason = PASS, ""
    elif known and re.search(known[1], diff):
        status, reason = NA, f"{known[0]}: {diff}"
    elif page.session.blockers:
        status, reason = NA, f"{'; '.join(page.session.blockers)}: {diff}"
    else:
        status, reason = FAIL, diff
    out.append(Outcome(page.page, part, step.expected.line, "output", stmt, status, reason))


def run_readme(page: str, readme: str, props: dict[str, str]) -> list[Outcome]:
    out: list[Outcome] = []
    for part, text, first_line in parts(readme):
        part_steps = steps(text, first_line)
        opened = next((i for i, s in enumerate(part_steps) if s.kind == "cli"), None)
        if part == "page" and opened is not None:  # what comes before the CLI opens illustrates the page
            part_steps = part_steps[opened + 1 :]
        session = _Page(page, cloud_properties(props) if part == "cloud" else props, "\n".join(s.text for s in part_steps))
        if part == "cloud":
            session.session.props.update(ui_properties(text))
        lines = readme.splitlines()
        try:
            for s in part_steps:
                if s.kind == "topic":
                    if session.driver.topic(s.text) is None:
                        session.driver.create_topic(s.text, 1, 1)
                elif s.kind == "produce":
                    console_producer(session.driver, s.text, s.data)
                    session.engine.drain()
                elif s.kind == "value":
                    value = json.dumps(json.loads(s.data), separators=(",", ":")) if s.data.lstrip().startswith("{") else s.data
                    session.driver.produce(s.text, [Record(None, value.strip().encode(), int(time.time() * 1000))])
                    session.engine.drain()
                elif s.kind == "sql":
                    end = s.expected.line if s.expected is not None else s.line
                    prose = "\n".join(lines[max(0, end - 4) : end])
                    _run_statement(session, s, part, prose, out)
        finally:
            session.close()
    return out


def cloud_properties(props: dict[str, str]) -> dict[str, str]:
    """The Cloud part's server: the local one's properties with the processing log stream made and rows
    logged (Confluent Cloud has KSQL_PROCESSING_LOG, and its deserialization errors carry recordB64, which
    ProcessingLogConfig's `ksql.logging.processing.rows.include` (default false) leaves out)."""
    return {
        **props,
        "ksql.logging.processing.stream.auto.create": "true",
        "ksql.logging.processing.rows.include": "true",
    }


def ui_properties(text: str) -> dict[str, str]:
    """The query properties the Cloud part sets in the editor's UI, as the session's properties."""
    out = {}
    if re.search(r"`auto\.offset\.reset` to `Earliest`", text, re.I):
        out["auto.offset.reset"] = "earliest"
    if m := re.search(r"`cache\.max\.bytes\.buffering` with value `(\d+)`", text):
        out["cache.max.bytes.buffering"] = m.group(1)
    return out


def readmes(checkout: Path) -> Iterator[Path]:
    yield from sorted(checkout.glob("*/ksql/README.md"))


def sweep(checkout: Path, only: str | None = None) -> Report:
    report = Report()
    props = compose_properties(checkout / "docker" / "docker-compose-ksqldb.yml")
    for path in readmes(checkout):
        page = path.relative_to(checkout).as_posix()
        if only and only not in page:
            continue
        report.outcomes.extend(run_readme(page, path.read_text(encoding="utf-8"), props))
    return report


# --- recipes ---------------------------------------------------------------------------------------------


def run_recipe(name: str, folder: Path) -> list[Outcome]:
    """process.sql then manual.sql of one recipe, statement by statement in one CLI session."""
    out: list[Outcome] = []
    session = _Page(name, {"ksql.streams.auto.offset.reset": "earliest"}, "")
    made_by_hand = (folder / "manual.sql").is_file()
    try:
        for file in ("process.sql", "manual.sql"):
            path = folder / file
            if not path.is_file():
                continue
            for offset, stmt in split(path.read_text(encoding="utf-8")):
                bare = code_of(stmt)
                # a source a connector would have made: its topic exists when the recipe's data is entered
                if re.match(r"^\s*CREATE\b", bare, re.I) and not re.search(r"\bAS\s+SELECT\b|\bPARTITIONS\s*=", bare, re.I):
                    for topic in TOPIC_RE.findall(bare):
                        if session.driver.topic(topic) is None:
                            session.driver.create_topic(topic, 1, 1)
                before = len(out)
                _run_statement(session, Step("sql", offset + 1, stmt), file, "", out)
                o = out[before]
                if o.status == ERROR and not made_by_hand and re.search(r"does not exist|unknown", o.reason, re.I):
                    o.status, o.reason = NA, f"reads a source a connector creates (no manual.sql): {o.reason}"
    finally:
        session.close()
    return out


def sweep_recipes(checkout: Path, only: str | None = None) -> Report:
    report = Report()
    for folder in sorted({p.parent for p in (checkout / "docs").glob("*/*/process.sql")}):
        name = folder.relative_to(checkout).as_posix()
        if only and only not in name:
            continue
        report.outcomes.extend(run_recipe(name, folder))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ksqlserver.conformance.tutorials_md",
        description="Run Confluent's tutorials READMEs (or ksqlDB recipes) and compare the CLI's outputs.",
    )
    parser.add_argument("checkout", type=Path, help="a confluentinc/tutorials (or ksqldb-recipes) checkout")
    parser.add_argument("--recipes", action="store_true", help="the checkout is confluentinc/ksqldb-recipes")
    parser.add_argument("--json", type=Path, help="write every outcome to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every error, failure and n.a.")
    parser.add_argument("-k", dest="only", help="only the pages whose path contains this")
    args = parser.parse_args(argv)
    if not args.checkout.is_dir():
        parser.error(f"not a directory: {args.checkout}")
    logging.disable(logging.CRITICAL)  # engine errors show in the outcomes; their tracebacks are noise
    report = sweep_recipes(args.checkout, args.only) if args.recipes else sweep(args.checkout, args.only)
    for o in report.outcomes:
        if o.status in (ERROR, FAIL) or (args.verbose and o.status == NA):
            first = o.text.splitlines()[0][:100]
            print(f"[{o.status}] {o.page}:{o.line} ({o.part} {o.kind}) {first}")
            print("    " + o.reason.replace("\n", "\n    ")[:1500])
    print(report.summary())
    if args.json:
        args.json.write_text(json.dumps(report.to_json(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
