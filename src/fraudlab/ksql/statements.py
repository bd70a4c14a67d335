"""Statement text: splitting a `.sql` file, `${name}` substitution, quoting, and which source a CREATE makes.

`ksqlserver` has a splitter of its own (in its parser). This one is kept apart on purpose: fraudlab
talks to KSQL only through the REST API and must work against real ksqlDB 0.29 with the engine not
installed, so it cannot import `ksqlserver`. It needs less, too: comments out, `;` outside quotes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from string import Template

from fraudlab.ksql.errors import StatementError

_CREATE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:SOURCE\s+)?(STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    r"(`[^`]+`|\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_]*)",
    re.IGNORECASE,
)


def split_statements(text: str) -> list[str]:
    """Statements of a `.sql` file: `--` comments dropped, split on `;` outside quotes."""
    statements, buf, quote = [], [], ""
    for line in text.splitlines():
        i = 0
        out = []
        while i < len(line):
            ch = line[i]
            if quote:
                out.append(ch)
                if ch == quote:
                    quote = ""
            elif ch in "'`\"":
                quote = ch
                out.append(ch)
            elif line.startswith("--", i):
                break
            elif ch == ";":
                buf.append("".join(out))
                out = []
                stmt = "\n".join(buf).strip()
                if stmt:
                    statements.append(stmt + ";")
                buf = []
            else:
                out.append(ch)
            i += 1
        buf.append("".join(out))
    rest = "\n".join(buf).strip()
    if rest:
        statements.append(rest + ";")
    return statements


def render(text: str, variables: Mapping[str, object]) -> str:
    """`${name}` substitution, as ksqlDB's DEFINE variables; an unknown name is an error."""
    try:
        return Template(text).substitute({k: str(v) for k, v in variables.items()})
    except KeyError as exc:
        raise StatementError(None, text, f"no value for the variable ${{{exc.args[0]}}}") from exc


def sql_string(text: str) -> str:
    """Text for inside a single-quoted KSQL literal (a quote is doubled)."""
    return text.replace("'", "''")


def created_source(statement: str) -> tuple[str, str] | None:
    """(STREAM|TABLE, NAME as ksqlDB stores it) for a CREATE statement, else None."""
    m = _CREATE.match(statement)
    if m is None:
        return None
    name = m.group(2)
    return m.group(1).upper(), name[1:-1] if name[0] in "`\"" else name.upper()
