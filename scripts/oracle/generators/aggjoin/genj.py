"""Generator, class d (joins): timestamps, GRACE, n-way, co-partitioning. Writes QTT files (no outputs) into
OUTDIR (first argument; default out/ next to this file)."""

import json
import sys
from pathlib import Path

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "out"
OUT.mkdir(parents=True, exist_ok=True)


def case(name, stmts, inputs):
    return {"name": name, "statements": stmts, "inputs": inputs}


def rec(topic, key, value, ts):
    return {"topic": topic, "key": key, "value": value, "timestamp": ts}


def L(ts_col=False, extra=""):
    w = ", timestamp='LT'" if ts_col else ""
    return f"CREATE STREAM L (ID INT KEY, LV STRING, LT BIGINT, FK INT) WITH (kafka_topic='left', value_format='JSON'{w}{extra});"


def R(ts_col=False, kind="STREAM", extra=""):
    w = ", timestamp='RT'" if ts_col else ""
    key = "PRIMARY KEY" if kind == "TABLE" else "KEY"
    return f"CREATE {kind} R (ID INT {key}, RV STRING, RT BIGINT) WITH (kafka_topic='right', value_format='JSON'{w}{extra});"


def inputs():
    return [
        rec("left", 1, {"LV": "a", "LT": 5000, "FK": 10}, 1000),
        rec("right", 1, {"RV": "x", "RT": 500}, 2000),
        rec("left", 1, {"LV": "b", "LT": 1500, "FK": 10}, 3000),
        rec("right", 2, {"RV": "y", "RT": 9000}, 3500),
        rec("left", 2, {"LV": "c", "LT": 8000, "FK": 1}, 4000),
        rec("right", 1, {"RV": "z", "RT": 100}, 12000),
        rec("left", 1, {"LV": "d", "LT": 12500, "FK": 2}, 12500),
        rec("left", 2, {"LV": "e", "LT": 30000, "FK": 1}, 30000),
        rec("right", 2, {"RV": "w", "RT": 2000}, 31000),
        rec("left", 3, None, 31500),
    ]


tests = []
for lt in (False, True):
    for rt in (False, True):
        tag = f"lts{int(lt)} rts{int(rt)}"
        for jt in ("JOIN", "LEFT JOIN", "FULL OUTER JOIN", "RIGHT JOIN"):
            for w in (
                "WITHIN 5 SECONDS",
                "WITHIN 5 SECONDS GRACE PERIOD 1 SECOND",
                "WITHIN (1 SECOND, 10 SECONDS) GRACE PERIOD 0 SECONDS",
            ):
                sel = (
                    "L.ID AS ID, LV, RV, LT, RT"
                    if jt != "FULL OUTER JOIN"
                    else "ROWKEY AS ID, LV, RV, LT, RT"
                )
                tests.append(
                    case(
                        f"ss {jt.replace(' ', '_')} {w.replace('(', '').replace(')', '').replace(',', '')} {tag}",
                        [
                            L(lt),
                            R(rt),
                            f"CREATE STREAM OUT AS SELECT {sel} FROM L {jt} R {w} ON L.ID = R.ID;",
                        ],
                        inputs(),
                    )
                )
        for jt in ("JOIN", "LEFT JOIN"):
            tests.append(
                case(
                    f"st {jt.replace(' ', '_')} {tag}",
                    [
                        L(lt),
                        R(rt, "TABLE"),
                        f"CREATE STREAM OUT AS SELECT L.ID AS ID, LV, RV FROM L {jt} R ON L.ID = R.ID;",
                    ],
                    inputs(),
                )
            )
        for jt in ("JOIN", "LEFT JOIN", "FULL OUTER JOIN"):
            Lt = L(lt).replace("CREATE STREAM L (ID INT KEY", "CREATE TABLE L (ID INT PRIMARY KEY")
            sel = "L.ID AS ID" if jt != "FULL OUTER JOIN" else "ROWKEY AS ID"
            tests.append(
                case(
                    f"tt {jt.replace(' ', '_')} {tag}",
                    [
                        Lt,
                        R(rt, "TABLE"),
                        f"CREATE TABLE OUT AS SELECT {sel}, LV, RV FROM L {jt} R ON L.ID = R.ID;",
                    ],
                    inputs(),
                )
            )
            if jt != "FULL OUTER JOIN":
                tests.append(
                    case(
                        f"fk {jt.replace(' ', '_')} {tag}",
                        [
                            Lt,
                            R(rt, "TABLE"),
                            f"CREATE TABLE OUT AS SELECT L.ID AS ID, LV, RV FROM L {jt} R ON L.FK = R.ID;",
                        ],
                        inputs(),
                    )
                )
# n-way
T3 = "CREATE TABLE T3 (ID INT PRIMARY KEY, TV STRING) WITH (kafka_topic='third', value_format='JSON');"


def inputs3():
    return [rec("third", 1, {"TV": "t1"}, 500), rec("third", 10, {"TV": "t10"}, 600), rec("third", 2, {"TV": "t2"}, 600), *inputs()]


tests.append(
    case(
        "nway ss st",
        [
            L(),
            R(),
            T3,
            "CREATE STREAM OUT AS SELECT L.ID AS ID, LV, RV, TV FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.ID JOIN T3 ON L.ID = T3.ID;",
        ],
        inputs3(),
    )
)
tests.append(
    case(
        "nway st st fk col",
        [
            L(),
            R(kind="TABLE"),
            T3,
            "CREATE STREAM OUT AS SELECT L.ID AS ID, LV, RV, TV FROM L JOIN R ON L.ID = R.ID JOIN T3 ON L.FK = T3.ID;",
        ],
        inputs3(),
    )
)
Lt = L().replace("CREATE STREAM L (ID INT KEY", "CREATE TABLE L (ID INT PRIMARY KEY")
tests.append(
    case(
        "nway tt fk",
        [
            Lt,
            R(kind="TABLE"),
            T3,
            "CREATE TABLE OUT AS SELECT L.ID AS ID, LV, RV, TV FROM L JOIN R ON L.ID = R.ID JOIN T3 ON L.FK = T3.ID;",
        ],
        inputs3(),
    )
)
tests.append(
    case(
        "nway tt fk first",
        [
            Lt,
            R(kind="TABLE"),
            T3,
            "CREATE TABLE OUT AS SELECT L.ID AS ID, LV, RV, TV FROM L JOIN T3 ON L.FK = T3.ID JOIN R ON L.ID = R.ID;",
        ],
        inputs3(),
    )
)
tests.append(
    case(
        "nway tt left",
        [
            Lt,
            R(kind="TABLE"),
            T3,
            "CREATE TABLE OUT AS SELECT L.ID AS ID, LV, RV, TV FROM L LEFT JOIN R ON L.ID = R.ID LEFT JOIN T3 ON L.ID = T3.ID;",
        ],
        inputs3(),
    )
)
# co-partitioning
tests.append(
    case(
        "copart partitions",
        [
            L(extra=", partitions=2"),
            R(extra=", partitions=3"),
            "CREATE STREAM OUT AS SELECT L.ID AS ID, LV, RV FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.ID;",
        ],
        inputs(),
    )
)
tests.append(
    case(
        "copart partitions st",
        [
            L(extra=", partitions=2"),
            R(kind="TABLE", extra=", partitions=3"),
            "CREATE STREAM OUT AS SELECT L.ID AS ID, LV, RV FROM L JOIN R ON L.ID = R.ID;",
        ],
        inputs(),
    )
)
tests.append(
    case(
        "copart partitions fk ok",
        [
            Lt.replace("value_format='JSON'", "value_format='JSON', partitions=2"),
            R(kind="TABLE", extra=", partitions=3"),
            "CREATE TABLE OUT AS SELECT L.ID AS ID, LV, RV FROM L JOIN R ON L.FK = R.ID;",
        ],
        inputs(),
    )
)
tests.append(
    case(
        "copart key types",
        [
            L(),
            "CREATE STREAM R (ID BIGINT KEY, RV STRING, RT BIGINT) WITH (kafka_topic='right', value_format='JSON');",
            "CREATE STREAM OUT AS SELECT L.ID AS ID, LV, RV FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.ID;",
        ],
        inputs(),
    )
)
tests.append(
    case(
        "copart key types table",
        [
            L(),
            "CREATE TABLE R (ID STRING PRIMARY KEY, RV STRING, RT BIGINT) WITH (kafka_topic='right', value_format='JSON');",
            "CREATE STREAM OUT AS SELECT L.ID AS ID, LV, RV FROM L JOIN R ON L.ID = R.ID;",
        ],
        inputs(),
    )
)
tests.append(
    case(
        "copart key cast",
        [
            L(),
            "CREATE TABLE R (ID BIGINT PRIMARY KEY, RV STRING, RT BIGINT) WITH (kafka_topic='right', value_format='JSON');",
            "CREATE STREAM OUT AS SELECT L.ID AS ID, LV, RV FROM L JOIN R ON CAST(L.ID AS BIGINT) = R.ID;",
        ],
        inputs(),
    )
)
tests.append(
    case(
        "copart nonkey table",
        [
            L(),
            R(kind="TABLE"),
            "CREATE STREAM OUT AS SELECT L.ID AS ID, LV, RV FROM L JOIN R ON L.FK = R.RT;",
        ],
        inputs(),
    )
)
(OUT / "d_joins.json").write_text(json.dumps({"tests": tests}, indent=1))
print(len(tests))
