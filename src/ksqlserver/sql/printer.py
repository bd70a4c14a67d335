"""Expressions printed the way ksqlDB prints them in error messages and generated names."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ksqlserver.formats.javatext import py_java_double
from ksqlserver.sql import ast

OP_NAMES = {
    "=": "EQUAL",
    "<>": "NOT_EQUAL",
    "<": "LESS_THAN",
    "<=": "LESS_THAN_OR_EQUAL",
    ">": "GREATER_THAN",
    ">=": "GREATER_THAN_OR_EQUAL",
    "IS DISTINCT FROM": "IS_DISTINCT_FROM",
    "IS NOT DISTINCT FROM": "IS_NOT_DISTINCT_FROM",
}


def _name(n: str) -> str:
    # Expression.toString formats without quoting (FormatOptions.noEscape): `a` prints as a; names that
    # could not be written unquoted at all (the analysis's internal $-placeholders) keep their quotes
    return n if n.isidentifier() else f"`{n}`"


def _type(t: ast.Type, escape: Callable[[str], str] | None = None) -> str:
    """SqlType.toString: struct field names always quoted, or as `escape` quotes them (FormatOptions)."""
    if isinstance(t, ast.PrimitiveType):
        return t.name
    if isinstance(t, ast.DecimalType):
        return f"DECIMAL({t.precision}, {t.scale})"
    if isinstance(t, ast.ArrayType):
        return f"ARRAY<{_type(t.element, escape)}>"
    if isinstance(t, ast.MapType):
        return f"MAP<{_type(t.key, escape)}, {_type(t.value, escape)}>"
    if isinstance(t, ast.StructType):
        if not t.fields:
            return "STRUCT< >"  # SqlStruct.EMPTY_STRUCT
        field = escape or (lambda n: f"`{n}`")
        return "STRUCT<" + ", ".join(f"{field(f.name)} {_type(f.type, escape)}" for f in t.fields) + ">"
    if isinstance(t, ast.CustomType):
        return t.name
    return str(t)


def _negated(negated: bool, text: str) -> str:
    return f"(NOT {text})" if negated else text


def _scientific(d: float) -> str:
    """ICU's scientific notation with unlimited precision, as ksqlDB prints DOUBLE literals: 1.5E3, 1E-3."""
    if d != d:
        return "NaN"
    if d in (float("inf"), float("-inf")):
        return "∞" if d > 0 else "-∞"
    # ICU's DecimalQuantity takes the digits of Double.toString (4.9E-324 for Double.MIN_VALUE, not 5E-324)
    sign, digits, exp = Decimal(py_java_double(d)).normalize().as_tuple()
    text = "".join(map(str, digits)) or "0"
    adjusted = int(exp) + len(text) - 1 if text != "0" else 0
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return f"{'-' if sign else ''}{mantissa}E{adjusted}"


def sql(e: ast.Node, escape: Callable[[str], str] | None = None) -> str:
    """ksqlDB's ExpressionFormatter text for `e`; `escape` quotes names (FormatOptions: by default none are
    quoted, as in Expression.toString)."""
    name = escape or _name

    def p(x: ast.Node) -> str:
        return sql(x, escape)

    if isinstance(e, ast.StringLiteral):
        return "'" + e.value.replace("'", "''") + "'"
    if isinstance(e, ast.NullLiteral):
        return "null"
    if isinstance(e, ast.BooleanLiteral):
        return "true" if e.value else "false"
    if isinstance(e, ast.DecimalLiteral):
        return str(e.value)
    if isinstance(e, ast.DoubleLiteral):
        return _scientific(e.value)
    if isinstance(e, ast.Literal):
        return str(e.value)  # type: ignore[attr-defined]
    if isinstance(e, ast.ColumnRef):
        return (f"{name(e.source)}." if e.source else "") + name(e.name)
    if isinstance(e, ast.LambdaVariable):
        return e.name
    if isinstance(e, ast.Dereference):
        return f"{p(e.base)}->{name(e.field)}"
    if isinstance(e, ast.Subscript):
        return f"{p(e.base)}[{p(e.index)}]"
    if isinstance(e, ast.ArithmeticUnary):
        operand = p(e.operand)
        return f"{e.op}{' ' if e.op == '-' and operand.startswith('-') else ''}{operand}"
    if isinstance(e, ast.ArithmeticBinary):
        return f"({p(e.left)} {e.op} {p(e.right)})"
    if isinstance(e, ast.Comparison):
        if e.op == "IS NOT DISTINCT FROM":  # ksqlDB parses it as NOT (a IS DISTINCT FROM b)
            return f"(NOT ({p(e.left)} IS DISTINCT FROM {p(e.right)}))"
        return f"({p(e.left)} {e.op} {p(e.right)})"
    if isinstance(e, ast.LogicalBinary):
        return f"({p(e.left)} {e.op} {p(e.right)})"
    if isinstance(e, ast.Not):
        return f"(NOT {p(e.operand)})"
    if isinstance(e, ast.Between):  # NOT BETWEEN, NOT LIKE and NOT IN are NOT (...) in ksqlDB
        return _negated(e.negated, f"({p(e.value)} BETWEEN {p(e.lower)} AND {p(e.upper)})")
    if isinstance(e, ast.Like):
        esc = f" ESCAPE '{e.escape}'" if e.escape else ""
        return _negated(e.negated, f"({p(e.value)} LIKE {p(e.pattern)}{esc})")
    if isinstance(e, ast.InList):
        return _negated(e.negated, f"({p(e.value)} IN ({', '.join(p(i) for i in e.items)}))")
    if isinstance(e, ast.IsNull):
        return f"({p(e.value)} IS {'NOT ' if e.negated else ''}NULL)"
    if isinstance(e, ast.SearchedCase):
        whens = " ".join(f"WHEN {p(w.condition)} THEN {p(w.result)}" for w in e.whens)
        default = f" ELSE {p(e.default)}" if e.default is not None else ""
        return f"(CASE {whens}{default} END)"
    if isinstance(e, ast.SimpleCase):
        whens = " ".join(f"WHEN {p(w.condition)} THEN {p(w.result)}" for w in e.whens)
        default = f" ELSE {p(e.default)}" if e.default is not None else ""
        return f"(CASE {p(e.operand)} {whens}{default} END)"
    if isinstance(e, ast.Cast):  # ExpressionFormatter.visitType: the type with the expression's FormatOptions
        return f"CAST({p(e.expression)} AS {_type(e.type, name)})"
    if isinstance(e, ast.FunctionCall):
        if e.star or (not e.args and e.name == "COUNT"):  # COUNT() and COUNT(*) are one call to ksqlDB
            return f"{e.name}(*)"
        return f"{name(e.name)}({', '.join(p(a) for a in e.args)})"
    if isinstance(e, ast.IntervalUnit):  # visitIntervalUnit: the java.util.concurrent.TimeUnit's (plural) name
        return e.unit if e.unit.endswith("S") else f"{e.unit}S"
    if isinstance(e, ast.CreateArray):
        return f"ARRAY[{', '.join(p(i) for i in e.items)}]"
    if isinstance(e, ast.CreateMap):
        return f"MAP({', '.join(f'{p(k)}:={p(v)}' for k, v in e.entries)})"
    if isinstance(e, ast.CreateStruct):
        return f"STRUCT({', '.join(f'{name(n)}:={p(v)}' for n, v in e.fields)})"
    if isinstance(e, ast.Lambda):
        params = ", ".join(e.params)
        return f"({params}) => {p(e.body)}"
    return type(e).__name__
