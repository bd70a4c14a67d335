"""What a statement of a `%%ksql` cell is: a session command the magic handles itself (as ksqlDB's CLI
does: DEFINE, UNDEFINE, SHOW VARIABLES, SET, UNSET), a query (pull or push) or a statement for /ksql."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from fraudlab.ksql.offsets import starts_persistent_query
from fraudlab.magics.errors import MagicUsageError


class Kind(Enum):
    DEFINE = "define"
    UNDEFINE = "undefine"
    SHOW_VARIABLES = "show variables"
    SET = "set"
    UNSET = "unset"
    PULL = "pull query"
    PUSH = "push query"
    STATEMENT = "statement"


_QUOTED = re.compile(r"'(?:[^']|'')*'|`[^`]*`|\"[^\"]*\"")
_DEFINE = re.compile(r"^DEFINE\s+(\S+?)\s*=\s*'((?:[^']|'')*)'\s*;?$", re.IGNORECASE | re.DOTALL)
_UNDEFINE = re.compile(r"^UNDEFINE\s+(\S+?)\s*;?$", re.IGNORECASE)
_SET = re.compile(r"^SET\s+'((?:[^']|'')*)'\s*=\s*'((?:[^']|'')*)'\s*;?$", re.IGNORECASE | re.DOTALL)
_UNSET = re.compile(r"^UNSET\s+'((?:[^']|'')*)'\s*;?$", re.IGNORECASE)
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)\s*;?\s*$", re.IGNORECASE)


def unquote(literal: str) -> str:
    return literal.replace("''", "'")


def without_literals(sql: str) -> str:
    """The statement with quoted text blanked, so keywords inside strings or names do not count."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), sql)


@dataclass(frozen=True)
class Statement:
    text: str  # after variable substitution, ending with ';'
    kind: Kind
    name: str = ""  # DEFINE/UNDEFINE: the variable; SET/UNSET: the property
    value: str = ""  # DEFINE/SET: the value, unquoted
    sql_limit: int | None = None  # a query's own LIMIT

    @property
    def is_query(self) -> bool:
        return self.kind in (Kind.PULL, Kind.PUSH)

    @property
    def starts_persistent_query(self) -> bool:
        """CREATE ... AS SELECT and INSERT INTO ... SELECT: a query that runs on in the server."""
        return self.kind is Kind.STATEMENT and starts_persistent_query(without_literals(self.text))


def classify(text: str) -> Statement:
    sql = text.strip()
    if not sql.endswith(";"):
        sql += ";"
    bare = without_literals(sql).strip()
    head = bare.split(None, 2)
    first = head[0].upper() if head else ""
    if first == "DEFINE":
        m = _DEFINE.match(sql)
        if m is None:
            raise MagicUsageError(f"expected DEFINE name = 'value'; got: {sql}")
        return Statement(sql, Kind.DEFINE, m.group(1), unquote(m.group(2)))
    if first == "UNDEFINE":
        m = _UNDEFINE.match(sql)
        if m is None:
            raise MagicUsageError(f"expected UNDEFINE name; got: {sql}")
        return Statement(sql, Kind.UNDEFINE, m.group(1))
    if first == "SHOW" and len(head) > 1 and head[1].rstrip(";").upper() == "VARIABLES":
        return Statement(sql, Kind.SHOW_VARIABLES)
    if first == "SET":
        m = _SET.match(sql)
        if m is None:
            raise MagicUsageError(f"expected SET 'property' = 'value'; got: {sql}")
        return Statement(sql, Kind.SET, unquote(m.group(1)).strip(), unquote(m.group(2)))
    if first == "UNSET":
        m = _UNSET.match(sql)
        if m is None:
            raise MagicUsageError(f"expected UNSET 'property'; got: {sql}")
        return Statement(sql, Kind.UNSET, unquote(m.group(1)).strip())
    if first == "SELECT":
        limit = _LIMIT.search(bare)
        push = re.search(r"\bEMIT\s+(?:CHANGES|FINAL)\b", bare, re.IGNORECASE) is not None
        return Statement(sql, Kind.PUSH if push else Kind.PULL, sql_limit=int(limit.group(1)) if limit else None)
    return Statement(sql, Kind.STATEMENT)
