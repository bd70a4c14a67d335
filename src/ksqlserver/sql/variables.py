"""Variable substitution: `${name}` in a statement's text replaced by a DEFINEd value, before parsing.

As ksqlDB 0.29 does it (`DEFINE`, `UNDEFINE`, `SHOW VARIABLES`; `ksql.variable.substitution.enable`):
names are case-insensitive; a value is substituted as defined, with single quotes doubled (a value
itself wrapped in single quotes keeps them, its inner quotes doubled); `$${name}` escapes a reference to
the literal text `${name}`; a reference to an undefined name is left for the parser to reject.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from ksqlserver.errors import KsqlParseError
from ksqlserver.formats.javanum import parse_big_decimal, parse_double, parse_long
from ksqlserver.sql.parser import VariableReference

# VariableSubstitutor.VALID_IDENTIFIER_NAMES
_VALID_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_@]*")


def lookup(variables: Mapping[str, str], name: str) -> str | None:
    """The value of `name` (any case), or None."""
    if name in variables:
        return variables[name]
    upper = name.upper()
    return next((v for k, v in variables.items() if k.upper() == upper), None)


def sanitize(value: str) -> str:
    """The text a value is substituted as: single quotes doubled, outer quotes of a quoted value kept."""
    if len(value) >= 2 and value[0] == "'" and value[-1] == "'":
        return "'" + value[1:-1].replace("'", "''") + "'"
    return value.replace("'", "''")


def substitute(text: str, variables: Mapping[str, str]) -> str:
    """`text` with every `${name}` of a defined variable replaced and every `$${name}` unescaped, scanned
    as Commons Text's StringSubstitutor.substitute scans (VariableSubstitutor): an escaped prefix loses its
    `$` and the scan goes on inside it, so `$${${env}}` gives `${qa}`; a name ends at the first `}`."""
    buf = text
    pos = 0
    while pos < len(buf):
        if not buf.startswith("${", pos):
            pos += 1
            continue
        if pos > 0 and buf[pos - 1] == "$":  # escaped: the escape goes, the scan resumes at the '{'
            buf = buf[: pos - 1] + buf[pos:]
            continue
        end = buf.find("}", pos + 2)
        if end < 0:
            break
        value = lookup(variables, buf[pos + 2 : end])
        if value is None:
            pos = end + 1
            continue
        value = sanitize(value)
        buf = buf[:pos] + value + buf[end + 1 :]
        pos += len(value)
    return buf


def check_references(refs: Sequence[VariableReference], variables: Mapping[str, str], statement: str) -> None:
    """SqlSubstitutorVisitor's checks before any substitution: a reference where the grammar takes an
    identifier must hold a valid identifier (quotes aside), one where it takes a literal a quoted string, a
    boolean or a number; an undefined reference is checked as its own text. The error is the
    ParseFailedException's unlogged text (with the value), naming the reference's NodeLocation."""
    for ref in refs:
        value = lookup(variables, ref.name)
        value = ref.token.text if value is None else value
        where = f"Illegal argument at Line: {ref.token.line}, Col: {ref.token.column + 1}."
        if ref.kind == "identifier":
            text = value
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"`":
                text = value[1:-1]
            if not _VALID_IDENTIFIER.fullmatch(text):
                message = (
                    f"{where[:-1]}. Identifier names cannot start with '@' and may only contain alphanumeric "
                    f"values and '_'. Got: '{value}'"
                )
                error = KsqlParseError(message, ref.token.line, ref.token.column + 1, statement)
                raise error.append_statement(statement)  # a ParseFailedException naming the statement
        elif not _valid_literal(value):
            error = KsqlParseError(f"{where} Got: '{value}'", ref.token.line, ref.token.column + 1, statement)
            # getUnloggedMessage names the statement (/query-stream, observed on ksqlDB 0.29 built from source)
            raise error.append_statement(statement)


def _valid_literal(value: str) -> bool:
    """throwIfInvalidLiteral: a quoted string, true/false, or isNumber (Long.parseLong, a finite
    Double.parseDouble, new BigDecimal)."""
    if len(value) >= 2 and value[0] == "'" and value[-1] == "'":
        return True
    if value.lower() in ("true", "false"):
        return True
    if parse_long(value) is not None:
        return True
    d = parse_double(value)
    if d is not None and math.isfinite(d):
        return True
    return parse_big_decimal(value) is not None


def remove(variables: dict[str, str], name: str) -> bool:
    """Undefine `name` (any case); False when it was not defined."""
    key = next((k for k in variables if k.upper() == name.upper()), None)
    if key is None:
        return False
    del variables[key]
    return True


__all__ = ["check_references", "lookup", "remove", "sanitize", "substitute"]
