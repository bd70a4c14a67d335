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
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ksqlserver.config import EngineConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError
from ksqlserver.formats.sr.client import MemoryRegistryClient

SECTIONS = (
    "tutorials",
    "how-to-guides",
    "reference/sql",
    "developer-guide/ksqldb-reference",
    "developer-guide/joins",
    "concepts",
)
OK, ERROR, BLOCKED, NA = "ok", "error", "blocked", "na"
STATUSES = (OK, ERROR, BLOCKED, NA)

STARTERS = (
    "SELECT", "CREATE", "INSERT", "DROP", "SHOW", "LIST", "DESCRIBE", "EXPLAIN", "TERMINATE", "SET",
    "UNSET", "DEFINE", "UNDEFINE", "PRINT", "ALTER", "ASSERT", "PAUSE", "RESUME", "RUN", "SPOOL",
)
_STARTER_RE = re.compile(r"^\s*(?:ksql>\s*)?(" + "|".join(STARTERS) + r")\b", re.IGNORECASE)
_FENCE_RE = re.compile(r"^(\s*)```\s*([A-Za-z]*)(.*)$")
# a shell command that opens another database's client, or prose that sends the reader into one
_EXTERNAL_RE = re.compile(
    r"\b(mysql|psql|mongo|sqlplus|sqlcmd)\b(?!\.)|\b(MySQL|Postgres(?:QL)?|MongoDB)\s+(CLI|shell|prompt|session)\b",
)
# prose that says the block is wrong on purpose
_INVALID_RE = re.compile(
    r"\b(invalid|isn't valid|is not valid|not allowed|isn't allowed|fails?|error|doesn't work|won't work|"
    r"not supported|isn't supported|incorrect|rejects?)\b",
    re.IGNORECASE,
)
_CONNECTOR_RE = re.compile(
    r"^\s*(CREATE\s+(SOURCE|SINK)\s+CONNECTOR|DROP\s+CONNECTOR|DESCRIBE\s+CONNECTOR|SHOW\s+(SOURCE\s+|SINK\s+)?"
    r"CONNECTORS|LIST\s+(SOURCE\s+|SINK\s+)?CONNECTORS|SHOW\s+CONNECTOR\s+PLUGINS|CREATE\s+CONNECTOR)\b",
    re.IGNORECASE,
)
# placeholder words of the reference pages' syntax blocks
_PLACEHOLDER_RE = re.compile(
    r"\b(?:column_name|table_name|stream_name|source_name|query_id|from_stream|from_table|from_item|"
    r"aggregate_function|window_expression|data_type|function_name|connector_name|type_name|topic_name|"
    r"property_name|sourceName|tableElements|tableProperties|subjectName|topicName|new_stream|new_table|"
    r"stream_or_table|table_or_stream|select_expr|where_condition|window_size|join_criteria)\b"
)
# the testing tool's statements (`ksql-test-runner`), not the server's
_TEST_TOOL_RE = re.compile(r"^\s*ASSERT\s+(NULL\s+)?(VALUES|STREAM|TABLE)\b", re.IGNORECASE)
# statements the docs print with a mistake real ksqlDB rejects too: (page, line) -> the mistake
DOCS_ERRATA: dict[tuple[str, str], str] = {
    ("how-to-guides/query-structured-data.md", "SELECT a->d"): "missing commas between select items",
    ("how-to-guides/use-lambda-functions.md", "CREATE STREAM output4"): "missing comma between arguments",
    ("how-to-guides/use-lambda-functions.md", "INSERT INTO stream4"): "unbalanced brackets in MAP literal",
    ("reference/sql/data-definition.md", "CREATE TABLE users"): "missing comma between columns",
    ("developer-guide/ksqldb-reference/create-table-as-select.md", "CREATE TABLE weeklyMusicCharts"):
        "WINDOW TUMBLING without SIZE",
    ("developer-guide/ksqldb-reference/scalar-functions.md", "CREATE TABLE AGG AS"): "missing comma",
    ("developer-guide/ksqldb-reference/select-push-query.md", "CREATE STREAM shipped_orders"): "missing comma",
    ("how-to-guides/substitute-variables.md", "SELECT '$${format}' FROM stream"):
        "STREAM is a reserved word (a source name that needs back-quotes)",
    ("developer-guide/ksqldb-reference/type-coercion.md", "SELECT * FROM FOO WHERE A IN ["):
        "IN with brackets (ksqlDB's IN takes parentheses)",
}
# statements the docs print that ksqlDB 0.29 rejects too (checked against its source): the engine must
# reject them as well; (page, statement start) -> why
KSQLDB_REJECTS: dict[tuple[str, str], str] = {
    ("how-to-guides/test-an-app.md", "CREATE OR REPLACE STREAM b AS SELECT id, col1 FROM a"):
        "the page's own test expects this upgrade error",
    ("how-to-guides/update-a-running-persistent-query.md", "CREATE STREAM purchases ("):
        "KAFKA_TOPIC is required (CreateConfigs)",
    ("how-to-guides/update-a-running-persistent-query.md", "CREATE OR REPLACE STREAM purchases ("):
        "KAFKA_TOPIC is required (CreateConfigs)",
    ("how-to-guides/use-lambda-functions.md", "CREATE STREAM stream4 ("): "DECIMAL(2,3): scale above precision",
    ("reference/sql/data-definition.md", "CREATE STREAM s5 AS SELECT FROM_BYTES"):
        "a stream's key column must be selected (DataSourceNode.validateKeyPresent)",
    ("developer-guide/ksqldb-reference/alter-system.md", "ALTER SYSTEM"): "needs shared runtimes (Cloud only)",
    ("developer-guide/ksqldb-reference/quick-reference.md", "ALTER SYSTEM"): "needs shared runtimes (Cloud only)",
    ("developer-guide/ksqldb-reference/create-stream-as-select.md", "CREATE STREAM foo WITH (TIMESTAMP='t2')"):
        "WINDOW without GROUP BY",
    ("developer-guide/ksqldb-reference/create-table-as-select.md", "CREATE TABLE foo WITH (TIMESTAMP='t2')"):
        "WINDOW without GROUP BY",
    ("developer-guide/ksqldb-reference/select-pull-query.md", "SELECT * FROM STUDENTS\n  WHERE rank > 5"):
        "STUDENTS has no column RANK",
}
# function examples whose documented result is not what ksqlDB 0.29 returns (checked against its source)
EXAMPLE_ERRATA: dict[str, str] = {
    'REGEXP_EXTRACT("(\\\\w+) (\\\\w+)", "hello there nice day", 2)': "the example is REGEXP_EXTRACT_ALL's",
    'URL_ENCODE_PARAM("url encoded")': "Guava's form escaper writes a space as '+'",
    'URL_EXTRACT_PATH("http://test.com/path/to#a")': "URI.getPath keeps the leading '/'",
    'URL_EXTRACT_PORT("http://localhost:8080/path")': "the port is an INT",
}
_CLI_ONLY_RE = re.compile(r"^\s*(RUN\s+SCRIPT|SPOOL|HISTORY|VERSION|EXIT|SERVER)\b", re.IGNORECASE)
_TOPIC_RE = re.compile(r"KAFKA_TOPIC\s*=\s*'([^']*)'", re.IGNORECASE)
_PARTITIONS_RE = re.compile(r"\bPARTITIONS\s*=", re.IGNORECASE)
_CREATE_NAME_RE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:SOURCE\s+)?(?:STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    r"(`[^`]+`|[A-Za-z_][A-Za-z0-9_@]*)",
    re.IGNORECASE,
)
_MISSING_RE = re.compile(
    r"unknown stream/table: `([^`]+)`|Could not find STREAM/TABLE '([^']+)'|(?:(?:Stream|Table|Source|stream or table|stream/table)\s+)?`?([A-Za-z_][A-Za-z0-9_@]*)`?\s+does not exist",
    re.IGNORECASE,
)


@dataclass
class Block:
    page: str
    line: int
    lang: str
    text: str
    prose: str  # the page's text just before the block
    external: bool = False  # SQL for another system (a database the tutorial sets up)


@dataclass
class Statement:
    page: str
    line: int
    text: str
    prose: str = ""  # the prose before its block
    external: bool = False
    comments: str = ""  # the comment lines just before it in its block


@dataclass
class Outcome:
    page: str
    section: str
    line: int
    text: str
    status: str
    reason: str = ""
    kind: str = ""


@dataclass
class SweepReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def counts(self, section: str | None = None) -> Counter[str]:
        return Counter(o.status for o in self.outcomes if section is None or o.section == section)

    def summary(self) -> str:
        lines = [f"{'section':40} {'stmts':>6} " + " ".join(f"{s:>7}" for s in STATUSES)]
        for section in [*sorted({o.section for o in self.outcomes}), None]:
            c = self.counts(section)
            name = "TOTAL" if section is None else section
            lines.append(f"{name:40} {sum(c.values()):6} " + " ".join(f"{c[s]:7}" for s in STATUSES))
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        by_section = {
            s: dict(self.counts(s)) for s in sorted({o.section for o in self.outcomes})
        }
        return {"totals": dict(self.counts()), "sections": by_section, "outcomes": [asdict(o) for o in self.outcomes]}


# --- extraction ----------------------------------------------------------------------------------------


def blocks(text: str, page: str = "") -> Iterator[Block]:
    """The fenced code blocks of a Markdown page that may hold KSQL (indented fences included)."""
    lines = text.splitlines()
    i, prose_start, external = 0, 0, False
    while i < len(lines):
        m = _FENCE_RE.match(lines[i])
        if not m:
            if lines[i].startswith("#"):  # a new section of the page: back to ksqlDB
                external = False
            i += 1
            continue
        indent, lang = len(m.group(1)), m.group(2).lower()
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith("```"):
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i].lstrip())
            i += 1
        prose = "\n".join(lines[max(prose_start, start - 6):start])
        i += 1
        prose_start = i
        content = "\n".join(body)
        is_ksql = lang == "sql" or (lang == "" and _looks_like_ksql(content))
        # another system's SQL (after its shell or prose naming it) until the page comes back to ksqlDB
        here = prose if is_ksql else prose + "\n" + content
        if re.search(r"\bksql", here, re.IGNORECASE):
            external = False
        elif _EXTERNAL_RE.search(here):
            external = True
        if is_ksql:
            yield Block(page, start + 2, lang, content, prose, external)


def _looks_like_ksql(content: str) -> bool:
    first = next((ln for ln in content.splitlines() if ln.strip()), "")
    return bool(_STARTER_RE.match(first))


def _strip_prompts(text: str) -> str:
    """A CLI transcript keeps only what was typed: `ksql> ` lines and their `> ` continuations."""
    if not re.search(r"^\s*ksql>", text, re.MULTILINE):
        return text
    kept: list[str] = []
    typing = False
    for ln in text.splitlines():
        s = ln.lstrip()
        if s.startswith("ksql>"):
            kept.append(s[5:])
            typing = not s.rstrip().endswith(";")
        elif typing and s.startswith(">"):
            kept.append(s[1:])
            typing = not s.rstrip().endswith(";")
        elif typing and s and not s.startswith(("+", "|", "-")):
            kept.append(ln)
            typing = not s.rstrip().endswith(";")
        else:
            typing = False
    return "\n".join(kept)


def split(text: str) -> Iterator[tuple[int, str]]:
    """(line offset, statement) for each `;`-terminated statement; a last one may lack its `;`. Quotes,
    back-quotes and comments are respected; comment-only statements are dropped."""
    i, n, start, line, start_line = 0, len(text), 0, 0, 0
    while i < n:
        c = text[i]
        if c in "'`\"":
            j = i + 1
            while j < n:
                if text[j] == c:
                    if j + 1 < n and text[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            line += text.count("\n", i, j)
            i = j + 1
        elif text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
        elif c == ";":
            stmt = text[start:i + 1]
            if _code(stmt).strip(" \n\t;"):
                yield start_line + _leading_lines(stmt), stmt.strip()
            i += 1
            start, start_line = i, line
        else:
            if c == "\n":
                line += 1
            i += 1
    rest = text[start:]
    if _code(rest).strip():
        yield start_line + _leading_lines(rest), rest.strip()


def _leading_lines(stmt: str) -> int:
    return len(stmt) - len(stmt.lstrip("\n")) if stmt.strip() else 0


def _code(text: str) -> str:
    """The text without comments."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.DOTALL)
    return re.sub(r"--[^\n]*", " ", text)


def statements(page_text: str, page: str = "") -> list[Statement]:
    out = []
    for b in blocks(page_text, page):
        body = _strip_prompts(b.text)
        for offset, text in split(body):
            if re.match(r"^\s*(\+-|\|)", text):  # a result table printed after the statement
                continue
            comments = "\n".join(ln for ln in text.splitlines() if ln.strip().startswith("--"))
            out.append(Statement(page, b.line + offset, _code_lines(text), b.prose, b.external, comments))
    return out


def _code_lines(text: str) -> str:
    """Drop whole-line comments (the docs annotate statements with them); keep the rest verbatim."""
    return "\n".join(ln for ln in text.splitlines() if not ln.strip().startswith("--")).strip()


# --- classification before running ---------------------------------------------------------------------


def _unquoted(text: str) -> str:
    return re.sub(r"'(?:[^']|'')*'|`[^`]*`", "''", text)


def not_applicable(stmt: Statement) -> str | None:
    """Why the statement cannot run here (None: run it)."""
    text = stmt.text
    bare = _unquoted(_code(text))
    if stmt.external:
        return "SQL for another system"
    if not _STARTER_RE.match(bare):
        return "expression fragment"
    for (page, head), mistake in DOCS_ERRATA.items():
        if stmt.page == page and text.startswith(head):
            return f"docs typo: {mistake}"
    if _PLACEHOLDER_RE.search(bare) or re.search(r"\)\?", bare):
        return "syntax template"
    if _TEST_TOOL_RE.match(bare):
        return "testing-tool statement"
    if re.search(r"\.\.\.|…|\{\s*[A-Za-z|]|\|(?!\|)(?<!\|\|)|\[\s*(?:[A-Z]{2,}|,|\s*\|)|<[a-z_ -]+>", bare) and not (
        "=>" in bare and "{" not in bare
    ):
        return "syntax template"
    if _CONNECTOR_RE.match(bare):
        return "needs Kafka Connect"
    if _CLI_ONLY_RE.match(bare):
        return "CLI command"
    return None


def kind_of(text: str) -> str:
    """A short statement kind for grouping: `CREATE STREAM`, `CSAS`, `SELECT (pull)`, `SHOW`, ..."""
    bare = _unquoted(_code(text)).upper()
    words = bare.split()
    if not words:
        return ""
    head = words[0]
    if head == "CREATE":
        rest = " ".join(words[1:6])
        kind = "STREAM" if re.search(r"\bSTREAM\b", rest) else "TABLE" if re.search(r"\bTABLE\b", rest) else words[1]
        return f"C{kind[0]}AS" if re.search(r"\bAS\s+SELECT\b", bare) else f"CREATE {kind}"
    if head == "SELECT":
        return "SELECT (push)" if "EMIT CHANGES" in " ".join(words) or "EMIT FINAL" in " ".join(words) else "SELECT (pull)"
    if head == "INSERT":
        return "INSERT VALUES" if re.search(r"\bVALUES\b", bare) else "INSERT INTO"
    return head


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
            properties={"ksql.streams.auto.offset.reset": "earliest"},
        ),
        driver,
        MemoryRegistryClient(),
    )
    return _Session(engine, driver)


def _create_topics(session: _Session, text: str) -> None:
    if not re.match(r"^\s*CREATE\b", text, re.IGNORECASE) or _PARTITIONS_RE.search(text):
        return
    if re.search(r"\bAS\s+SELECT\b", text, re.IGNORECASE):
        return
    for topic in _TOPIC_RE.findall(text):
        if session.driver.topic(topic) is None:
            session.driver.create_topic(topic, 1, 1)


def _created_name(text: str) -> str | None:
    m = _CREATE_NAME_RE.match(_code(text))
    if m is None:
        return None
    name = m.group(1)
    return name[1:-1] if name.startswith("`") else name.upper()


def _run_one(session: _Session, text: str) -> None:
    engine = session.engine
    if re.match(r"^\s*(SELECT|PRINT)\b", _code(text), re.IGNORECASE):
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
    m = _MISSING_RE.search(message)
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
            elif status == ERROR and _INVALID_RE.search(stmt.comments):
                status, reason = NA, "documented as an error: " + reason
            elif status == ERROR and _INVALID_RE.search(stmt.prose):
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
