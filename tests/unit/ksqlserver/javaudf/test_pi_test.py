"""ksqlDB 0.29 PiTest (function/udf/math): shouldReturnPi; Pi.pi() is Math.PI."""

from __future__ import annotations

import math
from typing import Any

import pytest


def test_pi(call: Any, udf: Any) -> None:
    assert call("PI", []) == pytest.approx(math.pi, abs=1e-15)
    r = udf.select("PI()")
    assert r.values == [math.pi] and r.types == ["DOUBLE"]
