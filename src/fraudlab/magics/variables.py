"""ksqlDB's variable substitution, done before a statement is sent (as ksqlDB's CLI keeps its session
variables): `${name}` is replaced by the variable's value, `$${` escapes a reference, and names are
case-insensitive. DEFINE'd variables come first, then the notebook's own Python variables."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from fraudlab.magics.errors import MagicUsageError

_REFERENCE = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SCALARS = (str, int, float, bool, Decimal, PurePath)


def valid_name(name: str) -> bool:
    return bool(_NAME.match(name))


def python_value(namespace: Mapping[str, Any], name: str) -> str | None:
    """A notebook variable as text, if it is a plain value (a function or a module is not a value)."""
    if name not in namespace:
        return None
    value = namespace[name]
    if isinstance(value, _SCALARS):
        return str(value)
    item = getattr(value, "item", None)
    if type(value).__module__ == "numpy" and callable(item) and getattr(value, "ndim", None) == 0:
        return str(item())  # a numpy scalar
    return None


def substitute(text: str, lookup: Callable[[str], str | None]) -> str:
    """Replace every `${name}`; an unknown name is an error naming it (ksqlDB would send it on and fail
    to parse; here it is caught before anything runs)."""
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$${":
            return "${"
        name = match.group(1)
        value = lookup(name)
        if value is None:
            missing.append(name)
            return match.group(0)
        return value

    out = _REFERENCE.sub(replace, text)
    if missing:
        names = ", ".join(f"${{{n}}}" for n in dict.fromkeys(missing))
        raise MagicUsageError(
            f"no value for {names}: DEFINE it (DEFINE name = 'value';) or set a Python variable of that name"
        )
    return out


class Variables:
    """The session's DEFINE'd variables (case-insensitive), in front of the notebook's namespace."""

    def __init__(self, namespace: Mapping[str, Any] | None = None) -> None:
        self.defined: dict[str, tuple[str, str]] = {}  # lower-case name -> (name as written, value)
        self.namespace: Mapping[str, Any] = namespace if namespace is not None else {}

    def define(self, name: str, value: str) -> None:
        if not valid_name(name):
            raise MagicUsageError(f"{name!r} is not a variable name (a letter or _, then letters, digits, _)")
        self.defined[name.lower()] = (name, value)

    def undefine(self, name: str) -> bool:
        return self.defined.pop(name.lower(), None) is not None

    def lookup(self, name: str) -> str | None:
        hit = self.defined.get(name.lower())
        if hit is not None:
            return hit[1]
        return python_value(self.namespace, name)

    def render(self, text: str) -> str:
        return substitute(text, self.lookup)

    def items(self) -> list[tuple[str, str]]:
        return [(name, value) for name, value in self.defined.values()]
