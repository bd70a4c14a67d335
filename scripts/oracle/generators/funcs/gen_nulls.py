"""Generator: null operands x operators x nesting x context (SELECT, WHERE, GROUP BY key, lambda) x types.
Writes QTT files (no outputs: fill them from the oracle with bin/fill-outputs) into OUTDIR (first argument; default cases/ next to this file)."""

import json
import re
import sys
from pathlib import Path

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "cases"
OUT.mkdir(parents=True, exist_ok=True)
CREATE = (
    "CREATE STREAM SRC (K STRING KEY, I INT, I2 INT, B BIGINT, D DOUBLE, D2 DOUBLE, DC DECIMAL(4,2), "
    "DC2 DECIMAL(10,3), S STRING, S2 STRING, BO BOOLEAN, BO2 BOOLEAN, A ARRAY<INT>, AD ARRAY<DOUBLE>) "
    "WITH (kafka_topic='src', value_format='JSON');"
)
FULL = {
    "I": 7,
    "I2": 2,
    "B": 10000000000,
    "D": 2.5,
    "D2": -0.5,
    "DC": 12.34,
    "DC2": 1234567.891,
    "S": "ab",
    "S2": "o",
    "BO": True,
    "BO2": False,
    "A": [3, 1, None],
    "AD": [1.5, None],
}
ROWS = [
    FULL,
    {k: None for k in FULL},
    {**FULL, "I2": None, "D2": None, "DC2": None, "S2": None, "BO2": None},
    {**FULL, "I": None, "D": None, "DC": None, "S": None, "BO": None, "I2": 0, "D2": 0.0, "A": [], "AD": []},
]
INPUTS = [
    {"topic": "src", "key": k, "value": v, "timestamp": 10 + i} for i, (k, v) in enumerate(zip("abcd", ROWS, strict=False))
]
# operands per type: (left, right) pairs of columns
PAIRS = {
    "INT": ("I", "I2"),
    "BIGINT": ("B", "I2"),
    "DOUBLE": ("D", "D2"),
    "DECIMAL": ("DC", "DC2"),
    "MIXED": ("I", "D2"),
    "DECDBL": ("DC", "D2"),
    "STRING": ("S", "S2"),
}
ARITH = ["+", "-", "*", "/", "%"]
WRAP = {  # nesting of an expression x
    "plain": "{x}",
    "gt": "({x}) > 1",
    "eq": "({x}) = ({x})",
    "isnull": "({x}) IS NULL",
    "isnotnull": "({x}) IS NOT NULL",
    "coalesce": "COALESCE({x}, {z})",
    "ifnull": "IFNULL({x}, {z})",
    "case": "CASE WHEN ({x}) IS NOT NULL THEN 1 ELSE 0 END",
    "casethen": "CASE WHEN BO2 IS NULL THEN {x} ELSE {z} END",
    "cast": "CAST({x} AS STRING)",
    "caststr_null": "CAST({x} AS STRING) IS NULL",
    "in": "({x}) IN ({z}, NULL)",
    "between": "({x}) BETWEEN 0 AND 100",
    "abs": "ABS({x})",
    "array": "ARRAY[{x}, {z}]",
    "neg": "-({x})",
    "distinct": "({x}) IS DISTINCT FROM {z}",
    "nested": "(({x}) * 2) > 0",
}
BOOL = [
    "{a} AND {b}",
    "{a} OR {b}",
    "NOT {a}",
    "{a} AND NOT {b}",
    "({a} OR {b}) IS NULL",
    "CASE WHEN {a} THEN 1 END",
]
ZERO = {
    "INT": "0",
    "BIGINT": "0",
    "DOUBLE": "0.0",
    "DECIMAL": "0.00",
    "MIXED": "0.0",
    "DECDBL": "0.0",
    "STRING": "'z'",
}


def name(expr):
    s = (
        expr.replace("=>", " eqgt ")
        .replace("'", "q")
        .replace(">", " gt ")
        .replace("<", " lt ")
        .replace("=", " eq ")
    )
    s = (
        s.replace("*", " x ")
        .replace("/", " div ")
        .replace("%", " mod ")
        .replace("+", " plus ")
        .replace(".", "dot")
    )
    s = s.replace("[", "(").replace("]", ")")
    return re.sub(r"[^A-Za-z0-9 _:,()-]", "", re.sub(r"\s+", " ", s)).strip()[:120]


def case(cname, stmt):
    return {"name": cname, "statements": [CREATE, stmt], "inputs": INPUTS}


def select(expr):
    return f"CREATE STREAM OUT AS SELECT K, {expr} AS R FROM SRC;"


files = {}
for t, (left, r) in PAIRS.items():
    tests = []
    for op in ARITH if t != "STRING" else ["+"]:
        x = f"{left} {op} {r}"
        for w, tmpl in WRAP.items():
            if t == "STRING" and w in ("neg", "abs", "between", "nested"):
                continue
            e = tmpl.format(x=x, z=ZERO[t])
            tests.append(case(name(f"sel {e}"), select(e)))
        tests.append(
            case(
                name(f"where {x} gt 1"),
                f"CREATE STREAM OUT AS SELECT K, I FROM SRC WHERE ({x}) > 1 OR K = 'a';",
            )
        )
        tests.append(
            case(
                name(f"where cast {x}"),
                f"CREATE STREAM OUT AS SELECT K, I FROM SRC WHERE CAST({x} AS STRING) IS NULL;",
            )
        )
        tests.append(
            case(
                name(f"groupby {x}"),
                f"CREATE TABLE OUT AS SELECT {x} AS G, COUNT(*) AS C FROM SRC GROUP BY {x};",
            )
        )
    files[f"nulls_{t.lower()}"] = tests
# unary, literals, booleans, lambdas
tests = []
for col in ["I", "B", "D", "DC", "1", "2.5", "1.5e0", "-I", "+I"]:
    for w in ["-({c})", "-({c}) > 0", "({c}) IS NULL", "COALESCE(-({c}), 0)"]:
        e = w.format(c=col)
        tests.append(case(name(f"un {e}"), select(e)))
for a, b in [
    ("BO", "BO2"),
    ("BO2", "BO"),
    ("I > 1", "BO2"),
    ("BO", "I2 > 1"),
    ("TRUE", "BO2"),
    ("FALSE", "BO"),
]:
    for w in BOOL:
        e = w.format(a=a, b=b)
        tests.append(case(name(f"bool {e}"), select(e)))
        tests.append(case(name(f"wbool {e}"), f"CREATE STREAM OUT AS SELECT K, I FROM SRC WHERE {e};"))
files["nulls_unary_bool"] = tests
tests = []
for body in [
    "x * 2",
    "x + I",
    "x IS NULL",
    "(x + 1) IS NULL",
    "x > 1",
    "COALESCE(x, 0) * 2",
    "CAST(x * 2 AS STRING)",
    "-x",
    "x / 0",
]:
    for fn in [
        "TRANSFORM(A, x => {b})",
        "FILTER(A, x => ({b}) IS NOT NULL)",
        "TRANSFORM(AD, x => {b})",
        "COALESCE(TRANSFORM(A, x => {b}), ARRAY[1])",
        "ARRAY_LENGTH(TRANSFORM(A, x => {b}))",
    ]:
        e = fn.format(b=body)
        tests.append(case(name(f"lam {e}"), select(e)))
for e in [
    "REDUCE(A, 0, (q, x) => q + x)",
    "REDUCE(A, 0, (q, x) => IFNULL(x, 0) + q)",
    "REDUCE(AD, 0.0, (q, x) => q * x)",
    "TRANSFORM(A, x => x * I2)",
    "FILTER(A, x => x * 2 > 1)",
]:
    tests.append(case(name(f"lam {e}"), select(e)))
files["nulls_lambda"] = tests
for stem, tests in files.items():
    seen = set()
    for t in tests:
        while t["name"] in seen:
            t["name"] += " 2"
        seen.add(t["name"])
    (OUT / f"{stem}.json").write_text(json.dumps({"tests": tests}, indent=1))
    print(stem, len(tests))
