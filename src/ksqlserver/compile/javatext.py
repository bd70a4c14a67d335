"""The Java source ksqlDB 0.29's SqlToJavaVisitor generates for an expression, for the locations Janino
puts in its compile errors ("Line 1, Column 23: ...").

Only the texts are reproduced, never run: an error the code generator finds while Janino compiles the
generated code (`(var0 + var1) == null` on a primitive) names the place in that text. Column names are
CodeGenRunner's `var<n>` (numbered in visiting order, a repeated column taking its last number), a
function instance is `<NAME>_<n>` from the same counter. Nodes not rendered here give their SQL text, so
a location past them is approximate.
"""

from __future__ import annotations

from collections.abc import Callable

from ksqlserver.catalog.types import SqlType
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

# SchemaConverters.sqlToJavaConverter(): canonical and simple names of each base type's Java class
_JAVA = {
    "INTEGER": ("java.lang.Integer", "Integer"),
    "BIGINT": ("java.lang.Long", "Long"),
    "DOUBLE": ("java.lang.Double", "Double"),
    "DECIMAL": ("java.math.BigDecimal", "BigDecimal"),
    "STRING": ("java.lang.String", "String"),
    "BOOLEAN": ("java.lang.Boolean", "Boolean"),
    "ARRAY": ("java.util.List", "List"),
    "MAP": ("java.util.Map", "Map"),
    "STRUCT": ("org.apache.kafka.connect.data.Struct", "Struct"),
    "TIMESTAMP": ("java.sql.Timestamp", "Timestamp"),
    "TIME": ("java.sql.Time", "Time"),
    "DATE": ("java.sql.Date", "Date"),
    "BYTES": ("java.nio.ByteBuffer", "ByteBuffer"),
}
_KUDF = "io.confluent.ksql.function.udf.Kudf"
_SCALAR_CMP = {
    "=": "((%1$s <= %2$s) && (%1$s >= %2$s))",
    "<>": "((%1$s < %2$s) || (%1$s > %2$s))",
    "IS DISTINCT FROM": "((%1$s < %2$s) || (%1$s > %2$s))",
}
_JAVA_CMP = {"=": "==", "<>": "!=", "IS DISTINCT FROM": "!=", ">=": ">=", ">": ">", "<=": "<=", "<": "<"}
_NULL_CHECK = "(((Object)(%1$s)) == null || ((Object)(%2$s)) == null) ? false : "
_DISTINCT_CHECK = (
    "(((Object)(%1$s)) == null || ((Object)(%2$s)) == null) ? "
    "((((Object)(%1$s)) == null ) ^ (((Object)(%2$s)) == null )) : "
)
# the name ksqlDB's code generator gives each clause in "Invalid <name>: ..." errors
CODEGEN_NAMES = {
    "SELECT": "Select",
    "WHERE": "Predicate",
    "HAVING": "Predicate",
    "PARTITION BY": "SelectKey",
    "GROUP BY": "Group By",
    "VALUES": "insert value",
}
MARK = "\x00"  # placed in the text where the location is wanted


def java_class(t: SqlType | None, simple: bool = False) -> str:
    if t is None:
        return "Object"
    return _JAVA.get(t.base, ("java.lang.Object", "Object"))[1 if simple else 0]


def _fmt(template: str, a: str, b: str) -> str:
    return template.replace("%1$s", a).replace("%2$s", b)


def _escape_java(s: str) -> str:
    out = []
    for ch in s:
        if ch in "\"\\":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 32 or ord(ch) > 0x7E:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


class JavaText:
    """Renders one compiled expression (the root of a SELECT column, a WHERE, ...) as Java source.
    `type_of` types a sub-expression (None for NULL); `lambda_types` maps lambda variables in scope."""

    def __init__(self, type_of: Callable[[ast.Expression, dict[str, SqlType | None]], SqlType | None]) -> None:
        self.type_of = type_of
        self.vars: dict[str, str] = {}
        self.functions: dict[str, list[str]] = {}
        self.used: dict[str, int] = {}
        self.count = 0
        self.target: ast.Expression | None = None

    # CodeGenRunner.getCodeGenSpec: parameters and function instances in visiting order
    def _number(self, e: ast.Expression) -> None:
        if isinstance(e, ast.ColumnRef):
            self.vars[e.name] = f"var{self.count}"
            self.count += 1
            return
        if isinstance(e, ast.FunctionCall):
            self.functions.setdefault(e.name.upper(), []).append(f"{e.name.upper()}_{self.count}")
            self.count += 1
        for child in _children(e):
            self._number(child)

    def location(self, root: ast.Expression, target: ast.Expression) -> tuple[int, int]:
        """(line, column) where Janino locates the node it makes for `target` in root's Java text: just after
        the token that starts it (the `==` of an IS NULL, the `-` of a unary minus, the `(` of LIKE's
        method call), where its scanner is when it creates the node."""
        self._number(root)
        self.target = target
        text = self.render(root, {})
        before = text.split(MARK, 1)[0]
        return before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1

    def render(self, e: ast.Expression, lambdas: dict[str, SqlType | None]) -> str:
        method = getattr(self, "_" + type(e).__name__, None)
        if method is None:
            return sql(e)
        return method(e, lambdas)

    def _type(self, e: ast.Expression, lambdas: dict[str, SqlType | None]) -> SqlType | None:
        try:
            return self.type_of(e, lambdas)
        except Exception:
            return None

    # leaves ------------------------------------------------------------------------------
    def _ColumnRef(self, e: ast.ColumnRef, lambdas: dict[str, SqlType | None]) -> str:
        if e.source is None and e.name in lambdas:
            return e.name
        return f'(({java_class(self._type(e, lambdas))}) arguments.get("{self.vars.get(e.name, "var0")}"))'

    def _LambdaVariable(self, e: ast.LambdaVariable, lambdas: dict[str, SqlType | None]) -> str:
        return e.name

    def _IntegerLiteral(self, e: ast.IntegerLiteral, lambdas: dict[str, SqlType | None]) -> str:
        return str(e.value)

    def _LongLiteral(self, e: ast.LongLiteral, lambdas: dict[str, SqlType | None]) -> str:
        return f"{e.value}L"

    def _DoubleLiteral(self, e: ast.DoubleLiteral, lambdas: dict[str, SqlType | None]) -> str:
        return sql(e)

    def _BooleanLiteral(self, e: ast.BooleanLiteral, lambdas: dict[str, SqlType | None]) -> str:
        return "true" if e.value else "false"

    def _StringLiteral(self, e: ast.StringLiteral, lambdas: dict[str, SqlType | None]) -> str:
        return f'"{_escape_java(e.value)}"'

    def _DecimalLiteral(self, e: ast.DecimalLiteral, lambdas: dict[str, SqlType | None]) -> str:
        return f'new BigDecimal("{e.value}")'

    def _NullLiteral(self, e: ast.NullLiteral, lambdas: dict[str, SqlType | None]) -> str:
        return "null"

    # operators ---------------------------------------------------------------------------
    def _ArithmeticBinary(self, e: ast.ArithmeticBinary, lambdas: dict[str, SqlType | None]) -> str:
        left, right = self.render(e.left, lambdas), self.render(e.right, lambdas)
        lt, rt, t = self._type(e.left, lambdas), self._type(e.right, lambdas), self._type(e, lambdas)
        if t is not None and t.base == "DECIMAL":
            name = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "remainder"}[e.op]
            return (
                f"({self._to_decimal(left, lt)}.{name}({self._to_decimal(right, rt)}, new MathContext("
                f"{t.precision}, RoundingMode.UNNECESSARY)).setScale({t.scale}))"
            )
        if lt is not None and lt.base == "DECIMAL":
            left = _null_safe(left, "BigDecimal", "val.doubleValue()", "Double")
        if rt is not None and rt.base == "DECIMAL":
            right = _null_safe(right, "BigDecimal", "val.doubleValue()", "Double")
        return f"({left} {e.op} {right})"

    @staticmethod
    def _to_decimal(code: str, t: SqlType | None) -> str:
        if t is None or t.base == "DECIMAL":
            return code
        if t.base in ("INTEGER", "BIGINT"):
            digits = 10 if t.base == "INTEGER" else 19
            return f"(DecimalUtil.cast({code}, {digits}, 0))"
        return code

    def _ArithmeticUnary(self, e: ast.ArithmeticUnary, lambdas: dict[str, SqlType | None]) -> str:
        value = self.render(e.operand, lambdas)
        t = self._type(e.operand, lambdas)
        if t is not None and t.base == "DECIMAL":
            method = "negate" if e.op == "-" else "plus"
            return f"({value}.{method}(new MathContext({t.precision}, RoundingMode.UNNECESSARY)))"
        mark = MARK if e is self.target else ""
        if e.op == "-":
            return "-" + mark + (" " if value.startswith("-") else "") + value
        return "+" + mark + value

    def _Like(self, e: ast.Like, lambdas: dict[str, SqlType | None]) -> str:
        mark = MARK if e is self.target else ""
        value, pattern = self.render(e.value, lambdas), self.render(e.pattern, lambdas)
        escape = f", '{e.escape}'" if e.escape is not None else ""
        text = f"LikeEvaluator.matches({mark}{value}, {pattern}{escape})"
        return f"(!{text})" if e.negated else text

    def _Comparison(self, e: ast.Comparison, lambdas: dict[str, SqlType | None]) -> str:
        op = "IS DISTINCT FROM" if e.op == "IS NOT DISTINCT FROM" else e.op
        left, right = self.render(e.left, lambdas), self.render(e.right, lambdas)
        lt, rt = self._type(e.left, lambdas), self._type(e.right, lambdas)
        template = _DISTINCT_CHECK if op == "IS DISTINCT FROM" else _NULL_CHECK
        lb, rb = (lt.base if lt else ""), (rt.base if rt else "")
        if "DECIMAL" in (lb, rb):

            def dec(base: str, i: int) -> str:
                return f"%{i}$s" if base == "DECIMAL" else (
                    f"BigDecimal.valueOf(%{i}$s)" if base == "DOUBLE" else f"new BigDecimal(%{i}$s)"
                )

            template += f"({dec(lb, 1)}.compareTo({dec(rb, 2)}) {_JAVA_CMP[op]} 0)"
        elif lb in ("STRING", "ARRAY", "MAP", "STRUCT"):
            template += (
                "(%1$s.equals(%2$s))" if op == "=" else
                "(!%1$s.equals(%2$s))" if op in ("<>", "IS DISTINCT FROM") else f"(%1$s.compareTo(%2$s) {op} 0)"
            )
        elif lb == "BOOLEAN":
            template += f"(Boolean.compare(%1$s, %2$s) {'==' if op == '=' else '!='} 0)"
        elif lb == "BYTES":
            template += f"(%1$s.compareTo(%2$s) {_JAVA_CMP[op]} 0)"
        else:
            template += _SCALAR_CMP.get(op, f"(%1$s {op} %2$s)")
        text = "(" + _fmt(template, left, right) + ")"
        return f"(!{text})" if e.op == "IS NOT DISTINCT FROM" else text

    def _Between(self, e: ast.Between, lambdas: dict[str, SqlType | None]) -> str:
        low = self._Comparison(ast.Comparison(">=", e.value, e.lower), lambdas)
        high = self._Comparison(ast.Comparison("<=", e.value, e.upper), lambdas)
        text = f"({low} && {high})"
        return f"(!{text})" if e.negated else text

    def _LogicalBinary(self, e: ast.LogicalBinary, lambdas: dict[str, SqlType | None]) -> str:
        op = " && " if e.op == "AND" else " || "
        return f"({self.render(e.left, lambdas)} {op} {self.render(e.right, lambdas)})"

    def _Not(self, e: ast.Not, lambdas: dict[str, SqlType | None]) -> str:
        return f"(!{self.render(e.operand, lambdas)})"

    def _IsNull(self, e: ast.IsNull, lambdas: dict[str, SqlType | None]) -> str:
        mark = MARK if e is self.target else ""
        return f"(({self.render(e.value, lambdas)}) {'!=' if e.negated else '=='}{mark} null )"

    def _FunctionCall(self, e: ast.FunctionCall, lambdas: dict[str, SqlType | None]) -> str:
        name = e.name.upper()
        n = self.used.get(name, 0)
        self.used[name] = n + 1
        names = self.functions.get(name, [])
        instance = names[n] if n < len(names) else f"{name}_0"
        args = []
        for a in e.args:
            code = self.render(a, lambdas)
            if isinstance(a, ast.FunctionCall):
                code = _or_null(code, a.name.upper())
            elif isinstance(a, ast.Dereference):
                code = _or_null(code, a.field)
            args.append(code)
        rtype = java_class(self._type(e, lambdas), simple=True)
        return f'(({rtype}) (({_KUDF}) arguments.get("{instance}")).evaluate({", ".join(args)}))'

    def _SearchedCase(self, e: ast.SearchedCase, lambdas: dict[str, SqlType | None]) -> str:
        result = java_class(self._type(e, lambdas))
        whens = [
            f"SearchedCaseFunction.whenClause({_supplier('Boolean', self.render(w.condition, lambdas))}, "
            f"{_supplier(result, self.render(w.result, lambdas))})"
            for w in e.whens
        ]
        default = self.render(e.default, lambdas) if e.default is not None else "null"
        return (
            f"(({result})SearchedCaseFunction.searchedCaseFunction(ImmutableList.copyOf(Arrays.asList( "
            f"{', '.join(whens)})),{_supplier(result, default)}))"
        )

    def _Lambda(self, e: ast.Lambda, lambdas: dict[str, SqlType | None]) -> str:
        # LambdaUtil.toJavaCode; the parameters' types are not known here: Object
        inner = {**lambdas, **{p: None for p in e.params}}
        body = self.render(e.body, inner)
        kind = {1: ("Function()", "Object arg1"), 2: ("BiFunction()", "Object arg1, Object arg2")}.get(
            len(e.params), ("TriFunction()", "Object arg1, Object arg2, Object arg3")
        )
        decls = "".join(
            f"   final Object {p} = (Object) arg{i};\n" for i, p in enumerate(e.params, start=1)
        )
        return f"new {kind[0]} {{\n @Override\n public Object apply({kind[1]}) {{\n{decls}   return {body};\n }}\n}}"


def _supplier(java_type: str, code: str) -> str:
    """SqlToJavaVisitor.buildSupplierCode."""
    return f" new Supplier<{java_type}>() {{ @Override public {java_type} get() {{ return {code}; }}}}"


def _null_safe(code: str, from_type: str, body: str, to_type: str) -> str:
    """CastEvaluator.nonNullSafeCode: NullSafe.apply over a LambdaUtil function."""
    function = (
        "new Function() {\n @Override\n public Object apply(Object arg1) {\n"
        f"   final {from_type} val = ({from_type}) arg1;\n   return {body};\n }}\n}}"
    )
    return f"(({to_type})NullSafe.apply({code},{function}))"


def _or_null(code: str, what: str) -> str:
    """SqlToJavaVisitor.evaluateOrReturnNull (nested error handling on, as by default)."""
    return (
        " (new Supplier<Object>() {@Override public Object get() { try {  return " + code + "; }"
        " catch (Exception e) {  logger.error(RecordProcessingError.recordProcessingError("
        f'    "Error processing {what}",    e instanceof InvocationTargetException? e.getCause() : e,'
        "    row));  return defaultValue; }}}).get()"
    )


def _children(e: ast.Expression) -> list[ast.Expression]:
    """Sub-expressions in CodeGenRunner's visiting order (TraversalExpressionVisitor)."""
    if isinstance(e, ast.IsNull):
        return [e.value]
    if isinstance(e, ast.Not | ast.ArithmeticUnary):
        return [e.operand]
    if isinstance(e, ast.ArithmeticBinary | ast.Comparison | ast.LogicalBinary):
        return [e.left, e.right]
    if isinstance(e, ast.Between):
        return [e.value, e.lower, e.upper]
    if isinstance(e, ast.FunctionCall):
        return list(e.args)
    if isinstance(e, ast.Lambda):
        return [e.body]
    if isinstance(e, ast.Like):
        return [e.value, e.pattern]
    if isinstance(e, ast.InList):
        return [e.value, *e.items]
    if isinstance(e, ast.Dereference):
        return [e.base]
    if isinstance(e, ast.Cast):
        return [e.expression]
    if isinstance(e, ast.SearchedCase):
        out = [x for w in e.whens for x in (w.condition, w.result)]
        return out + ([e.default] if e.default is not None else [])
    out: list[ast.Expression] = []
    for name in getattr(e, "__slots__", ()):
        value = getattr(e, name, None)
        if isinstance(value, ast.Expression):
            out.append(value)
        elif isinstance(value, tuple):
            out.extend(v for v in value if isinstance(v, ast.Expression))
    return out
