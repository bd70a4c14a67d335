"""Function parameter types as ksqlDB declares them, and its rules for matching arguments to them.

A parameter type is written as ksqlDB shows it in DESCRIBE FUNCTION: `INT`, `BIGINT`, `DOUBLE`, `VARCHAR`,
`BOOLEAN`, `BYTES`, `DATE`, `TIME`, `TIMESTAMP`, `DECIMAL` (any precision), `ANY`, `INTERVAL UNIT`,
`ARRAY<T>`, `MAP<K, V>`, `STRUCT<>` (any struct) or `STRUCT<A INT>`, `LAMBDA (T, U) => R`, and a single
upper-case letter (or a name not otherwise known) for a generic type. Plugin declarations may also use
engine spellings (`STRING`, `INTEGER`) and bare `ARRAY` / `MAP` / `STRUCT` for "any of that family".

An argument is a `SqlType`, None (a NULL literal), a `LambdaArg` or `INTERVAL`. Matching follows ksqlDB's
UdfIndex and GenericsUtil: generic parameters bind to exact types (no widening), other parameters accept
their own type or, in the second pass, a type that implicitly casts to it (numbers widen INTEGER ->
BIGINT -> DECIMAL -> DOUBLE; STRING casts to DATE, TIME, TIMESTAMP and BYTES).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ksqlserver.catalog import types as T
from ksqlserver.catalog.types import SqlType
from ksqlserver.errors import KsqlFunctionError
from ksqlserver.formats.javamap import bucket_order
from ksqlserver.formats.javamap import java_hash as java_object_hash

# primitive parameter spellings -> engine base type
_PRIMS = {
    "INT": "INTEGER", "INTEGER": "INTEGER", "BIGINT": "BIGINT", "DOUBLE": "DOUBLE", "VARCHAR": "STRING",
    "STRING": "STRING", "BOOLEAN": "BOOLEAN", "BYTES": "BYTES", "DATE": "DATE", "TIME": "TIME",
    "TIMESTAMP": "TIMESTAMP", "DECIMAL": "DECIMAL",
}
_SHOWN = {"INTEGER": "INT", "STRING": "VARCHAR"}
_ORDER = ("BOOLEAN", "INTEGER", "BIGINT", "DECIMAL", "DOUBLE", "STRING", "ARRAY", "MAP", "STRUCT", "TIME",
          "DATE", "TIMESTAMP", "BYTES")  # SqlBaseType order: implicit numeric casts go up this list
_NUMBERS = ("INTEGER", "BIGINT", "DECIMAL", "DOUBLE")


@dataclass(frozen=True)
class PT:
    """A parameter type: `kind` is PRIM (with `name` the engine base), ANY, INTERVAL, GENERIC (`name`),
    ARRAY (`args` = element), MAP (key, value), STRUCT (`fields`, None = any struct) or LAMBDA (inputs...,
    return)."""

    kind: str
    name: str = ""
    args: tuple[PT, ...] = ()
    fields: tuple[tuple[str, PT], ...] | None = None

    def __str__(self) -> str:
        k = self.kind
        if k == "PRIM":
            return _SHOWN.get(self.name, self.name)
        if k in ("ANY", "GENERIC"):
            return self.name or "ANY"
        if k == "INTERVAL":
            return "INTERVAL UNIT"
        if k == "ARRAY":
            return f"ARRAY<{self.args[0]}>"
        if k == "MAP":
            return f"MAP<{self.args[0]}, {self.args[1]}>"
        if k == "STRUCT":
            return "STRUCT<" + ", ".join(f"{n} {t}" for n, t in self.fields or ()) + ">"
        return "LAMBDA (" + ", ".join(map(str, self.args[:-1])) + f") => {self.args[-1]}"

    @property
    def generics(self) -> frozenset[str]:
        if self.kind == "GENERIC":
            return frozenset((self.name,))
        out: frozenset[str] = frozenset()
        for a in self.args:
            out |= a.generics
        for _, f in self.fields or ():
            out |= f.generics
        return out


ANY = PT("ANY", "ANY")
INTERVAL_PT = PT("INTERVAL")


@dataclass(frozen=True)
class LambdaArg:
    """A lambda argument: its parameter count, and once typed its parameter and body types."""

    n_inputs: int
    inputs: tuple[SqlType | None, ...] | None = None
    returns: SqlType | None = None

    def __str__(self) -> str:
        if self.inputs is None:
            return "LAMBDA"
        return "LAMBDA (" + ", ".join(map(str, self.inputs)) + f") => {self.returns}"


class IntervalArg:
    """A time-unit argument (`DAYS` in `DATEADD(DAYS, 1, d)`)."""

    def __init__(self, unit: str = "DAYS") -> None:
        self.unit = unit

    def __str__(self) -> str:
        return self.unit


Arg = SqlType | LambdaArg | IntervalArg | None


# --- Java hash codes (UdfIndex keeps its functions in a HashMap keyed by parameter lists) -------------

_PRIM_HASH = {  # the constant hashCode() of each ksqlDB ParamType class
    "BOOLEAN": 1, "DECIMAL": 2, "DOUBLE": 3, "INTEGER": 4, "BIGINT": 5, "STRING": 6, "TIMESTAMP": 7,
    "TIME": 8, "DATE": 9, "BYTES": 10,
}


def _i32(n: int) -> int:
    n &= 0xFFFFFFFF
    return n - (1 << 32) if n >= 1 << 31 else n


def java_string_hash(s: str) -> int:
    """java.lang.String.hashCode over UTF-16 units, as a signed int."""
    return _i32(java_object_hash(s) or 0)


def java_list_hash(hashes: list[int]) -> int:
    """java.util.List.hashCode (and Objects.hash of these values)."""
    h = 1
    for x in hashes:
        h = _i32(31 * h + x)
    return h


def java_hash(p: PT) -> int:
    """The hashCode() of ksqlDB's ParamType for `p` (ArrayType/MapType/GenericType/LambdaType use
    Objects.hash of their parts, StructType of its ImmutableMap schema, IntervalUnitType is 8)."""
    k = p.kind
    if k == "PRIM":
        return _PRIM_HASH[p.name]
    if k == "ANY":
        return 11
    if k == "INTERVAL":
        return 8
    if k == "GENERIC":
        return java_list_hash([java_string_hash(p.name)])
    if k in ("ARRAY", "MAP"):
        return java_list_hash([java_hash(a) for a in p.args])
    if k == "STRUCT":  # Map.hashCode: the sum of key.hashCode() ^ value.hashCode()
        schema = sum(java_string_hash(n) ^ java_hash(t) for n, t in p.fields or ())
        return java_list_hash([_i32(schema)])
    inputs = java_list_hash([java_hash(a) for a in p.args[:-1]])
    return java_list_hash([inputs, java_hash(p.args[-1])])


def java_hashmap_order(hashes: list[int]) -> list[int]:
    """The iteration order of a default java.util.HashMap over keys with these hash codes, inserted in this
    order (distinct keys)."""
    return bucket_order(hashes)


# --- parsing ------------------------------------------------------------------------------------------


class Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def take(self, s: str) -> None:
        self.peek()
        if not self.text.startswith(s, self.pos):
            raise ValueError(f"expected {s!r} at {self.pos} in parameter type {self.text!r}")
        self.pos += len(s)

    def word(self) -> str:
        self.peek()
        start = self.pos
        while self.pos < len(self.text) and (self.text[self.pos].isalnum() or self.text[self.pos] in "_`"):
            self.pos += 1
        return self.text[start:self.pos].strip("`")

    def type(self) -> PT:
        w = self.word()
        up = w.upper()
        if up == "INTERVAL":
            self.word()  # UNIT
            return INTERVAL_PT
        if up == "ANY":
            return ANY
        if up == "LAMBDA":
            self.take("(")
            ins = []
            while self.peek() != ")":
                ins.append(self.type())
                if self.peek() == ",":
                    self.take(",")
            self.take(")")
            self.take("=>")
            return PT("LAMBDA", args=(*ins, self.type()))
        if up in ("ARRAY", "MAP", "STRUCT") and self.peek() != "<":
            return {"ARRAY": PT("ARRAY", args=(ANY,)), "MAP": PT("MAP", args=(ANY, ANY))}.get(
                up, PT("STRUCT")
            )
        if up == "ARRAY":
            self.take("<")
            el = self.type()
            self.take(">")
            return PT("ARRAY", args=(el,))
        if up == "MAP":
            self.take("<")
            k = self.type()
            self.take(",")
            v = self.type()
            self.take(">")
            return PT("MAP", args=(k, v))
        if up == "STRUCT":
            self.take("<")
            fields = []
            while self.peek() != ">":
                name = self.word()
                fields.append((name, self.type()))
                if self.peek() == ",":
                    self.take(",")
            self.take(">")
            return PT("STRUCT", fields=tuple(fields))
        if up in _PRIMS:
            if up == "DECIMAL" and self.peek() == "(":  # a plugin's DECIMAL(p, s): any decimal
                self.pos = self.text.index(")", self.pos) + 1
            return PT("PRIM", _PRIMS[up])
        if not w:
            raise ValueError(f"bad parameter type {self.text!r}")
        return PT("GENERIC", w)


@lru_cache(maxsize=4096)
def parse(text: str) -> PT:
    """The parameter type for `text` (see the module docstring); a trailing `...` is not part of it."""
    r = Reader(text.strip())
    t = r.type()
    if r.peek():
        raise ValueError(f"unexpected text in parameter type {text!r}")
    return t


# --- engine types as function types ------------------------------------------------------------------


def plain(t: Arg) -> str:
    """An argument as ksqlDB prints it in function errors (no identifier quoting; NULL is `null`)."""
    if t is None:
        return "null"
    if not isinstance(t, SqlType):
        return str(t)
    if t.base == "ARRAY":
        return f"ARRAY<{plain(t.item)}>"
    if t.base == "MAP":
        return f"MAP<{plain(t.key)}, {plain(t.item)}>"
    if t.base == "STRUCT":
        return "STRUCT<" + ", ".join(f"{n} {plain(ft)}" for n, ft in t.fields or ()) + ">"
    return str(t)


def of_sql(t: SqlType) -> PT:
    """The function type of an engine type (ksqlDB's sqlToFunctionConverter)."""
    if t.base == "ARRAY":
        return PT("ARRAY", args=(of_sql(t.item or T.STRING),))
    if t.base == "MAP":
        return PT("MAP", args=(of_sql(t.key or T.STRING), of_sql(t.item or T.STRING)))
    if t.base == "STRUCT":
        return PT("STRUCT", fields=tuple((n, of_sql(ft)) for n, ft in t.fields or ()))
    return PT("PRIM", t.base)


def to_sql(p: PT, arg: SqlType | None = None, generics: dict[str, SqlType | None] | None = None) -> SqlType:
    """The engine type of a parameter type: DECIMAL takes the argument's decimal (an integer's exact
    decimal), generics their bound types."""
    k = p.kind
    if k == "PRIM":
        if p.name == "DECIMAL":
            if arg is not None and arg.base in ("INTEGER", "BIGINT", "DECIMAL"):
                return T.decimal_for_int(arg)
            return arg if arg is not None and arg.base == "DECIMAL" else T.decimal(38, 18)
        return SqlType(p.name)
    if k == "GENERIC":
        bound = (generics or {}).get(p.name)
        if bound is None:
            if generics is not None and p.name in generics:
                raise KsqlFunctionError(f"null value in entry: {p.name}=null")
            raise KsqlFunctionError(f"Could not find mapping for generic type: {p.name}")
        return bound
    if k == "ARRAY":
        return T.array(to_sql(p.args[0], arg.item if arg is not None else None, generics))
    if k == "MAP":
        return T.map_of(
            to_sql(p.args[0], arg.key if arg is not None else None, generics),
            to_sql(p.args[1], arg.item if arg is not None else None, generics),
        )
    if k == "STRUCT":
        return T.struct([(n, to_sql(f, None, generics)) for n, f in p.fields or ()])
    raise KsqlFunctionError(f"Type {p} has no SQL type")


# --- compatibility (ParamTypes.areCompatible) and generics (GenericsUtil) -----------------------------


def _base_order(base: str) -> int:
    return _ORDER.index(base) if base in _ORDER else -1


def can_implicitly_cast(src: str, dst: str) -> bool:
    """ksqlDB's SqlBaseType.canImplicitlyCast."""
    if src == dst:
        return True
    if src in _NUMBERS and dst in _NUMBERS and _base_order(src) <= _base_order(dst):
        return True
    return src == "STRING" and dst in ("TIME", "DATE", "TIMESTAMP", "BYTES")


def _pt_base(p: PT) -> str:
    return p.name if p.kind == "PRIM" else p.kind


def compatible(arg: Arg, p: PT, casts: bool) -> bool:
    if p.kind == "ANY":
        return True
    if isinstance(arg, LambdaArg):
        if p.kind != "LAMBDA":
            raise KsqlFunctionError("Was expecting type as a function argument")
        if arg.inputs is None:
            return arg.n_inputs == len(p.args) - 1
        if len(arg.inputs) != len(p.args) - 1:
            return False
        return all(compatible(a, q, casts) for a, q in zip(arg.inputs, p.args, strict=False)) and compatible(
            arg.returns, p.args[-1], casts
        )
    if isinstance(arg, IntervalArg) or p.kind == "INTERVAL":
        return isinstance(arg, IntervalArg) and p.kind == "INTERVAL"
    if arg is None:
        return True
    if arg.base == "ARRAY" and p.kind == "ARRAY":
        return compatible(arg.item, p.args[0], casts)
    if arg.base == "MAP" and p.kind == "MAP":
        return compatible(arg.key, p.args[0], casts) and compatible(arg.item, p.args[1], casts)
    if arg.base == "STRUCT" and p.kind == "STRUCT":
        if not arg.fields or not p.fields:
            return True
        mine = dict(arg.fields)
        return len(arg.fields) == len(p.fields) and all(
            n in mine and compatible(mine[n], f, False) for n, f in p.fields
        )
    if p.kind in ("PRIM",) and arg.base == p.name:
        return True
    return casts and can_implicitly_cast(arg.base, _pt_base(p))


def _matches(p: PT, arg: Arg) -> bool:
    if isinstance(arg, LambdaArg):
        return p.kind == "LAMBDA"
    if arg is None or isinstance(arg, IntervalArg):
        return False
    if p.kind == "PRIM":
        return arg.base == p.name
    return arg.base == p.kind


def _collect(p: PT, arg: Arg, out: list[tuple[str, SqlType | None]]) -> bool:
    """GenericsUtil.resolveGenerics: the generic bindings `arg` gives `p`, False if their shapes differ."""
    if p.kind != "GENERIC" and not _matches(p, arg):
        return False
    if not p.generics:
        return True
    if p.kind == "LAMBDA":
        assert isinstance(arg, LambdaArg)
        if arg.n_inputs != len(p.args) - 1:
            return False
        if arg.inputs is None:
            return True
        for q, a in zip(p.args[:-1], arg.inputs, strict=True):
            if not _collect(q, a, out):
                return False
        return _collect(p.args[-1], arg.returns, out)
    if isinstance(arg, LambdaArg):
        raise KsqlFunctionError("Was expecting type as a function argument")
    if p.kind == "GENERIC":
        out.append((p.name, arg))  # type: ignore[arg-type]
        return True
    assert isinstance(arg, SqlType)
    if p.kind == "ARRAY":
        return _collect(p.args[0], arg.item, out)
    if p.kind == "MAP":
        return _collect(p.args[0], arg.key, out) and _collect(p.args[1], arg.item, out)
    if p.kind == "STRUCT":
        raise KsqlFunctionError("Generic STRUCT is not yet supported")
    return True


def reserve(p: PT, arg: Arg, reserved: dict[str, SqlType | None]) -> str | None:
    """Bind the generics of `p` from `arg` into `reserved`; the reason when they cannot be bound."""
    found: list[tuple[str, SqlType | None]] = []
    if not _collect(p, arg, found):
        return (
            f"Cannot infer generics for {p} from {plain(arg)} because they do not have the same schema "
            f"structure."
        )
    for name, t in found:
        if name in reserved and reserved[name] is not None and reserved[name] != t:
            return (
                f"Found invalid instance of generic schema when mapping {p} to {plain(arg)}. Cannot map "
                f"{name} to both {plain(reserved[name])} and {plain(t)}"
            )
        if reserved.get(name) is None:  # HashMap.putIfAbsent replaces a null binding
            reserved[name] = t
    return None


def accepts(p: PT, arg: Arg, reserved: dict[str, SqlType | None], casts: bool) -> bool:
    """UdfIndex's Parameter.accepts: NULL fits anything; generic parameters bind exactly."""
    if arg is None:
        return True
    if p.generics:
        return reserve(p, arg, reserved) is None
    return compatible(arg, p, casts)
