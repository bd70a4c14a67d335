"""Trigonometric functions (java.lang.Math: NaN outside the domain, infinities on overflow)."""

from __future__ import annotations

import math
from typing import Any

from ksqlserver.functions.numeric import java_math
from ksqlserver.functions.registry import FunctionRegistry, V, udf


def cot(x: Any) -> float:
    t = math.tan(float(x))
    if t == 0:
        return math.copysign(math.inf, t)
    return 1 / t


def atan2(y: Any, x: Any) -> float:
    return math.atan2(float(y), float(x))


def register(r: FunctionRegistry) -> None:
    acos, asin, atan = java_math(math.acos), java_math(math.asin), java_math(math.atan)
    cos, cosh, sin, sinh = java_math(math.cos), java_math(math.cosh), java_math(math.sin), java_math(math.sinh, True)
    tan, tanh = java_math(math.tan), java_math(math.tanh)
    degrees, radians = java_math(math.degrees), java_math(math.radians)
    udf(r, "ACOS", "MATHEMATICAL",
        "The inverse (arc) cosine of a value. The returned value is in radians.",
        V(
            ["INT value"], "DOUBLE", acos,
            "Returns the inverse (arc) cosine of an INT value",
            docs=["The value to get the inverse cosine of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", acos,
            "Returns the inverse (arc) cosine of a BIGINT value",
            docs=["The value to get the inverse cosine of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", acos,
            "Returns the inverse (arc) cosine of a DOUBLE value",
            docs=["The value to get the inverse cosine of."],
        ),
        java_name="acos",
    )
    udf(r, "ASIN", "MATHEMATICAL",
        "The inverse (arc) sine of a value. The returned value is in radians.",
        V(
            ["INT value"], "DOUBLE", asin,
            "Returns the inverse (arc) sine of an INT value",
            docs=["The value to get the inverse sine of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", asin,
            "Returns the inverse (arc) sine of a BIGINT value",
            docs=["The value to get the inverse sine of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", asin,
            "Returns the inverse (arc) sine of a DOUBLE value",
            docs=["The value to get the inverse sine of."],
        ),
        java_name="asin",
    )
    udf(r, "ATAN", "MATHEMATICAL",
        "The inverse (arc) tangent of a value. The returned value is in radians.",
        V(
            ["INT value"], "DOUBLE", atan,
            "Returns the inverse (arc) tangent of an INT value",
            docs=["The value to get the inverse tangent of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", atan,
            "Returns the inverse (arc) tangent of a BIGINT value",
            docs=["The value to get the inverse tangent of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", atan,
            "Returns the inverse (arc) tangent of a DOUBLE value",
            docs=["The value to get the inverse tangent of."],
        ),
        java_name="atan",
    )
    udf(r, "ATAN2", "MATHEMATICAL",
        "The inverse (arc) tangent of y / x. This is equivalent to the angle theta when Cartesian "
        "coordinates (x, y) are converted to polar coordinates (radius, theta). The returned value is in "
        "radians.",
        V(
            ["INT y", "INT x"], "DOUBLE", atan2,
            "Returns the inverse (arc) tangent of y / x",
            docs=["The ordinate (y) coordinate.", "The abscissa (x) coordinate."],
        ),
        V(
            ["BIGINT y", "BIGINT x"], "DOUBLE", atan2,
            "Returns the inverse (arc) tangent of y / x",
            docs=["The ordinate (y) coordinate.", "The abscissa (x) coordinate."],
        ),
        V(
            ["DOUBLE y", "DOUBLE x"], "DOUBLE", atan2,
            "Returns the inverse (arc) tangent of y / x",
            docs=["The ordinate (y) coordinate.", "The abscissa (x) coordinate."],
        ),
        java_name="atan2",
    )
    udf(r, "COS", "MATHEMATICAL",
        "The cosine of a value.",
        V(
            ["INT value"], "DOUBLE", cos,
            "Returns the cosine of an INT value",
            docs=["The value in radians to get the cosine of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", cos,
            "Returns the cosine of a BIGINT value",
            docs=["The value in radians to get the cosine of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", cos,
            "Returns the cosine of a DOUBLE value",
            docs=["The value in radians to get the cosine of."],
        ),
        java_name="cos",
    )
    udf(r, "COSH", "MATHEMATICAL",
        "The hyperbolic cosine of a value.",
        V(
            ["INT value"], "DOUBLE", cosh,
            "Returns the hyperbolic cosine of an INT value",
            docs=["The value in radians to get the hyperbolic cosine of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", cosh,
            "Returns the hyperbolic cosine of a BIGINT value",
            docs=["The value in radians to get the hyperbolic cosine of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", cosh,
            "Returns the hyperbolic cosine of a DOUBLE value",
            docs=["The value in radians to get the hyperbolic cosine of."],
        ),
        java_name="cosh",
    )
    udf(r, "COT", "MATHEMATICAL",
        "The cotangent of a value.",
        V(
            ["INT value"], "DOUBLE", cot,
            "Returns the cotangent of an INT value",
            docs=["The value in radians to get the cotangent of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", cot,
            "Returns the cotangent of a BIGINT value",
            docs=["The value in radians to get the cotangent of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", cot,
            "Returns the cotangent of a DOUBLE value",
            docs=["The value in radians to get the cotangent of."],
        ),
        java_name="cot",
    )
    udf(r, "DEGREES", "MATHEMATICAL",
        "Converts a value in radians to a value in degrees.",
        V(
            ["INT value"], "DOUBLE", degrees,
            "Converts an INT value in radians to a value in degrees",
            docs=["The value in radians to convert to degrees."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", degrees,
            "Converts a BIGINT value in radians to a value in degrees",
            docs=["The value in radians to convert to degrees."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", degrees,
            "Converts a DOUBLE value in radians to a value in degrees",
            docs=["The value in radians to convert to degrees."],
        ),
        java_name="degrees",
    )
    udf(r, "RADIANS", "MATHEMATICAL",
        "Converts a value in degrees to a value in radians.",
        V(
            ["INT value"], "DOUBLE", radians,
            "Converts an INT value in degrees to a value in radians",
            docs=["The value in degrees to convert to radians."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", radians,
            "Converts a BIGINT value in degrees to a value in radians",
            docs=["The value in degrees to convert to radians."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", radians,
            "Converts a DOUBLE value in degrees to a value in radians",
            docs=["The value in degrees to convert to radians."],
        ),
        java_name="radians",
    )
    udf(r, "SIN", "MATHEMATICAL",
        "The sine of a value.",
        V(
            ["INT value"], "DOUBLE", sin,
            "Returns the sine of an INT value",
            docs=["The value in radians to get the sine of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", sin,
            "Returns the sine of a BIGINT value",
            docs=["The value in radians to get the sine of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", sin,
            "Returns the sine of a DOUBLE value",
            docs=["The value in radians to get the sine of."],
        ),
        java_name="sin",
    )
    udf(r, "SINH", "MATHEMATICAL",
        "The hyperbolic sine of a value.",
        V(
            ["INT value"], "DOUBLE", sinh,
            "Returns the hyperbolic sine of an INT value",
            docs=["The value in radians to get the hyperbolic sine of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", sinh,
            "Returns the hyperbolic sine of a BIGINT value",
            docs=["The value in radians to get the hyperbolic sine of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", sinh,
            "Returns the hyperbolic sine of a DOUBLE value",
            docs=["The value in radians to get the hyperbolic sine of."],
        ),
        java_name="sinh",
    )
    udf(r, "TAN", "MATHEMATICAL",
        "The tangent of a value.",
        V(
            ["INT value"], "DOUBLE", tan,
            "Returns the tangent of an INT value",
            docs=["The value in radians to get the tangent of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", tan,
            "Returns the tangent of a BIGINT value",
            docs=["The value in radians to get the tangent of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", tan,
            "Returns the tangent of a DOUBLE value",
            docs=["The value in radians to get the tangent of."],
        ),
        java_name="tan",
    )
    udf(r, "TANH", "MATHEMATICAL",
        "The hyperbolic tangent of a value.",
        V(
            ["INT value"], "DOUBLE", tanh,
            "Returns the hyperbolic tangent of an INT value",
            docs=["The value in radians to get the hyperbolic tangent of."],
        ),
        V(
            ["BIGINT value"], "DOUBLE", tanh,
            "Returns the hyperbolic tangent of a BIGINT value",
            docs=["The value in radians to get the hyperbolic tangent of."],
        ),
        V(
            ["DOUBLE value"], "DOUBLE", tanh,
            "Returns the hyperbolic tangent of a DOUBLE value",
            docs=["The value in radians to get the hyperbolic tangent of."],
        ),
        java_name="tanh",
    )
