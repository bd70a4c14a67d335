"""Operators in compiled expressions, with ksqlDB 0.29's typing and run-time rules.

Comparisons are type-directed as SqlToJavaVisitor generates them: a DECIMAL on either side compares as
BigDecimal (a DOUBLE through its shortest text), TIME/DATE/TIMESTAMP compare with each other and with
STRING (the text parsed per record), an integer against a DOUBLE compares as doubles, BYTES as signed
bytes; a null operand makes the comparison false (IS DISTINCT FROM: null-aware). BETWEEN is two such
comparisons. `NOT`, and the NOT of IN / BETWEEN / LIKE / IS DISTINCT FROM, negate the whole predicate (so
`NULL NOT IN (...)` is true). AND, OR, NOT and CASE conditions fail on a null BOOLEAN (Java unboxing: the
column becomes null and is reported). CASE results must all have one type. IN lists are coerced to one
type (CoercionUtil). DECIMAL arithmetic allows no rounding; integer arithmetic wraps like Java.

`OperatorCompiler` is mixed into `Compiler`, which provides the attributes declared here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ksqlserver.catalog import sqltime
from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.compile import helpers
from ksqlserver.compile.coercion import CoercionFailure, coerce_list
from ksqlserver.compile.javatext import CODEGEN_NAMES, java_class
from ksqlserver.compile.type_rules import arithmetic_type, null_comparison_message, valid_comparison
from ksqlserver.errors import CompileError, KsqlInternalError
from ksqlserver.sql import ast
from ksqlserver.sql.printer import OP_NAMES, sql

_PY_OPS = {"=": "==", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_TIME = ("TIME", "DATE", "TIMESTAMP")


class OperatorCompiler:
    """Compiles operators; mixed into `Compiler`."""

    ns: dict[str, Any]
    never_null: set[str]
    interpreted: bool
    _under_not: ast.Expression | None
    _cast_depth: int

    if TYPE_CHECKING:

        def expr(self, e: ast.Expression) -> tuple[str, SqlType | None]: ...
        def convert(self, code: str, src: SqlType | None, dst: SqlType | None) -> str: ...
        def error(self, message: str, e: ast.Node | None = None) -> CompileError: ...
        def codegen_error(self, message: str, e: ast.Node | None = None) -> str: ...
        def bind(self, fn: Any) -> str: ...
        def const(self, value: Any) -> str: ...
        def _tmp(self) -> str: ...
        def _nullsafe(self, codes: list[str], body: Callable[[list[str]], str]) -> str: ...
        def _unboxed(self, codes: list[str], body: Callable[[list[str]], str]) -> str: ...
        def is_literal_code(self, code: str) -> bool: ...
        def java_location(self, target: ast.Expression) -> tuple[int, int]: ...
        def type_of(self, e: ast.Expression) -> SqlType | None: ...
        def cast_code(self, code: str, e: ast.Expression, src: SqlType | None, dst: SqlType) -> str: ...

    def _predicate(self, code: str) -> tuple[str, SqlType | None]:
        """A BOOLEAN that is never null (comparisons, IN, BETWEEN, IS NULL): AND/OR/NOT/CASE skip the test."""
        self.never_null.add(code)
        return code, T.BOOLEAN

    # --- comparisons ----------------------------------------------------------------------------
    def _operand_converters(
        self, lt: SqlType, rt: SqlType, op: str
    ) -> tuple[Callable[[str], str], Callable[[str], str]]:
        """How each side is converted before Python compares them like ksqlDB's generated Java."""

        def same(c: str) -> str:
            return c

        def call(fn: Any) -> Callable[[str], str]:
            name = self.bind(fn)
            return lambda c: f"{name}({c})"

        lb, rb = lt.base, rt.base
        if "DECIMAL" in (lb, rb):
            to_dec = call(helpers.dec_of_double)
            return (to_dec if lb == "DOUBLE" else same), (to_dec if rb == "DOUBLE" else same)
        if lb in _TIME or rb in _TIME:
            if "TIME" in (lb, rb):
                parse = call(sqltime.parse_time)
                return (parse if lb == "STRING" else same), (parse if rb == "STRING" else same)
            if "TIMESTAMP" in (lb, rb):
                parse = call(sqltime.parse_timestamp)

                def to_ts(base: str) -> Callable[[str], str]:
                    if base == "STRING":
                        return parse
                    if base == "DATE":
                        return lambda c: f"({c} * 86400000)"
                    return same

                return to_ts(lb), to_ts(rb)
            parse = call(sqltime.parse_date)
            return (parse if lb == "STRING" else same), (parse if rb == "STRING" else same)
        if "DOUBLE" in (lb, rb) and lb != rb:
            return (same if lb == "DOUBLE" else lambda c: f"float({c})"), (
                same if rb == "DOUBLE" else lambda c: f"float({c})"
            )
        if lb == "BYTES" and op not in ("=", "<>", "IS DISTINCT FROM"):
            key = call(helpers.signed_bytes)
            return key, key
        return same, same

    def _fold(self, conv: Callable[[str], str], code: str, e: ast.Expression) -> str:
        """A literal operand converted once at compile time when that succeeds (else per record)."""
        out = conv(code)
        if out == code or not isinstance(e, ast.Literal):
            return out
        try:
            value = eval(out, self.ns, {"row": []})  # a converter applied to a literal: no row access
        except Exception:
            return out
        return self.const(value)

    def _comparison_parts(
        self, e: ast.Expression, left_e: ast.Expression, right_e: ast.Expression, op: str
    ) -> tuple[str, str, Callable[[str], str], Callable[[str], str], SqlType, SqlType]:
        left, lt = self.expr(left_e)
        right, rt = self.expr(right_e)
        if (lt is None or rt is None) and not self.interpreted and (
            op == "IS NOT DISTINCT FROM" or self._under_not is e
        ):
            # ExpressionTypeManager does not look inside a NOT (IS NOT DISTINCT FROM is NOT(IS DISTINCT
            # FROM)), so the NULL's missing type reaches SqlToJavaVisitor.visitComparisonExpression, whose
            # NullPointerException CodeGenRunner reports as an unexpected error
            name = CODEGEN_NAMES.get(getattr(self, "clause", "SELECT"), "Select")
            raise CompileError(f"Unexpected error generating code for {name}", sql(e), codegen=True)
        if lt is None or rt is None:
            raise self.error(null_comparison_message(lt, op, rt), e)
        if not valid_comparison(lt, op, rt) and self._java_equals_only(lt, op, rt):
            # inside a CAST (ExpressionTypeManager.visitCast types only the CAST's target, not its operand)
            # the comparison reaches SqlToJavaVisitor unchecked: a STRING/ARRAY/MAP/STRUCT left side is
            # compared with Object.equals, which no value of another type equals (observed on ksqlDB 0.29:
            # CAST((S = 1) AS STRING) is 'false' for every record, null operands included)
            apart_l, apart_r = (lambda c: f"(0, {c})"), (lambda c: f"(1, {c})")
            return left, right, apart_l, apart_r, lt, rt
        if not valid_comparison(lt, op, rt):
            name = OP_NAMES["IS DISTINCT FROM" if op == "IS NOT DISTINCT FROM" else op]
            err = self.error(f"Cannot compare {sql(left_e)} ({lt}) to {sql(right_e)} ({rt}) with {name}.", e)
            # ExpressionTypeManager throws a KsqlStatementException whose statement is the comparison
            err.append_statement(sql(e))
            err.logged = f"Cannot compare {lt} to {rt} with {name}."  # its getMessage() names only the types
            raise err
        lconv, rconv = self._operand_converters(lt, rt, op)
        if self.is_literal_code(left) or isinstance(left_e, ast.Literal):
            left, lconv = self._fold(lconv, left, left_e), (lambda c: c)
        if self.is_literal_code(right) or isinstance(right_e, ast.Literal):
            right, rconv = self._fold(rconv, right, right_e), (lambda c: c)
        return left, right, lconv, rconv, lt, rt

    def _java_equals_only(self, lt: SqlType, op: str, rt: SqlType) -> bool:
        """A comparison ksqlDB's code generator writes as `left.equals(right)` (visitComparisonExpression:
        not DECIMAL, not a time type on either side, an equality operator, a left side compared by equals)
        and that reaches it untyped, inside a CAST."""
        return (
            self._cast_depth > 0
            and not self.interpreted
            and op in ("=", "<>", "IS DISTINCT FROM", "IS NOT DISTINCT FROM")
            and lt.base in ("STRING", "ARRAY", "MAP", "STRUCT")
            and not {lt.base, rt.base} & {"DECIMAL", "DATE", "TIME", "TIMESTAMP"}
        )

    def _compare_code(self, left: str, right: str, lconv: Any, rconv: Any, op: str) -> str:
        """`left op right` with ksqlDB's null rule: false when either side is null."""
        names, tests = [], []
        for c in (left, right):
            if self.is_literal_code(c):
                names.append(c)
                continue
            t = self._tmp()
            names.append(t)
            tests.append(f"({t} := {c}) is None")
        body = f"{lconv(names[0])} {_PY_OPS[op]} {rconv(names[1])}"
        if not tests:
            return f"({body})"
        return f"(False if {' or '.join(tests)} else {body})"

    def _Comparison(self, e: ast.Comparison) -> tuple[str, SqlType | None]:
        left, right, lconv, rconv, _, _ = self._comparison_parts(e, e.left, e.right, e.op)
        if e.op in ("IS DISTINCT FROM", "IS NOT DISTINCT FROM"):
            a, b = self._tmp(), self._tmp()
            neg = "not " if e.op == "IS NOT DISTINCT FROM" else ""
            return self._predicate(
                f"({neg}((({a} is None) != ({b} is None)) if (({a} := {left}) is None) | "
                f"(({b} := {right}) is None) else ({lconv(a)} != {rconv(b)})))"
            )
        return self._predicate(self._compare_code(left, right, lconv, rconv, e.op))

    def _Between(self, e: ast.Between) -> tuple[str, SqlType | None]:
        v, lo, lconv_lo, rconv_lo, _, _ = self._comparison_parts(e, e.value, e.lower, ">=")
        _, hi, lconv_hi, rconv_hi, _, _ = self._comparison_parts(e, e.value, e.upper, "<=")
        names, tests = [], []
        for code in (v, lo, hi):
            if self.is_literal_code(code):
                names.append(code)
                continue
            t = self._tmp()
            names.append(t)
            tests.append(f"({t} := {code}) is None")
        a, b, c = names
        body = f"({lconv_lo(a)} >= {rconv_lo(b)} and {lconv_hi(a)} <= {rconv_hi(c)})"
        if tests:
            body = f"(False if {' or '.join(tests)} else {body})"
        return self._predicate(f"(not {body})" if e.negated else body)

    def _InList(self, e: ast.InList) -> tuple[str, SqlType | None]:
        items = [i for i in e.items if not isinstance(i, ast.NullLiteral)]  # null never matches
        compiled = [(x, *self.expr(x)) for x in (e.value, *items)]
        try:
            _, codes = coerce_list(self, compiled)
        except CoercionFailure as err:
            return self.codegen_error(str(err), e), T.BOOLEAN
        value, rest = codes[0], codes[1:]
        tuple_code = "(" + "".join(f"{c}, " for c in rest) + ")"
        t = self._tmp()
        if e.negated:
            return self._predicate(f"(True if ({t} := {value}) is None else {t} not in {tuple_code})")
        return self._predicate(f"(False if ({t} := {value}) is None else {t} in {tuple_code})")

    # --- logic --------------------------------------------------------------------------------------
    def _boolean(self, e: ast.Expression) -> str:
        code, t = self.expr(e)
        self._check_boolean(e, t)
        return code

    def _check_boolean(self, e: ast.Expression, t: SqlType | None) -> None:
        if t is not None and t.base != "BOOLEAN":
            err = self.error(
                f"Type error in {getattr(self, 'clause', 'SELECT')} expression: Should evaluate to boolean but "
                f"is {sql(e)} ({t}) instead.",
                e,
            )
            err.non_boolean = (e, t)
            raise err

    def _null_boolean(self) -> str:
        self.ns["_nb"] = helpers.null_boolean
        return "_nb()"

    def _LogicalBinary(self, e: ast.LogicalBinary) -> tuple[str, SqlType | None]:
        # ksqlDB types `a AND b` as the type of b (ExpressionTypeManager visits both operands and sets no
        # type of its own): a non-boolean right operand makes the whole expression that type
        left, lt = self.expr(e.left)
        try:
            right, rt = self.expr(e.right)
        except CompileError as err:
            node = err.non_boolean
            if node is None or node[0] is not e.right or not isinstance(e.right, ast.LogicalBinary):
                raise
            rt = node[1]  # a nested a AND b of a non-boolean type: the whole expression is of that type
            right = "None"
        self._check_boolean(e, rt)
        self._check_boolean(e.left, lt)
        if left in self.never_null and right in self.never_null:
            return self._predicate(f"({left} {e.op.lower()} {right})")
        a, b = self._tmp(), self._tmp()
        nb = self._null_boolean()
        rhs = f"({b} if ({b} := {right}) is not None else {nb})"
        rtype = T.BOOLEAN if rt is not None else None  # `a AND NULL` has no type, as NULL has none
        if e.op == "AND":
            return f"({rhs} if ({a} := {left}) else (False if {a} is False else {nb}))", rtype
        return f"(True if ({a} := {left}) else ({rhs} if {a} is False else {nb}))", rtype

    def _Not(self, e: ast.Not) -> tuple[str, SqlType | None]:
        self._under_not = e.operand  # a comparison directly under NOT is not typed by ExpressionTypeManager
        code = self._boolean(e.operand)
        if code in self.never_null:
            return self._predicate(f"(not {code})")
        a = self._tmp()
        return f"({self._null_boolean()} if ({a} := {code}) is None else not {a})", T.BOOLEAN

    def _IsNull(self, e: ast.IsNull) -> tuple[str, SqlType | None]:
        v, t = self.expr(e.value)
        primitive = None if self.interpreted else java_primitive(e.value, t)
        if primitive is not None:
            # SqlToJavaVisitor emits `((x) == null )`; Janino refuses it when x is a Java primitive (arithmetic,
            # a comparison, a numeric or boolean literal)
            line, column = self.java_location(e)
            return self.codegen_error(
                f'Line {line}, Column {column}: Cannot compare primitive type "{primitive}" with "null"', e
            ), T.BOOLEAN
        return self._predicate(f"({v} is {'not ' if e.negated else ''}None)")

    def _Like(self, e: ast.Like) -> tuple[str, SqlType | None]:
        v, vt = self.expr(e.value)
        if not self.interpreted:
            # ExpressionTypeManager types LIKE as BOOLEAN without looking at its operands; the generated
            # LikeEvaluator.matches(value, pattern) call is what Janino refuses
            pt = self.type_of(e.pattern) if not isinstance(e.pattern, ast.StringLiteral) else T.STRING
            if (vt is not None and vt.base != "STRING") or (pt is not None and pt.base != "STRING"):
                actual = [java_static_type(e.value, vt), java_static_type(e.pattern, pt)]
                if e.escape is not None:
                    actual.append("char")
                line, column = self.java_location(e)
                return self.codegen_error(
                    f"Line {line}, Column {column}: No applicable constructor/method found for actual "
                    f'parameters "{", ".join(actual)}"; candidates are: {_LIKE_CANDIDATES}',
                    e,
                ), T.BOOLEAN
        if vt is not None and vt.base != "STRING":
            raise self.error(f"LIKE requires a STRING operand: {sql(e)}", e)
        neg = "not " if e.negated else ""
        t = self._tmp()
        nb = self._null_boolean()
        if isinstance(e.pattern, ast.StringLiteral):
            try:
                rx = self.const(helpers.like_regex(e.pattern.value, e.escape))
            except ValueError as err:  # fails per record, as in ksqlDB
                fail = self.bind(lambda _m=str(err): (_ for _ in ()).throw(ValueError(_m)))
                return f"{fail}()", T.BOOLEAN
            return f"({nb} if ({t} := {v}) is None else {neg}{rx}.fullmatch({t}) is not None)", T.BOOLEAN
        p, _ = self.expr(e.pattern)
        mk = self.bind(lambda pat, _esc=e.escape: helpers.like_regex(pat, _esc))
        q = self._tmp()
        return (
            f"({nb} if ({t} := {v}) is None or ({q} := {p}) is None else "
            f"{neg}{mk}({q}).fullmatch({t}) is not None)"
        ), T.BOOLEAN

    # --- arithmetic ---------------------------------------------------------------------------------
    def _ArithmeticUnary(self, e: ast.ArithmeticUnary) -> tuple[str, SqlType | None]:
        code, t = self.expr(e.operand)
        if t is not None and not t.is_numeric and not self.interpreted:
            # ExpressionTypeManager lets any type through; Janino's unary numeric promotion refuses it (a
            # Boolean unboxes first, so it is named "boolean")
            line, column = self.java_location(e)
            java = "boolean" if t.base == "BOOLEAN" else java_static_type(e.operand, t)
            return self.codegen_error(
                f'Line {line}, Column {column}: Object of type "{java}" cannot be converted to a numeric type', e
            ), t
        if t is not None and not t.is_numeric:
            raise self.error(f"Unary {e.op} requires a numeric operand: {sql(e)}", e)
        if e.op == "+":  # Java's unary `+a` (BigDecimal.plus) still unboxes: a null fails
            return (code if self.is_literal_code(code) else self._unboxed([code], lambda v: v[0])), t
        if t is not None and t.base in ("INTEGER", "BIGINT"):
            half = 2**31 if t.base == "INTEGER" else 2**63
            return self._unboxed([code], lambda v: f"(((-{v[0]}) + {half}) % {2 * half} - {half})"), t
        if t is not None and t.base == "DECIMAL":
            # BigDecimal.negate(): exact (Decimal's unary minus rounds to 28 digits) and no negative zero
            return self._unboxed([code], lambda v: f"({v[0]}.copy_negate() if {v[0]} else {v[0]})"), t
        return self._unboxed([code], lambda v: f"(-{v[0]})"), t

    def _ArithmeticBinary(self, e: ast.ArithmeticBinary) -> tuple[str, SqlType | None]:
        left, lt = self.expr(e.left)
        right, rt = self.expr(e.right)
        op = e.op
        if lt is None or rt is None:
            names = ["null" if t is None else str(t) for t in (lt, rt)]
            err = self.error(
                f"Error processing expression: {sql(e)}. Arithmetic on types {names[0]} and {names[1]} "
                f"are not supported.",
                e,
            )
            err.append_statement(sql(e))  # as for comparisons: the statement is the arithmetic expression
            raise err
        rtype = arithmetic_type(op, lt, rt)
        # the code generator unboxes the operands (a null fails the whole expression); the pull-query
        # interpreter's ArithmeticBinaryTerm gives null for a null operand
        unbox = self._nullsafe if self.interpreted else self._unboxed
        if rtype is None:
            err = self.error(
                f"Error processing expression: {sql(e)}. Unsupported arithmetic types. {lt.base} {rt.base}", e
            )
            err.append_statement(sql(e))
            raise err
        if rtype.base == "STRING":
            # SqlToJavaVisitor.visitArithmeticBinary emits Java's `(a + b)` on two Strings: a null operand is
            # written as "null" ('a' + NULL-valued column is 'anull'), never a null result
            self.ns["_jcat"] = helpers.jcat
            return f"_jcat({left}, {right})", rtype
        if rtype.base == "DOUBLE":
            left, right = self.convert(left, lt, T.DOUBLE), self.convert(right, rt, T.DOUBLE)
            if op == "/":
                self.ns["_fdiv"] = helpers.fdiv
                return unbox([left, right], lambda v: f"_fdiv({v[0]}, {v[1]})"), rtype
            if op == "%":
                self.ns["_fmod"] = helpers.fmod
                return unbox([left, right], lambda v: f"_fmod({v[0]}, {v[1]})"), rtype
            return unbox([left, right], lambda v: f"({v[0]} {op} {v[1]})"), rtype
        if rtype.base == "DECIMAL":
            left = self.convert(left, lt, T.decimal_for_int(lt))
            right = self.convert(right, rt, T.decimal_for_int(rt))
            fn = self.bind(helpers.dec_op(op, rtype.precision or 1, rtype.scale or 0))
            return unbox([left, right], lambda v: f"{fn}({v[0]}, {v[1]})"), rtype
        bits = 32 if rtype.base == "INTEGER" else 64
        half, mask = 2 ** (bits - 1), 2**bits - 1
        if op == "/":
            self.ns["_idiv"] = helpers.idiv
            body = "_idiv({0}, {1})"
        elif op == "%":
            self.ns["_imod"] = helpers.imod
            body = "_imod({0}, {1})"
        else:
            body = "({0} " + op + " {1})"
        wrapped = "((" + body + f" + {half}) & {mask}) - {half}"
        return unbox([left, right], lambda v: "(" + wrapped.format(v[0], v[1]) + ")"), rtype

    # --- CASE ---------------------------------------------------------------------------------------
    def _case_types(
        self,
        e: ast.Expression,
        whens: tuple[ast.WhenClause, ...],
        results: list[tuple[str, SqlType | None]],
        default: tuple[str, SqlType | None] | None,
    ) -> SqlType:
        """ksqlDB's CASE typing: every THEN (and the ELSE) of one type, NULLs aside."""
        previous: SqlType | None = None
        for w, (_, t) in zip(whens, results, strict=True):
            if t is None:
                continue
            if previous is None:
                previous = t
            elif t != previous:
                raise self.error(
                    "Invalid Case expression. Type for all 'THEN' clauses should be the same.\n"
                    f"THEN expression 'WHEN {sql(w.condition)} THEN {sql(w.result)}' has type: {t}.\n"
                    f"Previous THEN expression(s) type: {previous}.",
                    e,
                )
        dt = default[1] if default is not None else None
        if previous is not None and dt is not None and dt != previous:
            raise self.error(
                "Invalid Case expression. Type for the default clause should be the same as for 'THEN' "
                f"clauses.\nTHEN type: {previous}.\nDEFAULT type: {dt}.",
                e,
            )
        rtype = previous or dt
        if rtype is None:
            raise self.error("Invalid Case expression. All case branches have NULL type", e)
        return rtype

    def _SearchedCase(self, e: ast.SearchedCase) -> tuple[str, SqlType | None]:
        if getattr(self, "_case_seen", None) is None:
            self._case_seen = e  # ksqlDB: no table function after a CASE in a column
        conds: list[str] = []
        results: list[tuple[str, SqlType | None]] = []
        for w in e.whens:
            code, t = self.expr(w.condition)
            if t is not None and t.base != "BOOLEAN":
                raise self.error(
                    f"WHEN operand type should be boolean.\nType for '{sql(w.condition)}' is {t}", e
                )
            conds.append(code)
            results.append(self.expr(w.result))
        default = self.expr(e.default) if e.default is not None else None
        rtype = self._case_types(e, e.whens, results, default)
        out = default[0] if default is not None else "None"
        nb = self._null_boolean()
        for cond, (res, _) in reversed(list(zip(conds, results, strict=True))):
            if cond in self.never_null:
                out = f"({res} if {cond} else {out})"
                continue
            t = self._tmp()
            out = f"({res} if ({t} := {cond}) else ({out} if {t} is not None else {nb}))"
        return out, rtype

    def _SimpleCase(self, e: ast.SimpleCase) -> tuple[str, SqlType | None]:
        # ksqlDB 0.29 parses `CASE x WHEN v THEN ...` but no visitor implements it: typing the expression
        # fails with an internal error (a server error, not a statement error)
        raise KsqlInternalError(
            "not yet implemented: io.confluent.ksql.execution.util.ExpressionTypeManager$Visitor"
            ".visitSimpleCaseExpression"
        )


_PRIMITIVES = {"INTEGER": "int", "BIGINT": "long", "DOUBLE": "double", "BOOLEAN": "boolean"}
_BOOLEAN_CODE = (ast.Comparison, ast.Between, ast.InList, ast.Like, ast.LogicalBinary, ast.Not, ast.IsNull)


def java_primitive(e: ast.Expression, t: SqlType | None) -> str | None:
    """The Java primitive type of the code SqlToJavaVisitor generates for `e` (None: a reference): numeric
    and boolean literals, arithmetic and unary +/- other than DECIMAL and STRING (`(a + b)` unboxes), and
    predicates (comparisons, IN, LIKE, AND/OR/NOT, IS NULL are Java booleans)."""
    if isinstance(e, ast.IntegerLiteral | ast.LongLiteral | ast.DoubleLiteral | ast.BooleanLiteral):
        return _PRIMITIVES.get(t.base) if t is not None else None
    if isinstance(e, ast.ArithmeticBinary | ast.ArithmeticUnary) and t is not None:
        return _PRIMITIVES.get(t.base)
    if isinstance(e, _BOOLEAN_CODE):
        return "boolean"
    return None


_LIKE = "io.confluent.ksql.execution.codegen.helpers.LikeEvaluator.matches(java.lang.String, java.lang.String"
_LIKE_CANDIDATES = (
    f'"default static boolean {_LIKE}, java.util.Optional)", "public static boolean {_LIKE}, char)", '
    f'"public static boolean {_LIKE})"'
)


def java_static_type(e: ast.Expression, t: SqlType | None) -> str:
    """The static type Janino gives the generated code of `e`, as it names it in errors."""
    if isinstance(e, ast.NullLiteral) or t is None:
        return "null"
    return java_primitive(e, t) or java_class(t)
