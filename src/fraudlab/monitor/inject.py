"""Injected drift for offline checks: `amount*3@30h` multiplies Amount by 3 from hour 30 of
transaction time on, `V14+2@30h` adds 2 to V14 (operators * / + -; the hour may be fractional)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fraudlab.monitor.errors import MonitorError

_SPEC = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*([*+/-])\s*([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*"
                   r"@\s*(\d+(?:\.\d+)?)\s*h?\s*$")


@dataclass(frozen=True)
class Injection:
    feature: str
    op: str
    value: float
    at_hour: float

    @property
    def at_s(self) -> float:
        return self.at_hour * 3600.0

    def apply(self, matrix: np.ndarray, names: Sequence[str], time_s: np.ndarray) -> None:
        """In place, on the rows at or after `at_hour`."""
        col = list(names).index(self.feature)
        rows = np.asarray(time_s) >= self.at_s
        v = matrix[rows, col]
        matrix[rows, col] = {"*": v * self.value, "/": v / self.value,
                             "+": v + self.value, "-": v - self.value}[self.op]

    def __str__(self) -> str:
        return f"{self.feature}{self.op}{self.value:g}@{self.at_hour:g}h"


def parse(spec: str, features: Sequence[str]) -> Injection:
    """`FEATURE OP NUMBER @ HOURS[h]`; the feature is matched case-insensitively."""
    m = _SPEC.match(spec)
    if m is None:
        raise MonitorError(f"--inject {spec!r}", "expected FEATURE OP NUMBER@HOURh with OP one of * / + - "
                                                  "(e.g. amount*3@30h or V14+2@30h)")
    name, op, value, hour = m.groups()
    by_lower = {f.lower(): f for f in features}
    feature = by_lower.get(name.lower())
    if feature is None:
        raise MonitorError(f"--inject {spec!r}", f"unknown feature {name!r} (one of {', '.join(features)})")
    if feature == "Time":
        raise MonitorError(f"--inject {spec!r}", "Time is the clock the injection is placed on; pick a feature")
    if op == "/" and float(value) == 0.0:
        raise MonitorError(f"--inject {spec!r}", "division by zero")
    return Injection(feature, op, float(value), float(hour))
