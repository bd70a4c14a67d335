"""Variable substitution: `${name}` in a statement's text replaced by a DEFINEd value, before parsing.

As ksqlDB 0.29 does it (`DEFINE`, `UNDEFINE`, `SHOW VARIABLES`; `ksql.variable.substitution.enable`):
names are case-insensitive; a value is substituted as defined, with single quotes doubled (a value
itself wrapped in single quotes keeps them, its inner quotes doubled); `$${name}` escapes a reference to
the literal text `${name}`; a reference to an undefined name is left for the parser to reject.
"""

from __future__ import annotations

from collections.abc import Mapping


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


def remove(variables: dict[str, str], name: str) -> bool:
    """Undefine `name` (any case); False when it was not defined."""
    key = next((k for k in variables if k.upper() == name.upper()), None)
    if key is None:
        return False
    del variables[key]
    return True


__all__ = ["lookup", "remove", "sanitize", "substitute"]
