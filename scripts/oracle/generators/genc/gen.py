"""Generator genc: class c (aggregations and windows) probes that earlier generators did not cover.

Writes QTT-format files without outputs (input for the oracle's bin/diff-ours and bin/fill-outputs) into
the directory given as the first argument (default ./out). See README.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "out")
OUT.mkdir(parents=True, exist_ok=True)
FILES: dict[str, list[dict]] = {}


def case(file: str, name: str, stmts: list[str], inputs: list[dict] | None = None, **extra) -> None:
    t: dict = {"name": name, "statements": stmts}
    # every case has an input (an error case too: the oracle decides whether it fails)
    t["inputs"] = inputs or [rec("src", "a", {"G": "x", "I": 1}, 0)]
    t.update(extra)
    FILES.setdefault(file, []).append(t)


def rec(topic: str, key, value, ts: int, window: dict | None = None) -> dict:
    r = {"topic": topic, "key": key, "value": value, "timestamp": ts}
    if window:
        r["window"] = window
    return r


# --------------------------------------------------------------------------- sources and data
SRC_COLS = "K STRING KEY, G STRING, I INT, B BIGINT, D DOUBLE, DC DECIMAL(4,2), S STRING, ST STRUCT<F INT, N STRING>, A ARRAY<INT>"
TSRC_COLS = SRC_COLS.replace("K STRING KEY", "K STRING PRIMARY KEY")


def src(kf: str = "KAFKA", vf: str = "JSON", name: str = "SRC", topic: str = "src") -> str:
    return f"CREATE STREAM {name} ({SRC_COLS}) WITH (kafka_topic='{topic}', key_format='{kf}', value_format='{vf}');"


def tsrc(kf: str = "KAFKA", vf: str = "JSON") -> str:
    return (
        f"CREATE TABLE TSRC ({TSRC_COLS}) WITH (kafka_topic='tsrc', key_format='{kf}', value_format='{vf}');"
    )


def v(g, i, b, d, dc, s, st=None, a=None):
    return {"G": g, "I": i, "B": b, "D": d, "DC": dc, "S": s, "ST": st, "A": a}


# out of order, late within and beyond a 1 s grace (1 s windows)
OOO = [
    ("a", v("x", 1, 10, 1.5, 1.25, "p", {"F": 1, "N": "n1"}, [1, 2]), 0),
    ("b", v("y", 2, 20, 2.5, 2.5, "q", {"F": 2, "N": None}, [3]), 400),
    ("a", v("x", 3, 30, -1.0, -0.75, "r", {"F": 3, "N": "n3"}, []), 1200),
    ("a", v("y", None, None, None, None, None, None, None), 700),  # late, window 0 still open
    ("b", v("y", 5, 50, 0.5, 9.99, "q", {"F": None, "N": "n5"}, [5, None]), 2600),
    (
        "a",
        v("x", 6, 60, 6.0, 6.0, "s", {"F": 6, "N": "n6"}, [6]),
        900,
    ),  # late: window 0 closes at 1000+1000 grace
    ("a", v("z", 7, 70, 7.25, 0.07, "t", {"F": 7, "N": "n7"}, [7]), 3100),
    (
        "b",
        v("x", 8, 80, 8.0, 8.0, "u", {"F": 8, "N": "n8"}, [8]),
        1500,
    ),  # too late for window 1 with grace 1 s? end 2000+1000 > 3100 -> no
    ("a", v("x", 9, 90, 9.0, 9.0, "p", {"F": 9, "N": "n9"}, [9]), 6500),
    ("b", v("y", 10, 100, 10.0, 10.0, "q", {"F": 10, "N": "n10"}, [10]), 200),  # very late
    ("c", v("z", 11, 110, 11.0, 11.0, "r", {"F": 11, "N": "n11"}, [11]), 9000),
]

# sessions (gap 1 s): two sessions of a bridged by a late record, b merges three
SESS = [
    ("a", v("x", 1, 10, 1.0, 1.0, "p", {"F": 1, "N": "n"}, [1]), 0),
    ("a", v("x", 2, 20, 2.0, 2.0, "q", {"F": 2, "N": "n"}, [2]), 2500),
    ("b", v("y", 3, 30, 3.0, 3.0, "r", {"F": 3, "N": "n"}, [3]), 1000),
    ("b", v("y", 4, 40, 4.0, 4.0, "s", {"F": 4, "N": "n"}, [4]), 4000),
    ("a", v("x", 5, 50, 5.0, 5.0, "t", {"F": 5, "N": "n"}, [5]), 1300),  # bridges [0] and [2500]
    ("b", v("y", None, None, None, None, None, None, None), 2600),  # bridges [1000] and [4000]
    ("a", v("x", 7, 70, 7.0, 7.0, "u", {"F": 7, "N": "n"}, [7]), 3000),  # extends the merged session
    ("b", v("y", 8, 80, 8.0, 8.0, "p", {"F": 8, "N": "n"}, [8]), 7000),
    ("a", v("x", 9, 90, 9.0, 9.0, "q", {"F": 9, "N": "n"}, [9]), 500),  # inside the merged session
    ("a", v("x", 10, 100, 10.0, 10.0, "r", {"F": 10, "N": "n"}, [10]), 4200),
    (
        "b",
        v("y", 11, 110, 11.0, 11.0, "s", {"F": 11, "N": "n"}, [11]),
        5200,
    ),  # late, gap 1s from 4000? (5000+grace)
    ("c", v("z", 12, 120, 12.0, 12.0, "t", {"F": 12, "N": "n"}, [12]), 12000),
]


def src_inputs(rows, kf: str = "KAFKA", topic: str = "src"):
    return [rec(topic, k, val, ts) for k, val, ts in rows]


# table rows: updates that move rows between groups, tombstones, re-inserts, null group values
TROWS = [
    ("r1", v("g1", 1, 10, 1.5, 1.25, "x", {"F": 1, "N": "a"}, [1]), 0),
    ("r2", v("g1", 2, 20, 2.5, 2.5, "y", {"F": 2, "N": "b"}, [2, 3]), 100),
    ("r3", v("g2", 3, 30, 3.5, 3.75, None, {"F": 3, "N": None}, None), 200),
    ("r1", v("g2", 4, 40, 4.5, 4.0, "x", {"F": 4, "N": "a"}, [4]), 300),
    ("r2", None, 400),
    ("r4", v("g1", None, None, None, None, None, None, None), 500),
    ("r3", v(None, 5, 50, 5.5, 5.0, "z", {"F": 5, "N": "c"}, [5]), 600),
    ("r5", v("g2", 6, 60, 6.5, 6.0, "w", {"F": 6, "N": "d"}, [6, None]), 700),
    ("r1", v("g2", 7, 70, 7.5, 7.0, "x", {"F": 7, "N": "a"}, [7]), 800),
    ("r2", v("g1", 8, 80, 8.5, 8.0, "y", {"F": 8, "N": "b"}, [8]), 900),
    ("r9", None, 1000),
    ("r5", None, 1100),
    ("r1", None, 1200),
]


def t_inputs():
    return [rec("tsrc", k, val, ts) for k, val, ts in TROWS]


W = {
    "tumb1s_g1s": "WINDOW TUMBLING (SIZE 1 SECOND, GRACE PERIOD 1 SECOND)",
    "tumb2s_g0": "WINDOW TUMBLING (SIZE 2 SECONDS, GRACE PERIOD 0 SECONDS)",
    "tumb1s_r3s_g500": "WINDOW TUMBLING (SIZE 1 SECOND, RETENTION 3 SECONDS, GRACE PERIOD 500 MILLISECONDS)",
    "hop2s1s_g1s": "WINDOW HOPPING (SIZE 2 SECONDS, ADVANCE BY 1 SECOND, GRACE PERIOD 1 SECOND)",
    "hop3s2s_g0": "WINDOW HOPPING (SIZE 3 SECONDS, ADVANCE BY 2 SECONDS, GRACE PERIOD 0 SECONDS)",
    "hop2s2s": "WINDOW HOPPING (SIZE 2 SECONDS, ADVANCE BY 2 SECONDS)",
    "sess1s_g1s": "WINDOW SESSION (1 SECOND, GRACE PERIOD 1 SECOND)",
    "sess1s_g0": "WINDOW SESSION (1 SECOND, GRACE PERIOD 0 MILLISECONDS)",
    "sess2s_r10s_g3s": "WINDOW SESSION (2 SECONDS, RETENTION 10 SECONDS, GRACE PERIOD 3 SECONDS)",
}

# --------------------------------------------------------------------------- 1. EMIT FINAL
F = "emitfinal"
for wn in [
    "tumb1s_g1s",
    "tumb2s_g0",
    "tumb1s_r3s_g500",
    "hop2s1s_g1s",
    "hop3s2s_g0",
    "sess1s_g1s",
    "sess1s_g0",
    "sess2s_r10s_g3s",
]:
    w = W[wn]
    data = SESS if wn.startswith("sess") else OOO
    case(
        F,
        f"final {wn} count sum",
        [
            src(),
            f"CREATE TABLE T AS SELECT K, COUNT(*) AS C, SUM(I) AS SI FROM SRC {w} GROUP BY K EMIT FINAL;",
        ],
        src_inputs(data),
    )
    case(
        F,
        f"final {wn} ws we collect",
        [
            src(),
            f"CREATE TABLE T AS SELECT K, WINDOWSTART AS WS, WINDOWEND AS WE, COLLECT_LIST(S) AS L, LATEST_BY_OFFSET(I) AS LI FROM SRC {w} GROUP BY K EMIT FINAL;",
        ],
        src_inputs(data),
    )
    case(
        F,
        f"final {wn} having",
        [
            src(),
            f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {w} GROUP BY K HAVING COUNT(*) > 1 EMIT FINAL;",
        ],
        src_inputs(data),
    )
    case(
        F,
        f"final {wn} gb G",
        [
            src(),
            f"CREATE TABLE T AS SELECT G, MAX(D) AS MX, MIN(DC) AS MN, AVG(B) AS AV FROM SRC {w} GROUP BY G EMIT FINAL;",
        ],
        src_inputs(data),
    )
case(
    F,
    "final tumb1s_g1s where",
    [
        src(),
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} WHERE I IS NOT NULL GROUP BY K EMIT FINAL;",
    ],
    src_inputs(OOO),
)
case(
    F,
    "final tumb1s_g1s downstream stream",
    [
        src(),
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K EMIT FINAL;",
        "CREATE STREAM TS (K STRING KEY, C BIGINT) WITH (kafka_topic='T', value_format='JSON', window_type='TUMBLING', window_size='1 SECOND');",
        "CREATE STREAM T2 AS SELECT K, WINDOWSTART AS WS, C FROM TS;",
    ],
    src_inputs(OOO),
)
case(
    F,
    "final tumb1s_g1s kf JSON",
    [
        src("JSON"),
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K EMIT FINAL;",
    ],
    src_inputs(OOO),
)
case(
    F,
    "final sess1s_g1s kf DELIMITED",
    [
        src("DELIMITED"),
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['sess1s_g1s']} GROUP BY K EMIT FINAL;",
    ],
    src_inputs(SESS),
)
case(
    F,
    "final hop2s1s_g1s two keys",
    [
        src(),
        f"CREATE TABLE T AS SELECT K, G, COUNT(*) AS C FROM SRC {W['hop2s1s_g1s']} GROUP BY K, G EMIT FINAL;",
    ],
    src_inputs(OOO),
)
case(
    F,
    "final minutes units",
    [
        src(),
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 30 SECONDS) GROUP BY K EMIT FINAL;",
    ],
    [
        rec("src", "a", v("x", 1, 1, 1.0, 1.0, "s"), t)
        for t in (0, 59999, 60000, 30000, 89999, 90000, 20000, 200000)
    ],
)
case(
    F,
    "emit changes explicit",
    [src(), f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K EMIT CHANGES;"],
    src_inputs(OOO),
)
case(
    F,
    "err final on table source",
    [tsrc(), f"CREATE TABLE T AS SELECT G, COUNT(*) AS C FROM TSRC {W['tumb1s_g1s']} GROUP BY G EMIT FINAL;"],
)
case(F, "err final on stream projection", [src(), "CREATE STREAM T AS SELECT K, I FROM SRC EMIT FINAL;"])
case(
    F,
    "err final non-windowed table",
    [tsrc(), "CREATE TABLE T AS SELECT G, COUNT(*) AS C FROM TSRC GROUP BY G EMIT FINAL;"],
)

# --------------------------------------------------------------------------- 2. session merges
F = "sessions"
SAGGS = [
    "COUNT(*)",
    "SUM(I)",
    "AVG(D)",
    "MIN(I)",
    "MAX(DC)",
    "COLLECT_LIST(S)",
    "COLLECT_SET(I)",
    "TOPK(I, 2)",
    "TOPKDISTINCT(S, 2)",
    "LATEST_BY_OFFSET(S)",
    "EARLIEST_BY_OFFSET(I)",
    "LATEST_BY_OFFSET(I, 2)",
    "EARLIEST_BY_OFFSET(S, 2, false)",
    "HISTOGRAM(S)",
    "COUNT_DISTINCT(S)",
    "COLLECT_LIST(ST)",
    "STDDEV_SAMP(D)",
    "CORRELATION(D, B)",
    "LATEST_BY_OFFSET(ST)",
    "SUM(DC)",
]
for a in SAGGS:
    nm = a.replace("(", " ").replace(")", "").replace(",", "").replace("*", "star")
    case(
        F,
        f"sess {nm}",
        [
            src(),
            f"CREATE TABLE T AS SELECT K, {a} AS A, WINDOWSTART AS WS, WINDOWEND AS WE FROM SRC {W['sess1s_g1s']} GROUP BY K;",
        ],
        src_inputs(SESS),
    )
case(
    F,
    "sess gb G merge",
    [
        src(),
        f"CREATE TABLE T AS SELECT G, COUNT(*) AS C, COLLECT_LIST(I) AS L FROM SRC {W['sess1s_g1s']} GROUP BY G;",
    ],
    src_inputs(SESS),
)
case(
    F,
    "sess no grace",
    [
        src(),
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C, COLLECT_LIST(I) AS L FROM SRC WINDOW SESSION (1 SECOND) GROUP BY K;",
    ],
    src_inputs(SESS),
)
case(
    F,
    "sess 2s retention",
    [
        src(),
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C, COLLECT_LIST(I) AS L FROM SRC {W['sess2s_r10s_g3s']} GROUP BY K;",
    ],
    src_inputs(SESS),
)
case(
    F,
    "sess having",
    [
        src(),
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['sess1s_g1s']} GROUP BY K HAVING COUNT(*) > 1;",
    ],
    src_inputs(SESS),
)
case(
    F,
    "sess having ws",
    [
        src(),
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['sess1s_g1s']} GROUP BY K HAVING WINDOWEND - WINDOWSTART > 1000;",
    ],
    src_inputs(SESS),
)
case(
    F,
    "sess where",
    [src(), f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['sess1s_g1s']} WHERE I > 2 GROUP BY K;"],
    src_inputs(SESS),
)
case(
    F,
    "sess same ts",
    [src(), f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['sess1s_g0']} GROUP BY K;"],
    [
        rec("src", "a", v("x", i, i, 1.0, 1.0, "s"), t)
        for i, t in enumerate((1000, 1000, 2000, 2000, 3001, 1000, 2500))
    ],
)
case(
    F,
    "sess exact gap",
    [
        src(),
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C, WINDOWSTART AS WS, WINDOWEND AS WE FROM SRC WINDOW SESSION (1000 MILLISECONDS) GROUP BY K;",
    ],
    [rec("src", "a", v("x", i, i, 1.0, 1.0, "s"), t) for i, t in enumerate((0, 1000, 2001, 3001, 4002, 999))],
)
case(
    F,
    "sess ms units",
    [
        src(),
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW SESSION (300 MILLISECONDS, GRACE PERIOD 200 MILLISECONDS) GROUP BY K;",
    ],
    [
        rec("src", k, v("x", 1, 1, 1.0, 1.0, "s"), t)
        for k, t in (
            ("a", 0),
            ("a", 250),
            ("b", 260),
            ("a", 900),
            ("a", 560),
            ("b", 1500),
            ("a", 100),
            ("a", 1210),
        )
    ],
)
case(
    F,
    "sess gb expr",
    [
        src(),
        f"CREATE TABLE T AS SELECT UCASE(G) AS UG, COUNT(*) AS C FROM SRC {W['sess1s_g1s']} GROUP BY UCASE(G);",
    ],
    src_inputs(SESS),
)
case(
    F,
    "sess downstream stream",
    [
        src(),
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['sess1s_g1s']} GROUP BY K;",
        "CREATE STREAM TS (K STRING KEY, C BIGINT) WITH (kafka_topic='T', value_format='JSON', window_type='SESSION');",
        "CREATE STREAM T2 AS SELECT K, WINDOWSTART AS WS, WINDOWEND AS WE, C FROM TS;",
    ],
    src_inputs(SESS),
)
case(
    F,
    "sess table source",
    [
        tsrc(),
        f"CREATE TABLE T AS SELECT G, COUNT(*) AS C, SUM(I) AS SI FROM TSRC {W['sess1s_g1s']} GROUP BY G;",
    ],
    t_inputs(),
)

# --------------------------------------------------------------------------- 3. windowed sources
F = "winsrc"
for kf in ["KAFKA", "JSON", "DELIMITED"]:
    for wt, wsz, wtype in [
        ("TUMBLING", "2 SECONDS", "time"),
        ("HOPPING", "2 SECONDS", "time"),
        ("SESSION", None, "session"),
    ]:
        size = f", window_size='{wsz}'" if wsz else ""
        wins = (
            [(0, 2000), (0, 2000), (2000, 4000), (1000, 3000), (0, 2000)]
            if wt != "SESSION"
            else [(0, 500), (0, 900), (1500, 1500), (100, 2500), (0, 500)]
        )
        keys = ["a", "b", "a", "a", "a"]
        vals = [{"V": 1, "S": "x"}, {"V": 2, "S": "y"}, {"V": 3, "S": None}, {"V": None, "S": "z"}, None]
        tss = [100, 200, 2100, 1500, 2200]
        nm = f"{wt.lower()} kf {kf}"
        for kind in ("TABLE", "STREAM"):
            vin = vals[:-1] if kind == "STREAM" and vals[-1] is None else vals
            inputs = [
                rec("wsrc", k, val, ts, {"start": s, "end": e, "type": wtype})
                for k, val, ts, (s, e) in zip(keys, vin, tss, wins, strict=False)
            ]
            kcol = "K STRING PRIMARY KEY" if kind == "TABLE" else "K STRING KEY"
            create = f"CREATE {kind} W ({kcol}, V INT, S STRING) WITH (kafka_topic='wsrc', key_format='{kf}', value_format='JSON', window_type='{wt}'{size});"
            k2 = kind.lower()
            case(F, f"{nm} {k2} select star", [create, f"CREATE {kind} T AS SELECT * FROM W;"], inputs)
            case(
                F,
                f"{nm} {k2} ws proj where",
                [
                    create,
                    f"CREATE {kind} T AS SELECT K, WINDOWSTART AS WS, WINDOWEND AS WE, V * 2 AS V2 FROM W WHERE WINDOWSTART >= 1000 OR V > 1;",
                ],
                inputs,
            )
            if kind == "TABLE" and kf == "KAFKA":
                case(
                    F,
                    f"{nm} table regroup",
                    [create, "CREATE TABLE T AS SELECT S, COUNT(*) AS C, SUM(V) AS SV FROM W GROUP BY S;"],
                    inputs,
                )
                case(
                    F,
                    f"{nm} table gb key",
                    [create, "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM W GROUP BY K;"],
                    inputs,
                )
            if kind == "STREAM" and kf != "DELIMITED":
                case(
                    F,
                    f"{nm} stream agg",
                    [
                        create,
                        "CREATE TABLE T AS SELECT K, COUNT(*) AS C, WINDOWSTART AS WS FROM W GROUP BY K;",
                    ],
                    inputs,
                )
                case(
                    F,
                    f"{nm} stream rewindow",
                    [
                        create,
                        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM W WINDOW TUMBLING (SIZE 5 SECONDS) GROUP BY K;",
                    ],
                    inputs,
                )
                case(
                    F,
                    f"{nm} stream partition by",
                    [create, "CREATE STREAM T AS SELECT S, K, V FROM W PARTITION BY S;"],
                    inputs,
                )
case(
    F,
    "err tumbling no size",
    [
        "CREATE TABLE W (K STRING PRIMARY KEY, V INT) WITH (kafka_topic='wsrc', value_format='JSON', window_type='TUMBLING');"
    ],
)
case(
    F,
    "err session with size",
    [
        "CREATE TABLE W (K STRING PRIMARY KEY, V INT) WITH (kafka_topic='wsrc', value_format='JSON', window_type='SESSION', window_size='1 SECOND');"
    ],
)
case(
    F,
    "err bad window type",
    [
        "CREATE TABLE W (K STRING PRIMARY KEY, V INT) WITH (kafka_topic='wsrc', value_format='JSON', window_type='SLIDING', window_size='1 SECOND');"
    ],
)
case(
    F,
    "err window size unit",
    [
        "CREATE STREAM W (K STRING KEY, V INT) WITH (kafka_topic='wsrc', value_format='JSON', window_type='HOPPING', window_size='2 FORTNIGHTS');"
    ],
)
case(
    F,
    "err window size no unit",
    [
        "CREATE STREAM W (K STRING KEY, V INT) WITH (kafka_topic='wsrc', value_format='JSON', window_type='TUMBLING', window_size='2000');"
    ],
)
WT = "CREATE TABLE W (K STRING PRIMARY KEY, V INT, S STRING) WITH (kafka_topic='wsrc', value_format='JSON', window_type='TUMBLING', window_size='1 SECOND');"
WS = "CREATE STREAM WST (K STRING KEY, V INT, S STRING) WITH (kafka_topic='wsrc2', value_format='JSON', window_type='TUMBLING', window_size='1 SECOND');"
WIN_IN = [rec("wsrc", "a", {"V": 1, "S": "x"}, 10, {"start": 0, "end": 1000, "type": "time"})]
case(
    F,
    "err join windowed table",
    [
        WT,
        "CREATE TABLE T2 (K STRING PRIMARY KEY, X INT) WITH (kafka_topic='t2', value_format='JSON');",
        "CREATE TABLE J AS SELECT W.K, V, X FROM W JOIN T2 ON W.K = T2.K;",
    ],
)
case(
    F,
    "err stream join windowed table",
    [WT, src(), "CREATE STREAM J AS SELECT SRC.K, V, I FROM SRC JOIN W ON SRC.K = W.K;"],
)
case(
    F,
    "err windowed stream join",
    [WS, src(), "CREATE STREAM J AS SELECT SRC.K, V, I FROM SRC JOIN WST WITHIN 1 SECOND ON SRC.K = WST.K;"],
)
case(F, "err windowstart non windowed", [src(), "CREATE STREAM T AS SELECT K, WINDOWSTART AS WS FROM SRC;"])
case(
    F,
    "err windowstart non windowed agg",
    [src(), "CREATE TABLE T AS SELECT K, WINDOWSTART AS WS, COUNT(*) AS C FROM SRC GROUP BY K;"],
)
case(F, "windowed table insert into", [WT, "CREATE TABLE T AS SELECT K, V FROM W WHERE V > 0;"], WIN_IN)
case(
    F,
    "windowed table kafka sink key",
    [WT, "CREATE TABLE T WITH (KEY_FORMAT='JSON') AS SELECT K, V, S FROM W;"],
    WIN_IN,
)
case(
    F,
    "windowed table to delimited value",
    [WT, "CREATE TABLE T WITH (VALUE_FORMAT='DELIMITED') AS SELECT K, WINDOWSTART AS WS, V, S FROM W;"],
    WIN_IN,
)

# --------------------------------------------------------------------------- 4. table re-aggregation
F = "tablereagg"
TAGGS = [
    "COUNT(*)",
    "COUNT(S)",
    "SUM(I)",
    "SUM(B)",
    "SUM(D)",
    "SUM(DC)",
    "AVG(I)",
    "AVG(D)",
    "AVG(B)",
    "COLLECT_LIST(S)",
    "COLLECT_LIST(ST)",
    "COLLECT_LIST(A)",
    "COLLECT_SET(S)",
    "COLLECT_SET(DC)",
    "HISTOGRAM(S)",
    "LATEST_BY_OFFSET(I)",
    "EARLIEST_BY_OFFSET(S)",
    "LATEST_BY_OFFSET(ST, false)",
    "EARLIEST_BY_OFFSET(I, 2)",
    "LATEST_BY_OFFSET(S, 2, false)",
    "MIN(D)",
    "MAX(S)",
    "TOPK(I, 2)",
    "TOPKDISTINCT(S, 2)",
    "COUNT_DISTINCT(S)",
    "STDDEV_SAMP(D)",
    "MIN(DC)",
    "MAX(B)",
]
for a in TAGGS:
    nm = a.replace("(", " ").replace(")", "").replace(",", "").replace("*", "star")
    case(F, f"tbl {nm}", [tsrc(), f"CREATE TABLE T AS SELECT G, {a} AS A FROM TSRC GROUP BY G;"], t_inputs())
case(
    F,
    "tbl gb struct field",
    [
        tsrc(),
        "CREATE TABLE T AS SELECT ST->N AS N, COUNT(*) AS C, SUM(ST->F) AS SF FROM TSRC GROUP BY ST->N;",
    ],
    t_inputs(),
)
case(
    F,
    "tbl gb two cols",
    [tsrc(), "CREATE TABLE T AS SELECT G, S, COUNT(*) AS C, COLLECT_LIST(K) AS KS FROM TSRC GROUP BY G, S;"],
    t_inputs(),
)
case(
    F,
    "tbl gb expr",
    [tsrc(), "CREATE TABLE T AS SELECT I % 2 AS P, SUM(D) AS SD FROM TSRC GROUP BY I % 2;"],
    t_inputs(),
)
case(
    F,
    "tbl having tombstones",
    [
        tsrc(),
        "CREATE TABLE T AS SELECT G, SUM(I) AS SI, COUNT(*) AS C FROM TSRC GROUP BY G HAVING SUM(I) > 5;",
    ],
    t_inputs(),
)
case(
    F,
    "tbl having count",
    [tsrc(), "CREATE TABLE T AS SELECT G, COUNT(*) AS C FROM TSRC GROUP BY G HAVING COUNT(*) >= 2;"],
    t_inputs(),
)
case(
    F,
    "tbl where",
    [tsrc(), "CREATE TABLE T AS SELECT G, COUNT(*) AS C, SUM(I) AS SI FROM TSRC WHERE I > 2 GROUP BY G;"],
    t_inputs(),
)
case(
    F,
    "tbl gb key",
    [tsrc(), "CREATE TABLE T AS SELECT K, COUNT(*) AS C, SUM(I) AS SI FROM TSRC GROUP BY K;"],
    t_inputs(),
)
case(
    F,
    "tbl agg expr",
    [
        tsrc(),
        "CREATE TABLE T AS SELECT G, SUM(I) * 10 + COUNT(*) AS X, ARRAY_LENGTH(COLLECT_LIST(S)) AS N FROM TSRC GROUP BY G;",
    ],
    t_inputs(),
)
case(
    F,
    "tbl kf JSON",
    [tsrc("JSON"), "CREATE TABLE T AS SELECT G, COUNT(*) AS C FROM TSRC GROUP BY G;"],
    t_inputs(),
)
case(
    F,
    "tbl vf DELIMITED",
    [
        "CREATE TABLE TSRC (K STRING PRIMARY KEY, G STRING, I INT) WITH (kafka_topic='tsrc', value_format='DELIMITED');",
        "CREATE TABLE T AS SELECT G, COUNT(*) AS C, SUM(I) AS SI FROM TSRC GROUP BY G;",
    ],
    [
        rec("tsrc", k, val, ts)
        for k, val, ts in [
            ("r1", "g1,1", 0),
            ("r2", "g1,2", 10),
            ("r1", "g2,3", 20),
            ("r2", None, 30),
            ("r3", ",4", 40),
            ("r3", "g2,", 50),
        ]
    ],
)
case(
    F,
    "tbl count then regroup",
    [
        tsrc(),
        "CREATE TABLE T AS SELECT G, COUNT(*) AS C FROM TSRC GROUP BY G;",
        "CREATE TABLE T2 AS SELECT C, COUNT(*) AS N FROM T GROUP BY C;",
    ],
    t_inputs(),
)
case(
    F,
    "tbl from table agg latest",
    [
        src(),
        "CREATE TABLE L AS SELECT K, LATEST_BY_OFFSET(G) AS G, LATEST_BY_OFFSET(I) AS I FROM SRC GROUP BY K;",
        "CREATE TABLE T AS SELECT G, SUM(I) AS SI, COUNT(*) AS C FROM L GROUP BY G;",
    ],
    src_inputs(OOO),
)
case(
    F,
    "err tbl CORRELATION unsupported",
    [tsrc(), "CREATE TABLE T AS SELECT G, CORRELATION(D, D) AS A FROM TSRC GROUP BY G;"],
    t_inputs()[:1],
)
case(
    F,
    "tbl windowed tumb",
    [
        tsrc(),
        f"CREATE TABLE T AS SELECT G, COUNT(*) AS C, COLLECT_LIST(K) AS KS FROM TSRC {W['tumb1s_g1s']} GROUP BY G;",
    ],
    t_inputs(),
)

# --------------------------------------------------------------------------- 5. group by shapes and key formats
F = "groupby"
GB = [
    ("struct field", "ST->F AS F, COUNT(*) AS C", "ST->F"),
    ("struct field two", "ST->N, ST->F, COUNT(*) AS C", "ST->N, ST->F"),
    ("arith two cols", "I + B AS X, COUNT(*) AS C", "I + B"),
    ("arith and col", "K, I * 2 AS X, SUM(D) AS SD", "K, I * 2"),
    ("func", "SUBSTRING(S, 1, 1) AS P, COUNT(*) AS C", "SUBSTRING(S, 1, 1)"),
    ("three mixed", "G, K, ST->F AS F, COUNT(*) AS C", "G, K, ST->F"),
    ("order differs", "S, G, COUNT(*) AS C", "G, S"),
    ("array elem", "A[1] AS A1, COUNT(*) AS C", "A[1]"),
    ("cast", "CAST(I AS STRING) AS IS, COUNT(*) AS C", "CAST(I AS STRING)"),
    ("key alias", "K AS KK, COUNT(*) AS C", "K"),
    ("as_value", "K, AS_VALUE(K) AS KV, COUNT(*) AS C", "K"),
    ("unaliased exprs", "I + 1, ST->N, COUNT(*)", "I + 1, ST->N"),
    ("decimal key", "DC, COUNT(*) AS C", "DC"),
    ("struct key", "ST, COUNT(*) AS C", "ST"),
    ("bool expr", "I > 3 AS BIG, COUNT(*) AS C", "I > 3"),
]
for kf in ["KAFKA", "JSON", "DELIMITED"]:
    for nm, sel, gb in GB:
        case(
            F,
            f"gb {nm} kf {kf}",
            [src(kf), f"CREATE TABLE T AS SELECT {sel} FROM SRC GROUP BY {gb};"],
            src_inputs(OOO),
        )
    for nm, sel, gb in GB[:6]:
        case(
            F,
            f"gb {nm} kf {kf} tumb",
            [src(kf), f"CREATE TABLE T AS SELECT {sel} FROM SRC {W['tumb1s_g1s']} GROUP BY {gb};"],
            src_inputs(OOO),
        )
        case(
            F,
            f"gb {nm} kf {kf} sess",
            [src(kf), f"CREATE TABLE T AS SELECT {sel} FROM SRC {W['sess1s_g1s']} GROUP BY {gb};"],
            src_inputs(SESS),
        )
for kf in ["JSON", "DELIMITED", "KAFKA", "AVRO", "PROTOBUF", "JSON_SR", "NONE"]:
    case(
        F,
        f"sink key_format {kf}",
        [
            src(),
            f"CREATE TABLE T WITH (KEY_FORMAT='{kf}') AS SELECT K, G, COUNT(*) AS C FROM SRC GROUP BY K, G;",
        ],
        src_inputs(OOO),
    )
    case(
        F,
        f"sink key_format {kf} tumb",
        [
            src(),
            f"CREATE TABLE T WITH (KEY_FORMAT='{kf}') AS SELECT K, COUNT(*) AS C FROM SRC {W['hop2s1s_g1s']} GROUP BY K;",
        ],
        src_inputs(OOO),
    )
    case(
        F,
        f"sink key_format {kf} sess",
        [
            src(),
            f"CREATE TABLE T WITH (KEY_FORMAT='{kf}') AS SELECT K, COUNT(*) AS C FROM SRC {W['sess1s_g1s']} GROUP BY K;",
        ],
        src_inputs(SESS),
    )
for vf in ["AVRO", "PROTOBUF", "DELIMITED", "KAFKA", "JSON_SR"]:
    case(
        F,
        f"sink value_format {vf} single",
        [src(), f"CREATE TABLE T WITH (VALUE_FORMAT='{vf}') AS SELECT K, COUNT(*) AS C FROM SRC GROUP BY K;"],
        src_inputs(OOO),
    )
    case(
        F,
        f"sink value_format {vf} multi",
        [
            src(),
            f"CREATE TABLE T WITH (VALUE_FORMAT='{vf}') AS SELECT K, COUNT(*) AS C, SUM(DC) AS SD, AVG(I) AS AV FROM SRC {W['tumb1s_g1s']} GROUP BY K;",
        ],
        src_inputs(OOO),
    )
    case(
        F,
        f"sink value_format {vf} collect",
        [
            src(),
            f"CREATE TABLE T WITH (VALUE_FORMAT='{vf}') AS SELECT K, COLLECT_LIST(I) AS L FROM SRC GROUP BY K;",
        ],
        src_inputs(OOO),
    )
case(
    F,
    "source key_format NONE gb",
    [
        "CREATE STREAM SRC (G STRING, I INT) WITH (kafka_topic='src', key_format='NONE', value_format='JSON');",
        "CREATE TABLE T AS SELECT G, COUNT(*) AS C FROM SRC GROUP BY G;",
    ],
    [rec("src", None, {"G": g, "I": i}, t) for g, i, t in (("x", 1, 0), ("y", 2, 10), ("x", 3, 20))],
)
case(
    F,
    "source key_format NONE gb two",
    [
        "CREATE STREAM SRC (G STRING, I INT) WITH (kafka_topic='src', key_format='NONE', value_format='JSON');",
        "CREATE TABLE T AS SELECT G, I, COUNT(*) AS C FROM SRC GROUP BY G, I;",
    ],
    [rec("src", None, {"G": g, "I": i}, t) for g, i, t in (("x", 1, 0), ("y", 2, 10), ("x", 1, 20))],
)
case(
    F,
    "wrap single value false",
    [src(), "CREATE TABLE T WITH (WRAP_SINGLE_VALUE=false) AS SELECT K, COUNT(*) AS C FROM SRC GROUP BY K;"],
    src_inputs(OOO),
)
case(
    F,
    "gb null struct field",
    [src(), "CREATE TABLE T AS SELECT ST->N AS N, COUNT(*) AS C FROM SRC GROUP BY ST->N;"],
    src_inputs(OOO),
)
case(
    F,
    "gb rowtime",
    [src(), "CREATE TABLE T AS SELECT ROWTIME AS RT, COUNT(*) AS C FROM SRC GROUP BY ROWTIME;"],
    src_inputs(OOO),
)
case(
    F,
    "gb ws window func",
    [
        src(),
        f"CREATE TABLE T AS SELECT K, TIMESTAMPTOSTRING(WINDOWSTART, 'yyyy-MM-dd HH:mm:ss.SSS', 'UTC') AS WS, COUNT(*) AS C FROM SRC {W['hop2s1s_g1s']} GROUP BY K;",
    ],
    src_inputs(OOO),
)
case(
    F,
    "agg of rowtime",
    [src(), "CREATE TABLE T AS SELECT K, MAX(ROWTIME) AS MR, MIN(ROWTIME) AS MNR FROM SRC GROUP BY K;"],
    src_inputs(OOO),
)
case(
    F,
    "agg on struct field arr",
    [
        src(),
        "CREATE TABLE T AS SELECT K, SUM(ST->F) AS SF, MAX(A[1]) AS MA, COLLECT_LIST(ST->N) AS NS FROM SRC GROUP BY K;",
    ],
    src_inputs(OOO),
)
case(
    F,
    "agg deref result",
    [
        src(),
        "CREATE TABLE T AS SELECT K, LATEST_BY_OFFSET(ST)->N AS N, COLLECT_LIST(I)[1] AS FIRST FROM SRC GROUP BY K;",
    ],
    src_inputs(OOO),
)

# --------------------------------------------------------------------------- 6. numeric edge cases
F = "numeric"
BIG = [
    ("a", {"I": 2147483647, "B": 9223372036854775807, "D": 1.0e300, "DC": 99.99}, 0),
    ("a", {"I": 1, "B": 1, "D": 1.0e300, "DC": 99.99}, 10),
    ("a", {"I": 2147483647, "B": 9223372036854775807, "D": -1.0e300, "DC": -0.01}, 20),
    ("a", {"I": -2147483648, "B": -9223372036854775808, "D": 0.1, "DC": 0.01}, 30),
    ("b", {"I": -2147483648, "B": -9223372036854775808, "D": 0.2, "DC": -99.99}, 40),
    ("b", {"I": -1, "B": -1, "D": 0.30000000000000004, "DC": -99.99}, 50),
]
NSRC = "CREATE STREAM SRC (K STRING KEY, I INT, B BIGINT, D DOUBLE, DC DECIMAL(4,2)) WITH (kafka_topic='src', value_format='JSON');"
NIN = [rec("src", k, val, t) for k, val, t in BIG]
for a in [
    "SUM(I)",
    "SUM(B)",
    "AVG(I)",
    "AVG(B)",
    "SUM(D)",
    "AVG(D)",
    "SUM(DC)",
    "AVG(DC)",
    "MIN(B)",
    "MAX(I)",
    "STDDEV_SAMP(I)",
    "STDDEV_SAMP(DC)",
    "SUM(I) / COUNT(*)",
    "SUM(CAST(I AS BIGINT))",
    "SUM(I * 2)",
    "SUM(CAST(DC AS DECIMAL(10, 3)))",
    "AVG(CAST(I AS DOUBLE))",
    "TOPK(DC, 2)",
]:
    nm = a.replace("(", " ").replace(")", "").replace(",", "").replace("*", "x").replace("/", "div")
    case(F, f"num {nm}", [NSRC, f"CREATE TABLE T AS SELECT K, {a} AS A FROM SRC GROUP BY K;"], NIN)
case(
    F,
    "num sum decimal overflow precision",
    [NSRC, "CREATE TABLE T AS SELECT K, SUM(DC) AS A FROM SRC GROUP BY K;"],
    [rec("src", "a", {"DC": 99.99}, t) for t in range(0, 1200, 10)],
)
case(
    F,
    "num avg int tumb",
    [
        NSRC,
        "CREATE TABLE T AS SELECT K, AVG(I) AS A, SUM(I) AS S FROM SRC WINDOW TUMBLING (SIZE 20 MILLISECONDS) GROUP BY K;",
    ],
    NIN,
)
case(
    F,
    "num sum int table",
    [
        "CREATE TABLE TN (K STRING PRIMARY KEY, G STRING, I INT, DC DECIMAL(4,2)) WITH (kafka_topic='tn', value_format='JSON');",
        "CREATE TABLE T AS SELECT G, SUM(I) AS SI, AVG(I) AS AI, SUM(DC) AS SD, AVG(DC) AS AD FROM TN GROUP BY G;",
    ],
    [
        rec("tn", k, val, t)
        for k, val, t in [
            ("r1", {"G": "g", "I": 2147483647, "DC": 99.99}, 0),
            ("r2", {"G": "g", "I": 2147483647, "DC": 99.99}, 10),
            ("r1", {"G": "g", "I": 5, "DC": 0.5}, 20),
            ("r2", None, 30),
            ("r1", None, 40),
        ]
    ],
)
case(
    F,
    "num double special",
    [
        "CREATE STREAM SRC (K STRING KEY, D DOUBLE) WITH (kafka_topic='src', value_format='JSON');",
        "CREATE TABLE T AS SELECT K, SUM(D) AS S, AVG(D) AS A, MAX(D) AS MX, MIN(D) AS MN FROM SRC GROUP BY K;",
    ],
    [
        rec("src", "a", {"D": d}, t)
        for d, t in ((1.7976931348623157e308, 0), (1.7976931348623157e308, 10), (-1.0, 20), (1e-320, 30))
    ],
)

# --------------------------------------------------------------------------- 7. errors (message checked with --strict)
F = "errors"
E = [
    (
        "retention lt size",
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW TUMBLING (SIZE 10 SECONDS, RETENTION 5 SECONDS) GROUP BY K;",
    ),
    (
        "retention lt size plus grace",
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS, RETENTION 12 SECONDS, GRACE PERIOD 5 SECONDS) GROUP BY K;",
    ),
    (
        "session retention lt gap",
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW SESSION (10 SECONDS, RETENTION 5 SECONDS) GROUP BY K;",
    ),
    ("window no group by", "CREATE STREAM T AS SELECT K, I FROM SRC WINDOW TUMBLING (SIZE 1 SECOND);"),
    ("window no group by table", "CREATE TABLE T AS SELECT K, I FROM SRC WINDOW TUMBLING (SIZE 1 SECOND);"),
    (
        "hop advance zero",
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW HOPPING (SIZE 1 SECOND, ADVANCE BY 0 SECONDS) GROUP BY K;",
    ),
    (
        "session zero",
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW SESSION (0 SECONDS) GROUP BY K;",
    ),
    (
        "tumbling bad unit",
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW TUMBLING (SIZE 1 WEEK) GROUP BY K;",
    ),
    (
        "hopping no advance",
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW HOPPING (SIZE 1 SECOND) GROUP BY K;",
    ),
    (
        "grace negative",
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW TUMBLING (SIZE 1 SECOND, GRACE PERIOD -1 SECONDS) GROUP BY K;",
    ),
    ("agg of agg", "CREATE TABLE T AS SELECT K, MAX(COUNT(*)) AS C FROM SRC GROUP BY K;"),
    ("agg of agg in expr", "CREATE TABLE T AS SELECT K, SUM(I + COUNT(*)) AS C FROM SRC GROUP BY K;"),
    ("non agg two cols", "CREATE TABLE T AS SELECT K, G, S, COUNT(*) AS C FROM SRC GROUP BY K, G;"),
    (
        "non agg struct",
        "CREATE TABLE T AS SELECT ST->F AS F, ST->N AS N, COUNT(*) AS C FROM SRC GROUP BY ST->F;",
    ),
    ("non agg in having", "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC GROUP BY K HAVING S = 'x';"),
    (
        "having agg of agg",
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC GROUP BY K HAVING SUM(COUNT(*)) > 1;",
    ),
    ("group by agg expr", "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC GROUP BY K, SUM(I);"),
    (
        "windowstart in group by expr",
        f"CREATE TABLE T AS SELECT K, WINDOWSTART + 1 AS X, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K, WINDOWSTART + 1;",
    ),
    (
        "windowstart in where non windowed",
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WHERE WINDOWSTART > 0 GROUP BY K;",
    ),
    (
        "kafka key multi",
        "CREATE TABLE T WITH (KEY_FORMAT='KAFKA') AS SELECT K, G, COUNT(*) AS C FROM SRC GROUP BY K, G;",
    ),
    ("topk non literal k", "CREATE TABLE T AS SELECT K, TOPK(I, I) AS C FROM SRC GROUP BY K;"),
    ("topk zero", "CREATE TABLE T AS SELECT K, TOPK(I, 0) AS C FROM SRC GROUP BY K;"),
    (
        "collect_list map",
        "CREATE STREAM SRC2 (K STRING KEY, M MAP<STRING, INT>) WITH (kafka_topic='src2', value_format='JSON');\nCREATE TABLE T AS SELECT K, COLLECT_LIST(M) AS C FROM SRC2 GROUP BY K;",
    ),
    (
        "sum bool",
        "CREATE STREAM SRC2 (K STRING KEY, BO BOOLEAN) WITH (kafka_topic='src2', value_format='JSON');\nCREATE TABLE T AS SELECT K, SUM(BO) AS C FROM SRC2 GROUP BY K;",
    ),
    (
        "latest two many args",
        "CREATE TABLE T AS SELECT K, LATEST_BY_OFFSET(I, 2, true, 1) AS C FROM SRC GROUP BY K;",
    ),
    (
        "delimited value collect",
        "CREATE TABLE T WITH (VALUE_FORMAT='DELIMITED') AS SELECT K, COLLECT_LIST(I) AS C FROM SRC GROUP BY K;",
    ),
    (
        "kafka value two cols",
        "CREATE TABLE T WITH (VALUE_FORMAT='KAFKA') AS SELECT K, COUNT(*) AS C, SUM(I) AS S FROM SRC GROUP BY K;",
    ),
    (
        "insert into windowed from non windowed",
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K;\nINSERT INTO T SELECT K, COUNT(*) AS C FROM SRC GROUP BY K;",
    ),
    (
        "insert into different window",
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K;\nINSERT INTO T SELECT K, COUNT(*) AS C FROM SRC WINDOW TUMBLING (SIZE 2 SECONDS) GROUP BY K;",
    ),
    (
        "window on join",
        "CREATE TABLE T2 (K STRING PRIMARY KEY, X INT) WITH (kafka_topic='t2', value_format='JSON');\nCREATE TABLE T AS SELECT SRC.K, COUNT(*) AS C FROM SRC JOIN T2 ON SRC.K = T2.K WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY SRC.K;",
    ),
    (
        "having without agg windowed",
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K HAVING I > 0;",
    ),
    (
        "stream sink for windowed agg",
        f"CREATE STREAM T AS SELECT K, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K;",
    ),
    ("select star windowed agg", f"CREATE TABLE T AS SELECT * FROM SRC {W['tumb1s_g1s']} GROUP BY K;"),
    ("count distinct two args", "CREATE TABLE T AS SELECT K, COUNT_DISTINCT(I, S) AS C FROM SRC GROUP BY K;"),
    ("histogram int", "CREATE TABLE T AS SELECT K, HISTOGRAM(I) AS C FROM SRC GROUP BY K;"),
    (
        "emit final hopping on table",
        f"CREATE TABLE T AS SELECT G, COUNT(*) AS C FROM TSRC {W['hop2s1s_g1s']} GROUP BY G EMIT FINAL;",
    ),
    (
        "window table source",
        f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM TSRC {W['sess1s_g1s']} GROUP BY K;",
    ),
    (
        "windowend in non windowed having",
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC GROUP BY K HAVING WINDOWEND > 0;",
    ),
    (
        "group by windowend",
        f"CREATE TABLE T AS SELECT WINDOWEND AS WE, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY WINDOWEND;",
    ),
]
for nm, stmt in E:
    stmts = [src(), tsrc()] + [s for s in stmt.split("\n")]
    case(F, f"err {nm}", stmts)

# --------------------------------------------------------------------------- 8. tutorial shapes
F = "tutorials"
RAT = "CREATE STREAM RATINGS (ID INT KEY, TITLE STRING, RATING DOUBLE, TS STRING) WITH (kafka_topic='ratings', value_format='JSON', timestamp='TS', timestamp_format='yyyy-MM-dd HH:mm:ss');"
RIN = [
    rec("ratings", i, {"TITLE": t, "RATING": r, "TS": ts}, 0)
    for i, (t, r, ts) in enumerate(
        [
            ("Die Hard", 8.2, "2019-07-09 01:00:00"),
            ("Die Hard", 4.5, "2019-07-09 05:00:00"),
            ("Tree of Life", 4.9, "2019-07-09 00:00:00"),
            ("Tree of Life", 5.1, "2019-07-09 03:00:00"),
            ("Die Hard", 5.1, "2019-07-09 06:30:00"),
            ("A Twelve Year Night", 7.8, "2019-07-09 23:00:00"),
            ("Die Hard", 9.9, "2019-07-08 23:30:00"),
            ("Tree of Life", 4.6, "2019-07-10 02:00:00"),
            ("Die Hard", 6.0, "2019-07-12 08:00:00"),
        ]
    )
]
case(
    F,
    "tut ratings tumbling 6 hours",
    [
        RAT,
        "CREATE TABLE RATING_COUNT AS SELECT TITLE, COUNT(*) AS RATING_COUNT, WINDOWSTART AS WINDOW_START, WINDOWEND AS WINDOW_END FROM RATINGS WINDOW TUMBLING (SIZE 6 HOURS) GROUP BY TITLE EMIT CHANGES;",
    ],
    RIN,
)
case(
    F,
    "tut ratings tumbling fmt",
    [
        RAT,
        "CREATE TABLE RATING_COUNT AS SELECT TITLE, COUNT(*) AS RATING_COUNT, TIMESTAMPTOSTRING(WINDOWSTART, 'yyyy-MM-dd HH:mm:ss', 'UTC') AS WINDOW_START FROM RATINGS WINDOW TUMBLING (SIZE 6 HOURS) GROUP BY TITLE;",
    ],
    RIN,
)
case(
    F,
    "tut ratings hopping 1 day",
    [
        RAT,
        "CREATE TABLE R AS SELECT TITLE, AVG(RATING) AS AVG_RATING, MIN(RATING) AS MN, MAX(RATING) AS MX FROM RATINGS WINDOW HOPPING (SIZE 1 DAY, ADVANCE BY 12 HOURS) GROUP BY TITLE;",
    ],
    RIN,
)
case(
    F,
    "tut ratings hopping emit final",
    [
        RAT,
        "CREATE TABLE R AS SELECT TITLE, COUNT(*) AS C FROM RATINGS WINDOW HOPPING (SIZE 1 DAY, ADVANCE BY 12 HOURS, GRACE PERIOD 2 HOURS) GROUP BY TITLE EMIT FINAL;",
    ],
    RIN,
)
case(
    F,
    "tut ratings session 2h",
    [
        RAT,
        "CREATE TABLE R AS SELECT TITLE, COUNT(*) AS C, TIMESTAMPTOSTRING(WINDOWSTART, 'HH:mm', 'UTC') AS S, TIMESTAMPTOSTRING(WINDOWEND, 'HH:mm', 'UTC') AS E FROM RATINGS WINDOW SESSION (2 HOURS) GROUP BY TITLE;",
    ],
    RIN,
)
case(
    F,
    "tut ratings avg no window",
    [
        RAT,
        "CREATE TABLE R AS SELECT TITLE, COUNT(*) AS N, SUM(RATING) / COUNT(RATING) AS AVG_RATING FROM RATINGS GROUP BY TITLE HAVING COUNT(*) > 1;",
    ],
    RIN,
)
case(
    F,
    "tut ratings rowtime ts",
    [RAT, "CREATE STREAM R AS SELECT ID, TITLE, ROWTIME AS RT FROM RATINGS;"],
    RIN,
)
CL = "CREATE STREAM CLICKS (IP_ADDRESS STRING, URL STRING, TIMESTAMP STRING) WITH (kafka_topic='clicks', value_format='JSON', timestamp='TIMESTAMP', timestamp_format='yyyy-MM-dd''T''HH:mm:ssXXX', partitions=1);"
CIN = [
    rec("clicks", None, {"IP_ADDRESS": ip, "URL": u, "TIMESTAMP": ts}, 0)
    for ip, u, ts in [
        ("10.0.0.1", "https://a/1", "2020-01-17T14:50:43+00:00"),
        ("10.0.0.12", "https://a/2", "2020-01-17T14:53:44+00:01"),
        ("10.0.0.13", "https://a/3", "2020-01-17T14:56:45+00:03"),
        ("10.0.0.1", "https://a/1", "2020-01-17T14:50:43+00:00"),
        ("10.0.0.12", "https://a/2", "2020-01-17T14:53:44+00:01"),
        ("10.0.0.13", "https://a/3", "2020-01-17T14:56:45+00:03"),
    ]
]
case(
    F,
    "tut distinct clicks",
    [
        CL,
        "CREATE TABLE DETECTED_CLICKS AS SELECT IP_ADDRESS AS KEY1, URL AS KEY2, TIMESTAMP AS KEY3, AS_VALUE(IP_ADDRESS) AS IP_ADDRESS, AS_VALUE(URL) AS URL, AS_VALUE(TIMESTAMP) AS TIMESTAMP FROM CLICKS WINDOW TUMBLING (SIZE 2 MINUTES, RETENTION 1000 DAYS) GROUP BY IP_ADDRESS, URL, TIMESTAMP HAVING COUNT(IP_ADDRESS) = 1;",
        "CREATE STREAM RAW_DISTINCT_CLICKS (IP_ADDRESS STRING, URL STRING, TIMESTAMP STRING) WITH (KAFKA_TOPIC='DETECTED_CLICKS', PARTITIONS=1, VALUE_FORMAT='JSON');",
        "CREATE STREAM DISTINCT_CLICKS AS SELECT IP_ADDRESS, URL, TIMESTAMP FROM RAW_DISTINCT_CLICKS WHERE IP_ADDRESS IS NOT NULL PARTITION BY IP_ADDRESS;",
    ],
    CIN,
)
ORD = "CREATE STREAM ORDERS (ORDER_ID INT KEY, CUSTOMER STRING, AMOUNT DECIMAL(10,2), ITEMS ARRAY<STRING>, ADDR STRUCT<CITY STRING, ZIP STRING>, ORDER_TS TIMESTAMP) WITH (kafka_topic='orders', value_format='JSON', timestamp='ORDER_TS');"
OIN = [
    rec(
        "orders",
        i,
        {"CUSTOMER": c, "AMOUNT": a, "ITEMS": it, "ADDR": {"CITY": city, "ZIP": z}, "ORDER_TS": ts},
        0,
    )
    for i, (c, a, it, city, z, ts) in enumerate(
        [
            ("alice", 10.5, ["x", "y"], "Paris", "75001", "2021-03-01T10:00:00.000"),
            ("bob", 3.25, ["z"], "Lyon", "69001", "2021-03-01T10:20:00.000"),
            ("alice", 7.0, [], "Paris", "75002", "2021-03-01T10:40:00.000"),
            ("carol", 100.0, None, None, None, "2021-03-01T11:05:00.000"),
            ("bob", 0.75, ["y"], "Lyon", "69001", "2021-03-01T10:10:00.000"),
            ("alice", 1.0, ["x"], "Nice", "06000", "2021-03-01T13:00:00.000"),
        ]
    )
]
case(
    F,
    "tut orders per city hourly",
    [
        ORD,
        "CREATE TABLE T AS SELECT ADDR->CITY AS CITY, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM ORDERS WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 30 MINUTES) GROUP BY ADDR->CITY;",
    ],
    OIN,
)
case(
    F,
    "tut orders customer stats",
    [
        ORD,
        "CREATE TABLE T AS SELECT CUSTOMER, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL, AVG(AMOUNT) AS AVG_AMT, MAX(ORDER_TS) AS LAST_TS, COLLECT_SET(ADDR->CITY) AS CITIES FROM ORDERS GROUP BY CUSTOMER;",
    ],
    OIN,
)
case(
    F,
    "tut orders latest",
    [
        ORD,
        "CREATE TABLE T AS SELECT CUSTOMER, LATEST_BY_OFFSET(ADDR) AS ADDR, EARLIEST_BY_OFFSET(AMOUNT) AS FIRST_AMT, LATEST_BY_OFFSET(ITEMS) AS ITEMS FROM ORDERS GROUP BY CUSTOMER;",
    ],
    OIN,
)
case(
    F,
    "tut orders emit final",
    [
        ORD,
        "CREATE TABLE T AS SELECT CUSTOMER, COUNT(*) AS N FROM ORDERS WINDOW TUMBLING (SIZE 1 HOUR, GRACE PERIOD 10 MINUTES) GROUP BY CUSTOMER EMIT FINAL;",
    ],
    OIN,
)
case(
    F,
    "tut orders session 30m",
    [
        ORD,
        "CREATE TABLE T AS SELECT CUSTOMER, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM ORDERS WINDOW SESSION (30 MINUTES) GROUP BY CUSTOMER;",
    ],
    OIN,
)
case(
    F,
    "tut orders ts window bounds typed",
    [
        ORD,
        "CREATE TABLE T AS SELECT CUSTOMER, FROM_UNIXTIME(WINDOWSTART) AS WS, FROM_UNIXTIME(WINDOWEND) AS WE, COUNT(*) AS N FROM ORDERS WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY CUSTOMER;",
    ],
    OIN,
)
PG = "CREATE STREAM PAGEVIEWS (VIEWTIME BIGINT, USERID STRING, PAGEID STRING) WITH (kafka_topic='pageviews', value_format='DELIMITED', timestamp='VIEWTIME');"
PIN = [
    rec("pageviews", None, f"{t},{u},{p}", 0)
    for t, u, p in [
        (1000, "u1", "p1"),
        (2000, "u2", "p1"),
        (31000, "u1", "p2"),
        (29000, "u1", "p3"),
        (61000, "u3", "p1"),
        (65000, "u1", "p1"),
    ]
]
case(
    F,
    "tut pageviews per user 30s",
    [
        PG,
        "CREATE TABLE T AS SELECT USERID, COUNT(*) AS NUMUSERS FROM PAGEVIEWS WINDOW TUMBLING (SIZE 30 SECONDS) GROUP BY USERID HAVING COUNT(*) > 1;",
    ],
    PIN,
)
case(
    F,
    "tut pageviews delimited out",
    [
        PG,
        "CREATE TABLE T WITH (VALUE_FORMAT='DELIMITED') AS SELECT PAGEID, COUNT(*) AS C, WINDOWSTART AS WS FROM PAGEVIEWS WINDOW HOPPING (SIZE 60 SECONDS, ADVANCE BY 30 SECONDS) GROUP BY PAGEID;",
    ],
    PIN,
)
case(
    F,
    "tut pageviews count distinct",
    [
        PG,
        "CREATE TABLE T AS SELECT PAGEID, COUNT_DISTINCT(USERID) AS UU FROM PAGEVIEWS WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY PAGEID;",
    ],
    PIN,
)

# --------------------------------------------------------------------------- 9. repartitioned windows (one stream time)
F = "repart"
for wn in [
    "tumb1s_g1s",
    "tumb2s_g0",
    "hop2s1s_g1s",
    "hop3s2s_g0",
    "sess1s_g1s",
    "sess1s_g0",
    "sess2s_r10s_g3s",
]:
    w = W[wn]
    data = SESS if wn.startswith("sess") else OOO
    case(
        F,
        f"rp {wn} gb G",
        [src(), f"CREATE TABLE T AS SELECT G, COUNT(*) AS C, COLLECT_LIST(K) AS KS FROM SRC {w} GROUP BY G;"],
        src_inputs(data),
    )
    case(
        F,
        f"rp {wn} gb S final",
        [src(), f"CREATE TABLE T AS SELECT S, COUNT(*) AS C FROM SRC {w} GROUP BY S EMIT FINAL;"],
        src_inputs(data),
    )
    case(
        F,
        f"rp {wn} gb K G",
        [src("JSON"), f"CREATE TABLE T AS SELECT K, G, SUM(I) AS SI FROM SRC {w} GROUP BY K, G;"],
        src_inputs(data),
    )
    case(
        F,
        f"rp {wn} gb expr where",
        [
            src(),
            f"CREATE TABLE T AS SELECT I % 3 AS M, COUNT(*) AS C FROM SRC {w} WHERE I IS NOT NULL GROUP BY I % 3;",
        ],
        src_inputs(data),
    )
case(
    F,
    "rp default grace late",
    [src(), "CREATE TABLE T AS SELECT G, COUNT(*) AS C FROM SRC WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY G;"],
    [
        rec("src", k, v(g, 1, 1, 1.0, 1.0, "s"), t)
        for k, g, t in (
            ("a", "x", 0),
            ("b", "y", 90000000),
            ("c", "x", 1000),
            ("d", "x", 3600000 * 2),
            ("e", "y", 3600000 * 3),
        )
    ],
)
case(
    F,
    "rp session default grace",
    [src(), "CREATE TABLE T AS SELECT G, COUNT(*) AS C FROM SRC WINDOW SESSION (1 HOUR) GROUP BY G;"],
    [
        rec("src", k, v(g, 1, 1, 1.0, 1.0, "s"), t)
        for k, g, t in (
            ("a", "x", 0),
            ("b", "y", 90000000),
            ("c", "x", 1000),
            ("d", "x", 3600000 * 4),
            ("e", "x", 1800000),
        )
    ],
)
case(
    F,
    "key default grace late",
    [src(), "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY K;"],
    [
        rec("src", k, v("x", 1, 1, 1.0, 1.0, "s"), t)
        for k, t in (("a", 0), ("b", 90000000), ("a", 1000), ("a", 3600000 * 2), ("b", 3600000 * 3))
    ],
)
# --------------------------------------------------------------------------- 10. aggregate state in a DELIMITED source
F = "delimstate"
DSRC = "CREATE STREAM DS (K STRING KEY, G STRING, I INT, B BIGINT, D DOUBLE, S STRING) WITH (kafka_topic='ds', value_format='DELIMITED');"
DIN = [
    rec("ds", k, val, t)
    for k, val, t in (("a", "x,1,10,1.5,p", 0), ("b", "y,2,20,2.5,q", 100), ("a", "x,3,30,3.5,r", 200))
]
for a in [
    "AVG(I)",
    "AVG(D)",
    "AVG(B)",
    "LATEST_BY_OFFSET(I)",
    "EARLIEST_BY_OFFSET(S, 2)",
    "LATEST_BY_OFFSET(D, false)",
    "STDDEV_SAMP(B)",
    "CORRELATION(D, D)",
    "TOPK(B, 2)",
    "TOPKDISTINCT(S, 2)",
    "HISTOGRAM(S)",
    "COLLECT_SET(D)",
    "COUNT_DISTINCT(I)",
    "TOPK(I, S, 2)",
    "COUNT(*)",
    "SUM(D)",
]:
    nm = a.replace("(", " ").replace(")", "").replace(",", "").replace("*", "star")
    case(
        F,
        f"ds {nm} tumb",
        [DSRC, f"CREATE TABLE T AS SELECT G, {a} AS A FROM DS WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY G;"],
        DIN,
    )
    case(F, f"ds {nm} nowin", [DSRC, f"CREATE TABLE T AS SELECT G, {a} AS A FROM DS GROUP BY G;"], DIN)
case(
    F,
    "ds two aggs where having sess",
    [
        DSRC,
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C, AVG(D) AS AD FROM DS WINDOW SESSION (1 SECOND) WHERE B > 0 GROUP BY K HAVING MAX(I) > 1;",
    ],
    DIN,
)
case(
    F,
    "ds gb expr hop",
    [
        DSRC,
        "CREATE TABLE T AS SELECT UCASE(G) AS UG, SUM(I) AS SI, COLLECT_LIST(S) AS L FROM DS WINDOW HOPPING (SIZE 2 SECONDS, ADVANCE BY 1 SECOND) GROUP BY UCASE(G);",
    ],
    DIN,
)
case(
    F,
    "ds into json sink",
    [
        DSRC,
        "CREATE TABLE T WITH (VALUE_FORMAT='JSON') AS SELECT G, AVG(I) AS A FROM DS WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY G;",
    ],
    DIN,
)
case(
    F,
    "ds table source",
    [
        "CREATE TABLE DT (K STRING PRIMARY KEY, G STRING, I INT) WITH (kafka_topic='dt', value_format='DELIMITED');",
        "CREATE TABLE T AS SELECT G, AVG(I) AS A FROM DT GROUP BY G;",
    ],
    [rec("dt", "a", "x,1", 0)],
)
# --------------------------------------------------------------------------- 11. window clause numbers
F = "winnum"
for nm, w in [
    ("size neg", "TUMBLING (SIZE -1 SECONDS)"),
    ("size decimal", "TUMBLING (SIZE 1.5 SECONDS)"),
    ("advance neg", "HOPPING (SIZE 2 SECONDS, ADVANCE BY -1 SECOND)"),
    ("retention neg", "TUMBLING (SIZE 1 SECOND, RETENTION -5 SECONDS)"),
    ("session neg", "SESSION (-1 SECONDS)"),
    ("session grace neg", "SESSION (1 SECOND, GRACE PERIOD -2 SECONDS)"),
    ("hop grace neg", "HOPPING (SIZE 2 SECONDS, ADVANCE BY 1 SECOND, GRACE PERIOD -1 MILLISECOND)"),
    ("grace zero retention size", "TUMBLING (SIZE 2 SECONDS, RETENTION 2 SECONDS, GRACE PERIOD 0 SECONDS)"),
    (
        "units mixed",
        "HOPPING (SIZE 1 MINUTE, ADVANCE BY 20 SECONDS, RETENTION 1 HOUR, GRACE PERIOD 500 MILLISECONDS)",
    ),
    ("units singular", "TUMBLING (SIZE 1 DAY, GRACE PERIOD 1 HOUR)"),
    ("neg space", "TUMBLING (SIZE 1 SECOND, GRACE PERIOD - 1 SECOND)"),
    ("retention neg grace", "TUMBLING (SIZE 1 SECOND, RETENTION -1 SECOND, GRACE PERIOD -1 SECOND)"),
    ("advance eq size", "HOPPING (SIZE 1 SECOND, ADVANCE BY 1000 MILLISECONDS, GRACE PERIOD 0 SECONDS)"),
    ("big size", "TUMBLING (SIZE 10000 DAYS)"),
]:
    case(
        F,
        f"wn {nm}",
        [
            src(),
            f"CREATE TABLE T AS SELECT K, COUNT(*) AS C, WINDOWSTART AS WS FROM SRC WINDOW {w} GROUP BY K;",
        ],
        src_inputs(OOO),
    )

# --------------------------------------------------------------------------- 12. mixed shapes
F = "mixed"
NEG = [rec("src", k, v(g, i, i, float(i), 1.0, "s"), t) for k, g, i, t in (("a", "x", 4, 0), ("a", "x", 3, 100), ("a", "x", -5, 200), ("b", "y", 9, 300),
                                                                            ("a", "x", 10, 400), ("b", "y", -20, 1500), ("a", "x", 1, 1600))]
case(F, "having flips tumb", [src(), f"CREATE TABLE T AS SELECT K, SUM(I) AS SI FROM SRC {W['tumb1s_g1s']} GROUP BY K HAVING SUM(I) > 5;"], NEG)
case(F, "having flips sess", [src(), f"CREATE TABLE T AS SELECT K, SUM(I) AS SI FROM SRC {W['sess1s_g1s']} GROUP BY K HAVING SUM(I) > 5;"], NEG)
case(F, "having flips nowin", [src(), "CREATE TABLE T AS SELECT K, SUM(I) AS SI FROM SRC GROUP BY K HAVING SUM(I) > 5;"], NEG)
case(F, "having flips final", [src(), f"CREATE TABLE T AS SELECT K, SUM(I) AS SI FROM SRC {W['tumb1s_g1s']} GROUP BY K HAVING SUM(I) > 5 EMIT FINAL;"], NEG)
case(F, "same agg twice", [src(), "CREATE TABLE T AS SELECT K, COUNT(*) AS C1, COUNT(*) AS C2, SUM(I) AS S1, SUM(I) + 1 AS S2, COUNT(I) AS C3 FROM SRC GROUP BY K;"], NEG)
case(F, "agg in case", [src(), "CREATE TABLE T AS SELECT K, CASE WHEN COUNT(*) > 2 THEN 'many' ELSE 'few' END AS N, CASE WHEN SUM(I) < 0 THEN MIN(I) ELSE MAX(I) END AS X FROM SRC GROUP BY K;"], NEG)
case(F, "literal args", [src(), "CREATE TABLE T AS SELECT K, SUM(1) AS S, AVG(2) AS A, MAX(3.5) AS M, COUNT(NULL) AS CN, COLLECT_LIST('z') AS L FROM SRC GROUP BY K;"], NEG)
case(F, "gb case null", [src(), "CREATE TABLE T AS SELECT CASE WHEN I > 3 THEN 'big' END AS SZ, COUNT(*) AS C FROM SRC GROUP BY CASE WHEN I > 3 THEN 'big' END;"], NEG)
case(F, "ws rate expr", [src(), f"CREATE TABLE T AS SELECT K, COUNT(*) * 1000 / (WINDOWEND - WINDOWSTART) AS RATE, WINDOWSTART AS WS, WINDOWSTART AS WS2 FROM SRC {W['hop2s1s_g1s']} GROUP BY K;"], NEG)
case(F, "ws in having and select", [src(), f"CREATE TABLE T AS SELECT K, WINDOWEND AS WE, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K HAVING WINDOWSTART >= 1000 AND COUNT(*) >= 1;"], NEG)
case(F, "chain partition by then agg", [src(), "CREATE STREAM P AS SELECT * FROM SRC PARTITION BY G;",
                                        f"CREATE TABLE T AS SELECT G, COUNT(*) AS C, SUM(I) AS SI FROM P {W['tumb1s_g1s']} GROUP BY G;"], src_inputs(OOO))
case(F, "chain agg of windowed output", [src(), f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K;",
                                         "CREATE STREAM TS (K STRING KEY, C BIGINT) WITH (kafka_topic='T', value_format='JSON', window_type='TUMBLING', window_size='1 SECOND');",
                                         "CREATE TABLE T2 AS SELECT C, COUNT(*) AS N FROM TS GROUP BY C;"], src_inputs(OOO))
case(F, "chain two windowed", [src(), f"CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K;",
                               "CREATE STREAM TS (K STRING KEY, C BIGINT) WITH (kafka_topic='T', value_format='JSON', window_type='TUMBLING', window_size='1 SECOND');",
                               "CREATE TABLE T2 AS SELECT C, MAX(ROWTIME) AS MR, COUNT(*) AS N FROM TS WINDOW TUMBLING (SIZE 5 SECONDS) GROUP BY C;"], src_inputs(OOO))
case(F, "event ts null", ["CREATE STREAM E (K STRING KEY, TS BIGINT, V INT) WITH (kafka_topic='e', value_format='JSON', timestamp='TS');",
                          "CREATE TABLE T AS SELECT K, COUNT(*) AS C, SUM(V) AS S FROM E WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;"],
     [rec("e", "a", {"TS": ts, "V": i}, 0) for i, ts in enumerate((100, None, 1500, -5, 200, 2100))])
case(F, "event ts string fmt", ["CREATE STREAM E (K STRING KEY, TS STRING, V INT) WITH (kafka_topic='e', value_format='JSON', timestamp='TS', timestamp_format='yyyy-MM-dd HH:mm:ss.SSS');",
                                "CREATE TABLE T AS SELECT K, COUNT(*) AS C, WINDOWSTART AS WS FROM E WINDOW HOPPING (SIZE 1 SECOND, ADVANCE BY 500 MILLISECONDS) GROUP BY K;"],
     [rec("e", "a", {"TS": ts, "V": 1}, 0) for ts in ("1970-01-01 00:00:00.100", "1970-01-01 00:00:01.700", "bad", "1970-01-01 00:00:00.900")])
case(F, "st join then windowed agg", [src(), "CREATE TABLE U (K STRING PRIMARY KEY, R STRING) WITH (kafka_topic='u', value_format='JSON');",
                                      f"CREATE TABLE T AS SELECT U.R, COUNT(*) AS C, SUM(SRC.I) AS SI FROM SRC JOIN U ON SRC.K = U.K {W['tumb1s_g1s']} GROUP BY U.R;"],
     [rec("u", "a", {"R": "r1"}, 0), rec("u", "b", {"R": "r2"}, 0), *src_inputs(OOO)])
case(F, "st join then agg by key", [src(), "CREATE TABLE U (K STRING PRIMARY KEY, R STRING) WITH (kafka_topic='u', value_format='JSON');",
                                    "CREATE TABLE T AS SELECT SRC.K, COUNT(*) AS C, LATEST_BY_OFFSET(U.R) AS LR FROM SRC LEFT JOIN U ON SRC.K = U.K GROUP BY SRC.K;"],
     [rec("u", "a", {"R": "r1"}, 0), *src_inputs(OOO)])
case(F, "tt join then agg", ["CREATE TABLE A1 (K STRING PRIMARY KEY, G STRING, I INT) WITH (kafka_topic='a1', value_format='JSON');",
                             "CREATE TABLE B1 (K STRING PRIMARY KEY, H STRING) WITH (kafka_topic='b1', value_format='JSON');",
                             "CREATE TABLE T AS SELECT B1.H, COUNT(*) AS C, SUM(A1.I) AS SI FROM A1 JOIN B1 ON A1.K = B1.K GROUP BY B1.H;"],
     [rec("a1", "r1", {"G": "x", "I": 1}, 0), rec("b1", "r1", {"H": "h1"}, 10), rec("a1", "r2", {"G": "y", "I": 2}, 20), rec("b1", "r2", {"H": "h1"}, 30),
      rec("b1", "r1", {"H": "h2"}, 40), rec("a1", "r2", None, 50), rec("a1", "r1", {"G": "x", "I": 5}, 60)])
case(F, "final many keys boundary", [src(), "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW TUMBLING (SIZE 1 SECOND, GRACE PERIOD 0 SECONDS) GROUP BY K EMIT FINAL;"],
     [rec("src", k, v("x", 1, 1, 1.0, 1.0, "s"), t) for k, t in (("a", 0), ("b", 999), ("c", 1000), ("a", 1000), ("b", 999), ("c", 1999), ("d", 2000), ("a", 2000), ("e", 5000))])
case(F, "err limit on ctas agg", [src(), "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC GROUP BY K LIMIT 2;"])
case(F, "transient-like emit changes window", [src(), "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM SRC WINDOW TUMBLING (SIZE 500 MILLISECONDS) GROUP BY K EMIT CHANGES;"], src_inputs(OOO))
case(F, "gb key and window bound alias clash", [src(), f"CREATE TABLE T AS SELECT K AS WS, COUNT(*) AS C FROM SRC {W['tumb1s_g1s']} GROUP BY K;"], src_inputs(OOO))
case(F, "err ws alias is key name", [src(), f"CREATE TABLE T AS SELECT K, WINDOWSTART AS K2, WINDOWEND AS K2 FROM SRC {W['tumb1s_g1s']} GROUP BY K;"])
case(F, "count distinct hop", [src(), f"CREATE TABLE T AS SELECT G, COUNT_DISTINCT(K) AS UK, COUNT_DISTINCT(I) AS UI FROM SRC {W['hop2s1s_g1s']} GROUP BY G;"], src_inputs(OOO))
case(F, "topk struct other cols", [src(), "CREATE TABLE T AS SELECT K, TOPK(I, S, D, 2) AS TK FROM SRC GROUP BY K;"], src_inputs(OOO))
case(F, "attr", [src(), "CREATE TABLE T AS SELECT K, ATTR(G) AS AG, ATTR(S) AS AS1 FROM SRC GROUP BY K;"], src_inputs(OOO))
case(F, "sum_list", ["CREATE STREAM L (K STRING KEY, A ARRAY<DOUBLE>) WITH (kafka_topic='l', value_format='JSON');",
                     "CREATE TABLE T AS SELECT K, SUM(ARRAY_LENGTH(A)) AS N, COLLECT_LIST(A[1]) AS F FROM L GROUP BY K;"],
     [rec("l", "a", {"A": a}, t) for a, t in (([1.5, 2.0], 0), ([], 10), (None, 20), ([None, 3.0], 30))])

for name, tests in FILES.items():
    seen = set()
    for t in tests:
        assert t["name"] not in seen, t["name"]
        seen.add(t["name"])
    (OUT / f"gc_{name}.json").write_text(json.dumps({"tests": tests}, indent=1))
    print(name, len(tests))
print("total", sum(len(t) for t in FILES.values()))
