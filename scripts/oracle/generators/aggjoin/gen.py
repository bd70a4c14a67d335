"""Generator: held-out classes c (aggregations/windows) and d (joins), crossing the dimensions of the brief.
Writes QTT files (no outputs: for diff-ours / fill-outputs) into OUTDIR (first argument; default out/ next to this file)."""

import json
import sys
from pathlib import Path

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "out"
OUT.mkdir(parents=True, exist_ok=True)


def case(name, stmts, inputs):
    return {"name": name, "statements": stmts, "inputs": inputs}


def rec(topic, key, value, ts):
    return {"topic": topic, "key": key, "value": value, "timestamp": ts}


SRC = "CREATE STREAM SRC (K STRING KEY, I INT, B BIGINT, D DOUBLE, DC DECIMAL(6,2), S STRING) WITH (kafka_topic='src', value_format='JSON');"
TSRC = "CREATE TABLE TSRC (K STRING PRIMARY KEY, G STRING, I INT, B BIGINT, D DOUBLE, DC DECIMAL(6,2), S STRING) WITH (kafka_topic='tsrc', value_format='JSON');"


def src_inputs():
    vals = [
        ("a", 1, 10, 1.5, "1.25", "x", 0),
        ("a", 2, 20, 2.5, "2.50", None, 400),
        ("b", None, None, None, None, "y", 700),
        ("a", 3, 30, -1.0, "-0.75", "x", 1100),
        ("b", 4, 2**40, 0.1, "9999.99", "z", 1500),
        ("a", -5, -50, 3.0, "0.01", "y", 2600),
        ("a", 7, 70, 7.0, "7.00", "w", 900),
        ("b", 8, 80, 8.0, "8.00", None, 5000),
        ("c", 2147483647, 9223372036854775807, 1e308, "1.00", "q", 5100),
    ]
    return [
        rec("src", k, {"I": i, "B": b, "D": d, "DC": None if dc is None else float(dc), "S": s}, ts)
        for k, i, b, d, dc, s, ts in vals
    ]


def tsrc_inputs():
    vals = [
        ("r1", "g1", 1, 10, 1.5, "1.25", "x", 0),
        ("r2", "g1", 2, 20, 2.5, "2.50", "y", 300),
        ("r3", "g2", 3, 30, 3.5, "3.75", None, 600),
        ("r1", "g2", 4, 40, 4.5, "4.00", "x", 1200),
        ("r2", None, 5, 50, 5.5, "5.00", "z", 1300),
        ("r3", None, None, None, None, None, None, 2100),
        ("r4", "g1", 6, 60, 6.5, "6.00", "w", 2500),
    ]
    out = []
    for k, g, i, b, d, dc, s, ts in vals:
        v = (
            None
            if (g is None and i is None)
            else {"G": g, "I": i, "B": b, "D": d, "DC": None if dc is None else float(dc), "S": s}
        )
        out.append(rec("tsrc", k, v, ts))
    return out


files = {}
# --- c1: AVG / SUM / MIN / MAX over numeric types, windows and not
aggs = ["AVG(I)", "AVG(B)", "AVG(D)", "AVG(DC)", "SUM(DC)", "MIN(DC)", "MAX(DC)", "SUM(I)", "SUM(B)"]
windows = {
    "nowin": "",
    "tumb1s": "WINDOW TUMBLING (SIZE 1 SECOND)",
    "hop2s1s_g1s": "WINDOW HOPPING (SIZE 2 SECONDS, ADVANCE BY 1 SECOND, GRACE PERIOD 1 SECOND)",
    "hop2s1s_r5s_g0": "WINDOW HOPPING (SIZE 2 SECONDS, ADVANCE BY 1 SECOND, RETENTION 5 SECONDS, GRACE PERIOD 0 SECONDS)",
    "sess1s_g1s": "WINDOW SESSION (1 SECOND, GRACE PERIOD 1 SECOND)",
}
tests = []
for a in aggs:
    for wn, w in windows.items():
        tests.append(
            case(
                f"{a.replace('(', ' ').replace(')', '')} {wn}",
                [SRC, f"CREATE TABLE T AS SELECT K, {a} AS A, COUNT(*) AS C FROM SRC {w} GROUP BY K;"],
                src_inputs(),
            )
        )
files["c_numeric"] = tests
# --- c2: TOPK & co over windows, nulls
funcs = [
    "TOPK(I, 2)",
    "TOPKDISTINCT(S, 2)",
    "TOPK(D, 3)",
    "TOPKDISTINCT(DC, 2)",
    "LATEST_BY_OFFSET(S)",
    "LATEST_BY_OFFSET(S, false)",
    "EARLIEST_BY_OFFSET(I)",
    "EARLIEST_BY_OFFSET(I, false)",
    "LATEST_BY_OFFSET(I, 2)",
    "EARLIEST_BY_OFFSET(S, 2, false)",
    "COLLECT_LIST(S)",
    "COLLECT_SET(DC)",
    "COUNT(S)",
    "COUNT_DISTINCT(S)",
]
tests = []
for f in funcs:
    for wn, w in windows.items():
        name = f.replace("(", " ").replace(")", "").replace(",", "")
        tests.append(
            case(
                f"{name} {wn}",
                [SRC, f"CREATE TABLE T AS SELECT K, {f} AS A FROM SRC {w} GROUP BY K;"],
                src_inputs(),
            )
        )
files["c_funcs"] = tests
# --- c3: windowed aggregation over tables; table re-aggregation
tests = []
for f in ["COUNT(*)", "SUM(I)", "AVG(DC)", "COLLECT_LIST(S)", "LATEST_BY_OFFSET(S)", "MAX(I)"]:
    name = f.replace("(", " ").replace(")", "").replace("*", "star")
    tests.append(
        case(
            f"table {name}",
            [TSRC, f"CREATE TABLE T AS SELECT G, {f} AS A FROM TSRC GROUP BY G;"],
            tsrc_inputs(),
        )
    )
    for wn, w in list(windows.items())[1:3]:
        tests.append(
            case(
                f"table {name} {wn}",
                [TSRC, f"CREATE TABLE T AS SELECT G, {f} AS A FROM TSRC {w} GROUP BY G;"],
                tsrc_inputs(),
            )
        )
files["c_table"] = tests
# --- c4: WINDOWSTART / WINDOWEND
tests = []
W = "WINDOW TUMBLING (SIZE 1 SECOND)"
for n, sel in [
    ("proj", "K, WINDOWSTART AS WS, WINDOWEND AS WE, COUNT(*) AS C"),
    (
        "expr",
        "K, WINDOWEND - WINDOWSTART AS LEN, TIMESTAMPTOSTRING(WINDOWSTART, 'HH:mm:ss', 'UTC') AS T, COUNT(*) AS C",
    ),
    ("noalias", "K, WINDOWSTART, WINDOWEND, COUNT(*) AS C"),
    ("having", "K, COUNT(*) AS C FROM SRC " + W + " GROUP BY K HAVING WINDOWSTART > 0 --"),
]:
    s = (
        f"CREATE TABLE T AS SELECT {sel} FROM SRC {W} GROUP BY K;"
        if "--" not in sel
        else f"CREATE TABLE T AS SELECT {sel.split(' --')[0]};"
    )
    tests.append(case(f"ws {n}", [SRC, s], src_inputs()))
tests.append(
    case(
        "ws where",
        [SRC, f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W} WHERE WINDOWSTART > 0 GROUP BY K;"],
        src_inputs(),
    )
)
tests.append(
    case(
        "ws group by",
        [SRC, f"CREATE TABLE T AS SELECT WINDOWSTART AS X, COUNT(*) AS C FROM SRC {W} GROUP BY WINDOWSTART;"],
        src_inputs(),
    )
)
tests.append(
    case(
        "ws downstream",
        [
            SRC,
            f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W} GROUP BY K;",
            "CREATE TABLE T2 AS SELECT K, WINDOWSTART AS WS, C FROM T WHERE WINDOWEND > 1000;",
        ],
        src_inputs(),
    )
)
tests.append(
    case(
        "ws downstream stream",
        [
            SRC,
            f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W} GROUP BY K;",
            "CREATE STREAM S2 (K STRING KEY, C BIGINT) WITH (kafka_topic='T', value_format='JSON', window_type='Tumbling', window_size='1 SECOND');",
            "CREATE STREAM S3 AS SELECT K, WINDOWSTART AS WS, WINDOWEND AS WE, C FROM S2;",
        ],
        src_inputs(),
    )
)
files["c_windowbounds"] = tests
for n, t in files.items():
    (OUT / f"{n}.json").write_text(json.dumps({"tests": t}, indent=1))
    print(n, len(t))
