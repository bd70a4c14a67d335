"""The one code generator: Python source built line by line, compiled once, run per record.

The expression compiler, the generated fast loops and the fast JSON writer all build a function as text
and compile it once per query (or schema). `Emitter` is that machinery: lines at the current indentation,
values bound into the generated module's namespace under fresh names, a guard that sends what the fast
code cannot decide exactly to a fallback, and one `build` that compiles the source and returns the
function. Everything generated comes from typed plans and schemas, never from record data.

This module imports nothing of the engine, so formats (which own their decode and encode snippets) may use
it as they use the standard library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

INDENT = "    "


class Emitter:
    """Source lines of one generated module plus its namespace.

    `ns` may be shared with another emitter (the expression compiler's bound functions stay visible to
    the loop built around them)."""

    def __init__(self, ns: dict[str, Any] | None = None, prefix: str = "_b") -> None:
        self.ns: dict[str, Any] = {} if ns is None else ns
        self.lines: list[str] = []
        self.depth = 0
        self._prefix = prefix
        self._n = 0
        self._bound: dict[int, str] = {}  # id(value) -> name, for values bound more than once

    # text -----------------------------------------------------------------------------------------
    def line(self, *texts: str) -> None:
        """Lines at the current indentation (each may start with further indentation of its own)."""
        pad = INDENT * self.depth
        self.lines += [pad + x for x in texts]

    def extend(self, lines: Iterable[str]) -> None:
        """Lines already indented relative to the current depth."""
        self.line(*lines)

    @contextmanager
    def block(self, header: str | None = None) -> Iterator[None]:
        """`header` (ending with a colon) and the lines emitted inside the `with`, one level deeper."""
        if header is not None:
            self.line(header)
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def guard(self, cond: str, fallback: Iterable[str] | str) -> None:
        """Unless `cond` holds, run `fallback` (lines; usually the generic path for this record and a
        `continue`)."""
        with self.block(f"if not ({cond}):"):
            self.line(*([fallback] if isinstance(fallback, str) else fallback))

    # names ----------------------------------------------------------------------------------------
    def fresh(self, hint: str | None = None) -> str:
        """A name not used in this namespace yet."""
        self._n += 1
        name = f"{hint or self._prefix}{self._n}"
        while name in self.ns:
            self._n += 1
            name = f"{hint or self._prefix}{self._n}"
        return name

    def bind(self, value: Any, name: str | None = None) -> str:
        """The name under which the generated code sees `value` (bound once per object, unless `name`
        is given: then exactly that name)."""
        if name is not None:
            self.ns[name] = value
            return name
        key = id(value)
        if key in self._bound and self.ns.get(self._bound[key]) is value:
            return self._bound[key]
        name = self.fresh()
        self.ns[name] = value
        self._bound[key] = name
        return name

    # result ---------------------------------------------------------------------------------------
    def source(self) -> str:
        return "\n".join(self.lines) + "\n"

    def build(self, name: str, filename: str | None = None) -> Callable[..., Any]:
        """Compile the lines and return the function `name` they define."""
        code = compile(self.source(), filename or f"<ksql {name}>", "exec")
        exec(code, self.ns)  # generated from typed plans and schemas only
        return self.ns[name]  # type: ignore[no-any-return]
