"""Comparisons of mismatched types inside a CAST (which ksqlDB's ExpressionTypeManager does not type), in the
projection and the WHERE clause, and one outside a CAST: QTT file (no outputs) into OUTDIR (first argument;
default out/ next to this file)."""

import json
import sys
from pathlib import Path

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "out"
OUT.mkdir(parents=True, exist_ok=True)

S = "CREATE STREAM S (K STRING KEY, V INT, W STRING) WITH (kafka_topic='s', value_format='JSON');"
INPUTS = [
    {"topic": "s", "key": "a", "value": {"V": 1, "W": "1"}, "timestamp": 1},
    {"topic": "s", "key": "b", "value": {"V": 2, "W": "x"}, "timestamp": 2},
    {"topic": "s", "key": "c", "value": {"V": None, "W": None}, "timestamp": 3},
]
EXPRS = {
    "int eq str": "CAST((V = '1') AS STRING)",
    "str eq int": "CAST((W = 1) AS STRING)",
    "int lt str": "CAST((V < '2') AS STRING)",
    "str eq int bool": "CAST((W = 1) AS BOOLEAN)",
    "int eq str nested": "CAST(CAST((V = '1') AS STRING) AS STRING)",
    "bare int eq str": "(V = '1')",
    "cast int plus str": "CAST((V + 'a') AS STRING)",
}
tests = [
    {"name": name, "statements": [S, f"CREATE STREAM OUT AS SELECT K, {e} AS X FROM S;"], "inputs": INPUTS}
    for name, e in EXPRS.items()
]
tests.append({
    "name": "cast in where",
    "statements": [S, "CREATE STREAM OUT AS SELECT K, V FROM S WHERE CAST((V = '1') AS BOOLEAN);"],
    "inputs": INPUTS,
})
(OUT / "castcmp.json").write_text(json.dumps({"tests": tests}, indent=1))
