"""The docs sweep's pages: ksqlDB's documentation text -> code blocks -> KSQL statements, and what can be
told about a statement before running it (not applicable here, its kind). See `docs.py` for the sweep."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

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
INVALID_RE = re.compile(
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
    # The SQL literal unescapes to `hh 'o'clock' a, zzzz`: `l` falls outside the quotes, and
    # DateTimeFormatter refuses it ("Unknown pattern letter: l").
    ("reference/sql/time.md", "CREATE STREAM TEST (id BIGINT KEY, event_timestamp VARCHAR)\n  WITH (\n"
     "    kafka_topic='test_topic',\n    value_format='JSON',\n    timestamp='event_timestamp',\n"
     "    timestamp_format='hh ''o''clock'' a, zzzz'"):
        "docs typo: the quote before `clock` needs doubling",
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
    # MapBuilder fills a java.util.HashMap: "banana" hashes to bucket 0, "apple" to bucket 1.
    "map_keys( map('apple' := 10, 'banana' := 20) )": "a MAP literal is a HashMap: keys in bucket order",
    "map_values( map('apple' := 10, 'banana' := 20) )": "a MAP literal is a HashMap: values in bucket order",
}
_CLI_ONLY_RE = re.compile(r"^\s*(RUN\s+SCRIPT|SPOOL|HISTORY|VERSION|EXIT|SERVER)\b", re.IGNORECASE)
TOPIC_RE = re.compile(r"KAFKA_TOPIC\s*=\s*'([^']*)'", re.IGNORECASE)
PARTITIONS_RE = re.compile(r"\bPARTITIONS\s*=", re.IGNORECASE)
CREATE_NAME_RE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:SOURCE\s+)?(?:STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    r"(`[^`]+`|[A-Za-z_][A-Za-z0-9_@]*)",
    re.IGNORECASE,
)
MISSING_RE = re.compile(
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
            if code_of(stmt).strip(" \n\t;"):
                yield start_line + _leading_lines(stmt), stmt.strip()
            i += 1
            start, start_line = i, line
        else:
            if c == "\n":
                line += 1
            i += 1
    rest = text[start:]
    if code_of(rest).strip():
        yield start_line + _leading_lines(rest), rest.strip()


def _leading_lines(stmt: str) -> int:
    return len(stmt) - len(stmt.lstrip("\n")) if stmt.strip() else 0


def code_of(text: str) -> str:
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
    bare = _unquoted(code_of(text))
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
    bare = _unquoted(code_of(text)).upper()
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
