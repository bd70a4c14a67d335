"""Where Java's Double.toString writes a double as plain text: the one statement of the rule.

Java writes a double plainly (`1234.5`, `0.00123`) when its magnitude is in [1e-3, 1e7), else in
computerised scientific notation (`1.0E7`, `1.0E-4`). Inside that range Python's shortest repr is Java's
text, digit for digit (zeros too: `0.0`, `-0.0`), which is what every fast writer relies on. The Python
writer (`javatext`), the C writer (`native/javatext.c`, built with these bounds as -D flags) and the
generated loops' checks (`repr_is_java`) all take the bounds from here.
"""

from __future__ import annotations

PLAIN_MIN = 1e-3
PLAIN_MAX = 1e7

# the C writer's bounds (formats/native/javatext.c refuses to build without them)
C_DEFINES = {"JAVA_PLAIN_MIN": repr(PLAIN_MIN), "JAVA_PLAIN_MAX": repr(PLAIN_MAX)}


def is_plain(d: float) -> bool:
    """Whether Java writes `d` (finite, non-zero) as plain text."""
    return PLAIN_MIN <= d < PLAIN_MAX or -PLAIN_MAX < d <= -PLAIN_MIN


def repr_is_java(var: str) -> str:
    """Python code, true where `repr(<var>)` (a float) is Java's Double.toString: the plain range, and the
    zeros."""
    lo, hi = repr(PLAIN_MIN), repr(PLAIN_MAX)
    return f"({lo} <= {var} < {hi} or -{hi} < {var} <= -{lo} or {var} == 0.0)"
