"""Generator gend (class d, joins): shapes the earlier join generators (aggjoin/genj.py, diffjoin) left out.

Foreign-key joins (struct-field / cast / function FKs, FK changes and deletes, key formats, partition counts,
CTAS and SOURCE TABLE sides, n-way FK chains), stream-stream joins across keys (window close of LEFT/OUTER
non-joined records, late records, WITHIN boundaries, time units, three streams), stream-table and table-table
joins with tombstones, co-partitioning by key format and partition count, synthetic key names, pseudo columns
and the error messages of the 0.29 restrictions. Writes QTT files (no outputs) into the directory given as
argv[1]; `bin/fill-outputs` of the oracle records what ksqlDB 0.29 does with them.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def rec(topic: str, key, value, ts: int) -> dict:
    return {"topic": topic, "key": key, "value": value, "timestamp": ts}


def case(name: str, stmts: list[str], inputs: list[dict], topics: list[str] | None = None) -> dict:
    out: dict = {"name": name, "statements": stmts, "inputs": inputs}
    if topics:
        # the harness's topic client knows a CREATE ... AS SELECT sink only when the case declares it (as the
        # corpus's 'table join pipeline' does): a join's co-partitioning check describes its topic
        out["topics"] = [{"name": t, "partitions": 4} for t in topics]
    return out


FILES: dict[str, list[dict]] = {}


def add(file: str, name: str, stmts: list[str], inputs: list[dict], topics: list[str] | None = None) -> None:
    # the harness refuses an input record on a topic no source reads ("Failed to determine key type")
    named = " ".join(stmts)
    inputs = [r for r in inputs if f"kafka_topic='{r['topic']}'" in named]
    FILES.setdefault(file, []).append(case(name, stmts, inputs, topics))


# ---------------------------------------------------------------- foreign-key table-table joins
A = ("CREATE TABLE A (ID INT PRIMARY KEY, FK INT, AV STRING, ST STRUCT<F INT, G STRING>, FS STRING) "
     "WITH (kafka_topic='a', value_format='JSON'{x});")
B = "CREATE TABLE B (ID INT PRIMARY KEY, BV STRING, BN INT) WITH (kafka_topic='b', value_format='JSON'{x});"
BS = "CREATE TABLE BS (K STRING PRIMARY KEY, BV STRING) WITH (kafka_topic='bs', value_format='JSON');"
C = "CREATE TABLE C (ID INT PRIMARY KEY, CV STRING, CK INT) WITH (kafka_topic='c', value_format='JSON');"


def a(key, fk, av, ts, f=None, fs=None):
    val = None if av is None else {"FK": fk, "AV": av, "ST": {"F": f, "G": av}, "FS": fs}
    return rec("a", key, val, ts)


def b(key, bv, ts, bn=None):
    return rec("b", key, None if bv is None else {"BV": bv, "BN": bn}, ts)


FK_CHANGES = [b(10, "b10", 1, 5), a(1, 10, "a1", 2, f=20, fs="20"), b(20, "b20", 3, 6), a(2, 10, "a2", 4, f=10, fs="10"),
              a(1, 20, "a1x", 5, f=10, fs="10"), b(10, "b10x", 6, 7), a(1, 30, "a1y", 7, f=30, fs="30"),
              b(30, "b30", 8, 8), b(10, None, 9), a(2, None, "a2n", 10, f=None, fs=None), b(30, None, 11),
              a(1, None, None, 12), a(3, 20, "a3", 13, f=20, fs="x"), b(20, "b20x", 14, 9), a(3, None, None, 15)]

for jt in ("JOIN", "LEFT JOIN"):
    t = jt.split()[0]
    for cond, nm in (("A.FK = B.ID", "col"), ("A.ST->F = B.ID", "struct"), ("CAST(A.FS AS INT) = B.ID", "cast"),
                     ("ABS(A.ST->F) = B.ID", "func"), ("B.ID = A.ST->F", "struct reversed")):
        add("gend_fk", f"fk {t} {nm} changes", [A.format(x=""), B.format(x=""),
            f"CREATE TABLE OUT AS SELECT A.ID, AV, BV, BN FROM A {jt} B ON {cond};"], FK_CHANGES)
    add("gend_fk", f"fk {t} star", [A.format(x=""), B.format(x=""),
        f"CREATE TABLE OUT AS SELECT * FROM A {jt} B ON A.FK = B.ID;"], FK_CHANGES)
    add("gend_fk", f"fk {t} aliases star", [A.format(x=""), B.format(x=""),
        f"CREATE TABLE OUT AS SELECT * FROM A AS X {jt} B AS Y ON X.FK = Y.ID;"], FK_CHANGES)
    add("gend_fk", f"fk {t} rowtimes", [A.format(x=""), B.format(x=""),
        f"CREATE TABLE OUT AS SELECT A.ID, A.ROWTIME AS ART, B.ROWTIME AS BRT, BV FROM A {jt} B ON A.FK = B.ID;"], FK_CHANGES)
    add("gend_fk", f"fk {t} key format", [A.format(x=", key_format='JSON'"), B.format(x=", key_format='KAFKA'"),
        f"CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A {jt} B ON A.FK = B.ID;"], FK_CHANGES[:8])
    add("gend_fk", f"fk {t} key format right json", [A.format(x=""), B.format(x=", key_format='JSON'"),
        f"CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A {jt} B ON A.FK = B.ID;"], FK_CHANGES[:8])
    add("gend_fk", f"fk {t} partitions", [A.format(x=", partitions=3"), B.format(x=", partitions=2"),
        f"CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A {jt} B ON A.FK = B.ID;"], FK_CHANGES[:8])
    add("gend_fk", f"fk {t} string key concat", [A.format(x=""), BS,
        f"CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A {jt} BS ON CONCAT('k', CAST(A.FK AS STRING)) = BS.K;"],
        [rec("bs", "k10", {"BV": "s10"}, 1), a(1, 10, "a1", 2), a(2, 11, "a2", 3), rec("bs", "k11", {"BV": "s11"}, 4),
         a(1, 11, "a1b", 5), rec("bs", "k10", None, 6)])
    add("gend_fk", f"fk {t} where right", [A.format(x=""), B.format(x=""),
        f"CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A {jt} B ON A.FK = B.ID WHERE BN IS NULL OR BN > 6;"], FK_CHANGES)
    add("gend_fk", f"fk {t} project fk and right key", [A.format(x=""), B.format(x=""),
        f"CREATE TABLE OUT AS SELECT A.ID AS AID, A.FK, B.ID AS BID, BV FROM A {jt} B ON A.FK = B.ID;"], FK_CHANGES)
    add("gend_fk", f"fk {t} group by right", [A.format(x=""), B.format(x=""),
        f"CREATE TABLE J AS SELECT A.ID, AV, BV FROM A {jt} B ON A.FK = B.ID;",
        "CREATE TABLE OUT AS SELECT BV, COUNT(*) AS C FROM J GROUP BY BV;"], FK_CHANGES)
    add("gend_fk", f"fk {t} direct group by", [A.format(x=""), B.format(x=""),
        f"CREATE TABLE OUT AS SELECT BV, COUNT(*) AS C FROM A {jt} B ON A.FK = B.ID GROUP BY BV;"], FK_CHANGES)
    add("gend_fk", f"fk {t} left from ctas", [
        "CREATE STREAM S (ID INT KEY, G STRING, FK INT) WITH (kafka_topic='s', value_format='JSON');",
        B.format(x=""),
        "CREATE TABLE AG AS SELECT G, COUNT(*) AS CNT, LATEST_BY_OFFSET(FK) AS FK FROM S GROUP BY G;",
        f"CREATE TABLE OUT AS SELECT AG.G, CNT, BV FROM AG {jt} B ON AG.FK = B.ID;"],
        [b(10, "b10", 1), b(20, "b20", 2), rec("s", 1, {"G": "g", "FK": 10}, 3), rec("s", 2, {"G": "h", "FK": 20}, 4),
         rec("s", 3, {"G": "g", "FK": 20}, 5), b(20, "b20x", 6)])
    add("gend_fk", f"fk {t} right from ctas", [
        A.format(x=""),
        "CREATE STREAM S (ID INT KEY, V STRING) WITH (kafka_topic='s', value_format='JSON');",
        "CREATE TABLE BG AS SELECT ID, COUNT(*) AS CNT FROM S GROUP BY ID;",
        f"CREATE TABLE OUT AS SELECT A.ID, AV, CNT FROM A {jt} BG ON A.FK = BG.ID;"],
        [a(1, 10, "a1", 1), rec("s", 10, {"V": "x"}, 2), rec("s", 10, {"V": "y"}, 3), a(2, 10, "a2", 4),
         a(1, 11, "a1b", 5), rec("s", 11, {"V": "z"}, 6)])
    add("gend_fk", f"fk {t} source table right", [A.format(x=""),
        "CREATE SOURCE TABLE B (ID INT PRIMARY KEY, BV STRING, BN INT) WITH (kafka_topic='b', value_format='JSON');",
        f"CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A {jt} B ON A.FK = B.ID;"], FK_CHANGES[:8])
    add("gend_fk", f"fk {t} two fks", [A.format(x=""), B.format(x=""), C,
        f"CREATE TABLE OUT AS SELECT A.ID, AV, BV, CV FROM A {jt} B ON A.FK = B.ID {jt} C ON A.ST->F = C.ID;"],
        [b(10, "b10", 1), rec("c", 20, {"CV": "c20", "CK": 1}, 2), a(1, 10, "a1", 3, f=20), a(2, 20, "a2", 4, f=10),
         rec("c", 10, {"CV": "c10", "CK": 1}, 5), b(20, "b20", 6), a(1, 20, "a1b", 7, f=10), b(20, None, 8)])
    add("gend_fk", f"fk {t} chain from right column", [A.format(x=""), B.format(x=""), C,
        f"CREATE TABLE OUT AS SELECT A.ID, AV, BV, CV FROM A {jt} B ON A.FK = B.ID {jt} C ON B.BN = C.ID;"],
        [b(10, "b10", 1, 5), rec("c", 5, {"CV": "c5", "CK": 1}, 2), a(1, 10, "a1", 3)])
    add("gend_fk", f"fk {t} pk then fk", [A.format(x=""), C, B.format(x=""),
        f"CREATE TABLE OUT AS SELECT A.ID, AV, CV, BV FROM A {jt} C ON A.ID = C.ID {jt} B ON A.FK = B.ID;"],
        [a(1, 10, "a1", 1), rec("c", 1, {"CV": "c1", "CK": 1}, 2), b(10, "b10", 3), a(1, 11, "a1b", 4),
         b(11, "b11", 5), rec("c", 1, None, 6)])
    add("gend_fk", f"fk {t} stream left fk projected", ["CREATE STREAM SA (ID INT KEY, FK INT, AV STRING) WITH (kafka_topic='a', value_format='JSON');",
        B.format(x=""), f"CREATE STREAM OUT AS SELECT SA.FK, SA.ID AS SID, AV, BV FROM SA {jt} B ON SA.FK = B.ID;"],
        [b(10, "b10", 1), rec("a", 1, {"FK": 10, "AV": "x"}, 2), rec("a", 2, {"FK": 11, "AV": "y"}, 3),
         rec("a", 3, {"FK": None, "AV": "z"}, 4), b(11, "b11", 5), rec("a", 2, {"FK": 11, "AV": "y2"}, 6)])
    add("gend_fk", f"fk {t} stream left", ["CREATE STREAM SA (ID INT KEY, FK INT, AV STRING) WITH (kafka_topic='a', value_format='JSON');",
        B.format(x=""), f"CREATE STREAM OUT AS SELECT SA.ID, AV, BV FROM SA {jt} B ON SA.FK = B.ID;"],
        [b(10, "b10", 1), rec("a", 1, {"FK": 10, "AV": "x"}, 2), rec("a", 2, {"FK": 11, "AV": "y"}, 3),
         rec("a", 3, {"FK": None, "AV": "z"}, 4)])

# FK restrictions and their messages
add("gend_fk_err", "fk type mismatch", [A.format(x=""), B.format(x=""),
    "CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A JOIN B ON A.FS = B.ID;"], [a(1, 10, "a1", 1)])
add("gend_fk_err", "fk both sides expression", [A.format(x=""), B.format(x=""),
    "CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A JOIN B ON A.FK = B.ID + 1;"], [a(1, 10, "a1", 1)])
add("gend_fk_err", "fk on right value column", [A.format(x=""), B.format(x=""),
    "CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A JOIN B ON A.FK = B.BN;"], [a(1, 10, "a1", 1)])
add("gend_fk_err", "fk left key expr", [A.format(x=""), B.format(x=""),
    "CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A JOIN B ON A.ID + 1 = B.ID;"], [a(1, 10, "a1", 1), b(2, "b2", 2)])
add("gend_fk_err", "fk as stream", [A.format(x=""), B.format(x=""),
    "CREATE STREAM OUT AS SELECT A.ID, AV, BV FROM A JOIN B ON A.FK = B.ID;"], [a(1, 10, "a1", 1), b(10, "b10", 2)])
add("gend_fk_err", "fk key not projected", [A.format(x=""), B.format(x=""),
    "CREATE TABLE OUT AS SELECT AV, BV FROM A LEFT JOIN B ON A.ST->F = B.ID;"], [a(1, 10, "a1", 1)])
add("gend_fk_err", "fk right key projected only", [A.format(x=""), B.format(x=""),
    "CREATE TABLE OUT AS SELECT B.ID, AV, BV FROM A JOIN B ON A.FK = B.ID;"], [a(1, 10, "a1", 1), b(10, "b10", 2)])
add("gend_fk_err", "fk windowed right", [A.format(x=""),
    "CREATE STREAM S (ID INT KEY, V STRING) WITH (kafka_topic='s', value_format='JSON');",
    "CREATE TABLE W AS SELECT ID, COUNT(*) AS CNT FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;",
    "CREATE TABLE OUT AS SELECT A.ID, AV, CNT FROM A JOIN W ON A.FK = W.ID;"], [a(1, 10, "a1", 1), rec("s", 10, {"V": "x"}, 2)])
add("gend_fk_err", "fk full outer", [A.format(x=""), B.format(x=""),
    "CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A FULL OUTER JOIN B ON A.ST->F = B.ID;"], [a(1, 10, "a1", 1)])
add("gend_fk_err", "fk literal", [A.format(x=""), B.format(x=""),
    "CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A JOIN B ON 10 = B.ID;"], [a(1, 10, "a1", 1)])
add("gend_fk_err", "fk double fk", [A.format(x=""), B.format(x=""),
    "CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A JOIN B ON CAST(A.FK AS DOUBLE) = B.ID;"], [a(1, 10, "a1", 1)])
add("gend_fk_err", "fk bigint fk", [A.format(x=""), B.format(x=""),
    "CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A JOIN B ON CAST(A.FK AS BIGINT) = B.ID;"], [a(1, 10, "a1", 1)])

# ---------------------------------------------------------------- stream-stream joins
L = "CREATE STREAM L (ID INT KEY, LV STRING, LN INT) WITH (kafka_topic='l', value_format='JSON'{x});"
R = "CREATE STREAM R (ID INT KEY, RV STRING, RN INT) WITH (kafka_topic='r', value_format='JSON'{x});"
R3 = "CREATE STREAM R3 (ID INT KEY, QV STRING) WITH (kafka_topic='r3', value_format='JSON');"


def lt(k, v, ts, n=None):
    return rec("l", k, None if v is None else {"LV": v, "LN": n}, ts)


def rt(k, v, ts, n=None):
    return rec("r", k, None if v is None else {"RV": v, "RN": n}, ts)


MULTIKEY = [lt(1, "l1", 1000, 1), lt(2, "l2", 2000, 2), rt(3, "r3", 2500, 3), rt(1, "r1", 3000, 4), lt(3, "l3", 9000, 5),
            rt(2, "r2", 9500, 6), lt(4, "l4", 16000, 7), rt(5, "r5", 17000, 8), lt(1, "l1late", 4000, 9),
            rt(4, "r4late", 3000, 10), lt(6, "l6", 40000, 11), rt(6, "r6", 40500, 12)]
for jt in ("JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL OUTER JOIN"):
    t = jt.split()[0]
    sel = "ROWKEY AS K, LV, RV" if t == "FULL" else ("R.ID AS K, LV, RV" if t == "RIGHT" else "L.ID AS K, LV, RV")
    for w, wn in (("WITHIN 2 SECONDS GRACE PERIOD 1 SECOND", "w2g1"), ("WITHIN 2 SECONDS GRACE PERIOD 10 SECONDS", "w2g10"),
                  ("WITHIN (1 SECOND, 3 SECONDS) GRACE PERIOD 2 SECONDS", "b1a3g2"), ("WITHIN 2 SECONDS", "w2 nograce")):
        add("gend_ss", f"ss {t} multikey {wn}", [L.format(x=""), R.format(x=""),
            f"CREATE STREAM OUT AS SELECT {sel}, LN, RN FROM L {jt} R {w} ON L.ID = R.ID;"], MULTIKEY)
    # exact WITHIN boundaries
    add("gend_ss", f"ss {t} boundaries before after", [L.format(x=""), R.format(x=""),
        f"CREATE STREAM OUT AS SELECT {sel} FROM L {jt} R WITHIN (2 SECONDS, 3 SECONDS) GRACE PERIOD 1 MINUTE ON L.ID = R.ID;"],
        [lt(1, "l", 10000), rt(1, "m2000", 8000), rt(1, "m2001", 7999), rt(1, "p3000", 13000), rt(1, "p3001", 13001),
         rt(2, "x", 20000), lt(2, "y", 17000), lt(2, "z", 16999), lt(2, "w", 22000), lt(2, "v", 22001)])
    add("gend_ss", f"ss {t} units", [L.format(x=""), R.format(x=""),
        f"CREATE STREAM OUT AS SELECT {sel} FROM L {jt} R WITHIN 7 DAYS GRACE PERIOD 1 HOUR ON L.ID = R.ID;"],
        [lt(1, "o1", 0), rt(1, "s1", 6 * 86400000), rt(1, "s2", 8 * 86400000), lt(2, "o2", 8 * 86400000),
         rt(2, "s3", 20 * 86400000), lt(3, "o3", 30 * 86400000)])
    add("gend_ss", f"ss {t} null key and value", [L.format(x=""), R.format(x=""),
        f"CREATE STREAM OUT AS SELECT {sel} FROM L {jt} R WITHIN 10 SECONDS GRACE PERIOD 0 SECONDS ON L.ID = R.ID;"],
        [lt(None, "ln", 1000), rt(None, "rn", 1100), lt(1, None, 1200), rt(1, "r1", 1300), lt(1, "l1", 1400),
         rt(1, None, 1500), lt(2, "l2", 30000)])
    add("gend_ss", f"ss {t} value columns both sides", [L.format(x=""), R.format(x=""),
        f"CREATE STREAM OUT AS SELECT * FROM L {jt} R WITHIN 10 SECONDS GRACE PERIOD 0 SECONDS ON L.LN = R.RN;"],
        [lt(1, "a", 1000, 7), rt(9, "b", 1100, 7), rt(8, "c", 1200, 8), lt(2, "d", 1300, None), rt(3, "e", 1400, None),
         lt(4, "f", 40000, 9)])
    add("gend_ss", f"ss {t} expression both sides", [L.format(x=""), R.format(x=""),
        f"CREATE STREAM OUT AS SELECT * FROM L {jt} R WITHIN 10 SECONDS GRACE PERIOD 0 SECONDS ON L.LN + 1 = R.RN - 1;"],
        [lt(1, "a", 1000, 7), rt(9, "b", 1100, 9), rt(8, "c", 1200, 8), lt(4, "f", 40000, 9)])
    add("gend_ss", f"ss {t} three streams", [L.format(x=""), R.format(x=""), R3,
        f"CREATE STREAM OUT AS SELECT * FROM L {jt} R WITHIN 5 SECONDS GRACE PERIOD 0 SECONDS ON L.ID = R.ID "
        f"{jt} R3 WITHIN 5 SECONDS GRACE PERIOD 0 SECONDS ON L.ID = R3.ID;"],
        [lt(1, "a", 1000), rt(1, "b", 2000), rec("r3", 1, {"QV": "c"}, 3000), rec("r3", 2, {"QV": "d"}, 3500),
         rt(2, "e", 4000), lt(3, "f", 30000)])

add("gend_ss", "ss LEFT timestamp column", [
    "CREATE STREAM L (ID INT KEY, LV STRING, TS TIMESTAMP) WITH (kafka_topic='l', value_format='JSON', timestamp='TS');",
    "CREATE STREAM R (ID INT KEY, RV STRING, TS BIGINT) WITH (kafka_topic='r', value_format='JSON', timestamp='TS');",
    "CREATE STREAM OUT AS SELECT L.ID, LV, RV, L.TS AS LTS, R.TS AS RTS FROM L LEFT JOIN R WITHIN 5 SECONDS GRACE PERIOD 0 SECONDS ON L.ID = R.ID;"],
    [rec("l", 1, {"LV": "a", "TS": 10000}, 1), rec("r", 1, {"RV": "b", "TS": 12000}, 2),
     rec("l", 2, {"LV": "c", "TS": 13000}, 3), rec("r", 3, {"RV": "d", "TS": 30000}, 4)])
add("gend_ss", "ss self join aliased with condition on value", [L.format(x=""),
    "CREATE STREAM OUT AS SELECT X.ID, X.LV AS A, Y.LV AS B FROM L X JOIN L Y WITHIN 5 SECONDS ON X.LN = Y.LN;"],
    [lt(1, "a", 1000, 1), lt(2, "b", 2000, 1)])
add("gend_ss", "ss orders shipments tutorial", [
    "CREATE STREAM ORDERS (ID INT KEY, ORDER_TS VARCHAR, TOTAL_AMOUNT DOUBLE, CUSTOMER_NAME VARCHAR) "
    "WITH (kafka_topic='_orders', value_format='JSON', timestamp='ORDER_TS', timestamp_format='yyyy-MM-dd''T''HH:mm:ssX', partitions=4);",
    "CREATE STREAM SHIPMENTS (ID VARCHAR KEY, SHIP_TS VARCHAR, ORDER_ID INT, WAREHOUSE VARCHAR) "
    "WITH (kafka_topic='_shipments', value_format='JSON', timestamp='SHIP_TS', timestamp_format='yyyy-MM-dd''T''HH:mm:ssX', partitions=4);",
    "CREATE STREAM SHIPPED_ORDERS AS SELECT O.ID AS ORDER_ID, TIMESTAMPTOSTRING(O.ROWTIME, 'yyyy-MM-dd HH:mm:ss', 'UTC') AS ORDER_TS, "
    "O.TOTAL_AMOUNT, O.CUSTOMER_NAME, S.ID AS SHIPMENT_ID, TIMESTAMPTOSTRING(S.ROWTIME, 'yyyy-MM-dd HH:mm:ss', 'UTC') AS SHIPMENT_TS, "
    "S.WAREHOUSE, (S.ROWTIME - O.ROWTIME) / 1000 / 60 AS SHIP_TIME FROM ORDERS O INNER JOIN SHIPMENTS S WITHIN 7 DAYS GRACE PERIOD 1 HOUR "
    "ON O.ID = S.ORDER_ID;"],
    [rec("_orders", 1, {"ORDER_TS": "2019-03-29T06:01:18Z", "TOTAL_AMOUNT": 133.84, "CUSTOMER_NAME": "Ricardo Ferreira"}, 0),
     rec("_orders", 2, {"ORDER_TS": "2019-03-29T17:02:20Z", "TOTAL_AMOUNT": 164.31, "CUSTOMER_NAME": "Tim Berglund"}, 0),
     rec("_orders", 3, {"ORDER_TS": "2019-03-29T13:44:10Z", "TOTAL_AMOUNT": 90.66, "CUSTOMER_NAME": "Robin Moffatt"}, 0),
     rec("_shipments", "ship-ts1", {"SHIP_TS": "2019-03-30T18:13:39Z", "ORDER_ID": 1, "WAREHOUSE": "UPS"}, 0),
     rec("_shipments", "ship-ts2", {"SHIP_TS": "2019-04-29T06:13:39Z", "ORDER_ID": 2, "WAREHOUSE": "DHL"}, 0),
     rec("_shipments", "ship-ts3", {"SHIP_TS": "2019-03-29T14:13:39Z", "ORDER_ID": 3, "WAREHOUSE": "UPS"}, 0)])
add("gend_ss", "ss pseudo columns", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT L.ID, L.ROWPARTITION AS LP, L.ROWOFFSET AS LO, R.ROWOFFSET AS RO FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.ID;"],
    [lt(1, "a", 1000), rt(1, "b", 1100), lt(1, "c", 1200)])
add("gend_ss", "ss header columns", [
    "CREATE STREAM L (ID INT KEY, LV STRING, H ARRAY<STRUCT<KEY STRING, VALUE BYTES>> HEADERS) WITH (kafka_topic='l', value_format='JSON');",
    R.format(x=""),
    "CREATE STREAM OUT AS SELECT L.ID, LV, RV, H FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.ID;"],
    [lt(1, "a", 1000), rt(1, "b", 1100)])
add("gend_ss", "ss join then tumbling count", [L.format(x=""), R.format(x=""),
    "CREATE TABLE OUT AS SELECT RV, COUNT(*) AS C FROM L LEFT JOIN R WITHIN 5 SECONDS GRACE PERIOD 0 SECONDS ON L.ID = R.ID "
    "WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY RV;"],
    [lt(1, "a", 1000), rt(1, "x", 1100), lt(1, "b", 1200), lt(2, "c", 3000), lt(3, "d", 25000)])
add("gend_ss", "ss join partition by right col", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT RV, L.ID AS LID, LV FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.ID PARTITION BY RV;"],
    [lt(1, "a", 1000), rt(1, "x", 1100), lt(1, "b", 1200)])
add("gend_ss", "ss join of csas partition by", [L.format(x=""), R.format(x=""),
    "CREATE STREAM RK AS SELECT * FROM R PARTITION BY RN;",
    "CREATE STREAM OUT AS SELECT L.ID, LV, RV FROM L JOIN RK WITHIN 5 SECONDS ON L.ID = RK.RN;"],
    [rt(7, "x", 1000, 1), lt(1, "a", 1100), rt(8, "y", 1200, 2), lt(2, "b", 1300)], topics=["RK"])
add("gend_ss", "ss join of csas partition by topic unknown", [L.format(x=""), R.format(x=""),
    "CREATE STREAM RK AS SELECT * FROM R PARTITION BY RN;",
    "CREATE STREAM OUT AS SELECT L.ID, LV, RV FROM RK JOIN L WITHIN 5 SECONDS ON L.ID = RK.RN;"],
    [rt(7, "x", 1000, 1), lt(1, "a", 1100)])
add("gend_ss", "ss partitions differ repartitioned side", [L.format(x=", partitions=2"), R.format(x=", partitions=3"),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.RN;"],
    [rt(7, "x", 1000, 1), lt(1, "a", 1100)])
add("gend_ss", "ss partitions differ both repartitioned", [L.format(x=", partitions=2"), R.format(x=", partitions=3"),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 5 SECONDS ON L.LN = R.RN;"],
    [rt(7, "x", 1000, 1), lt(1, "a", 1100, 1)])
add("gend_ss", "ss key formats differ", [L.format(x=", key_format='JSON'"), R.format(x=", key_format='KAFKA'"),
    "CREATE STREAM OUT AS SELECT L.ID, LV, RV FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.ID;"],
    [rt(1, "x", 1000), lt(1, "a", 1100)])
add("gend_ss", "ss key formats differ delimited", [L.format(x=", key_format='DELIMITED'"), R.format(x=", key_format='JSON'"),
    "CREATE STREAM OUT AS SELECT * FROM L LEFT JOIN R WITHIN 5 SECONDS ON L.ID = R.ID;"],
    [rt(1, "x", 1000), rec("l", "1", {"LV": "a", "LN": None}, 1100)])
add("gend_ss", "ss key format none", [
    "CREATE STREAM L (LV STRING, LN INT) WITH (kafka_topic='l', value_format='JSON', key_format='NONE');",
    R.format(x=""), "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 5 SECONDS ON L.LN = R.ID;"],
    [rt(1, "x", 1000), rec("l", None, {"LV": "a", "LN": 1}, 1100)])
add("gend_ss", "ss multi key column left", [
    "CREATE STREAM L (K1 INT KEY, K2 STRING KEY, LV STRING) WITH (kafka_topic='l', value_format='JSON', key_format='JSON');",
    R.format(x=", key_format='JSON'"), "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 5 SECONDS ON L.K1 = R.ID;"],
    [rt(1, "x", 1000), rec("l", {"K1": 1, "K2": "a"}, {"LV": "a"}, 1100)])

# ---------------------------------------------------------------- stream-table joins
S = "CREATE STREAM S (ID INT KEY, SV STRING, FK INT, X STRING) WITH (kafka_topic='s', value_format='JSON'{x});"
T = "CREATE TABLE T (ID INT PRIMARY KEY, TV STRING, TN INT) WITH (kafka_topic='t', value_format='JSON'{x});"
TS_ = "CREATE TABLE TS (K STRING PRIMARY KEY, TV STRING) WITH (kafka_topic='ts', value_format='JSON');"


def st(k, v, ts, fk=None, x=None):
    return rec("s", k, None if v is None else {"SV": v, "FK": fk, "X": x}, ts)


def tt(k, v, ts, n=None):
    return rec("t", k, None if v is None else {"TV": v, "TN": n}, ts)


ST_SEQ = [st(1, "s0", 1000, 1), tt(1, "t1", 2000, 1), st(1, "s1", 1500, 2), tt(2, "t2", 3000, 2), st(2, "s2", 2500, 1),
          tt(1, None, 4000), st(1, "s3", 4500, 2), st(None, "sn", 5000, 2), tt(1, "t1b", 6000, 3), st(1, "s4", 6500, None),
          st(3, None, 7000)]
for jt in ("JOIN", "LEFT JOIN"):
    t = jt.split()[0]
    add("gend_st", f"st {t} table tombstone and late", [S.format(x=""), T.format(x=""),
        f"CREATE STREAM OUT AS SELECT S.ID, SV, TV, TN, S.ROWTIME AS SRT FROM S {jt} T ON S.ID = T.ID;"], ST_SEQ)
    add("gend_st", f"st {t} star aliases", [S.format(x=""), T.format(x=""),
        f"CREATE STREAM OUT AS SELECT * FROM S AS P {jt} T AS Q ON P.ID = Q.ID;"], ST_SEQ)
    add("gend_st", f"st {t} fk star", [S.format(x=""), T.format(x=""),
        f"CREATE STREAM OUT AS SELECT * FROM S {jt} T ON S.FK = T.ID;"], ST_SEQ)
    add("gend_st", f"st {t} string expression", [S.format(x=""), TS_,
        f"CREATE STREAM OUT AS SELECT * FROM S {jt} TS ON UCASE(S.X) = TS.K;"],
        [rec("ts", "AB", {"TV": "ab"}, 1), st(1, "s1", 2, x="ab"), st(2, "s2", 3, x="Ab"), st(3, "s3", 4, x=None),
         rec("ts", "AB", None, 5), st(4, "s4", 6, x="ab")])
    add("gend_st", f"st {t} table from ctas", [S.format(x=""),
        "CREATE STREAM P (ID INT KEY, V INT) WITH (kafka_topic='p', value_format='JSON');",
        "CREATE TABLE AGG AS SELECT ID, COUNT(*) AS CNT, SUM(V) AS TOT FROM P GROUP BY ID;",
        f"CREATE STREAM OUT AS SELECT S.ID, SV, CNT, TOT FROM S {jt} AGG ON S.ID = AGG.ID;"],
        [rec("p", 1, {"V": 5}, 1), st(1, "s1", 2), rec("p", 1, {"V": 6}, 3), st(1, "s2", 4), st(2, "s3", 5)],
        topics=None if t == "JOIN" else ["AGG"])
    add("gend_st", f"st {t} source table", [S.format(x=""),
        "CREATE SOURCE TABLE T (ID INT PRIMARY KEY, TV STRING, TN INT) WITH (kafka_topic='t', value_format='JSON');",
        f"CREATE STREAM OUT AS SELECT S.ID, SV, TV FROM S {jt} T ON S.ID = T.ID;"], ST_SEQ)
    add("gend_st", f"st {t} key formats differ", [S.format(x=", key_format='JSON'"), T.format(x=", key_format='KAFKA'"),
        f"CREATE STREAM OUT AS SELECT S.ID, SV, TV FROM S {jt} T ON S.ID = T.ID;"], ST_SEQ[:5])
    add("gend_st", f"st {t} key formats differ table json", [S.format(x=""), T.format(x=", key_format='JSON'"),
        f"CREATE STREAM OUT AS SELECT S.ID, SV, TV FROM S {jt} T ON S.ID = T.ID;"], ST_SEQ[:5])
    add("gend_st", f"st {t} key formats differ repartition", [S.format(x=", key_format='JSON'"), T.format(x=", key_format='KAFKA'"),
        f"CREATE STREAM OUT AS SELECT S.FK, SV, TV FROM S {jt} T ON S.FK = T.ID;"], ST_SEQ[:5])
    add("gend_st", f"st {t} partitions repartitioned stream", [S.format(x=", partitions=2"), T.format(x=", partitions=3"),
        f"CREATE STREAM OUT AS SELECT S.FK, SV, TV FROM S {jt} T ON S.FK = T.ID;"], ST_SEQ[:5])
    add("gend_st", f"st {t} windowed table", [S.format(x=""),
        "CREATE STREAM P (ID INT KEY, V INT) WITH (kafka_topic='p', value_format='JSON');",
        "CREATE TABLE W AS SELECT ID, COUNT(*) AS CNT FROM P WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;",
        f"CREATE STREAM OUT AS SELECT S.ID, SV, CNT FROM S {jt} W ON S.ID = W.ID;"], [rec("p", 1, {"V": 5}, 1), st(1, "s1", 2)])
    add("gend_st", f"st {t} windowed stream", [S.format(x=""), T.format(x=""),
        "CREATE TABLE W AS SELECT ID, COUNT(*) AS CNT FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;",
        f"CREATE TABLE OUT AS SELECT W.ID, CNT, TV FROM W {jt} T ON W.ID = T.ID;"], [tt(1, "t1", 1), st(1, "s1", 2)])
    add("gend_st", f"st {t} group by table column", [S.format(x=""), T.format(x=""),
        f"CREATE TABLE OUT AS SELECT TV, COUNT(*) AS C, COLLECT_LIST(SV) AS L FROM S {jt} T ON S.ID = T.ID GROUP BY TV;"], ST_SEQ)
    add("gend_st", f"st {t} then ss", [S.format(x=""), T.format(x=""), R.format(x=""),
        f"CREATE STREAM OUT AS SELECT S.ID, SV, TV, RV FROM S {jt} T ON S.ID = T.ID {jt} R WITHIN 5 SECONDS ON S.ID = R.ID;"],
        [tt(1, "t1", 500), rt(1, "r1", 1000), st(1, "s1", 1200), st(2, "s2", 1300), rt(2, "r2", 1400)])
    add("gend_st", f"st {t} ss then st on fk", [S.format(x=""), R.format(x=""), T.format(x=""),
        f"CREATE STREAM OUT AS SELECT S.FK, SV, RV, TV FROM S {jt} R WITHIN 5 SECONDS ON S.ID = R.ID {jt} T ON S.FK = T.ID;"],
        [tt(7, "t7", 500), rt(1, "r1", 1000), st(1, "s1", 1200, fk=7), st(2, "s2", 1300, fk=8)])
    add("gend_st", f"st {t} users pageviews tutorial", [
        "CREATE STREAM PAGEVIEWS (VIEWTIME BIGINT, USERID VARCHAR, PAGEID VARCHAR) WITH (kafka_topic='pageviews', value_format='DELIMITED', key_format='KAFKA');",
        "CREATE TABLE USERS (USERID VARCHAR PRIMARY KEY, REGISTERTIME BIGINT, GENDER VARCHAR, REGIONID VARCHAR) WITH (kafka_topic='users', value_format='JSON');",
        f"CREATE STREAM PAGEVIEWS_ENRICHED AS SELECT USERS.USERID AS USERID, PAGEID, REGIONID, GENDER FROM PAGEVIEWS {jt} USERS ON PAGEVIEWS.USERID = USERS.USERID;"],
        [rec("users", "User_1", {"REGISTERTIME": 1, "GENDER": "FEMALE", "REGIONID": "Region_1"}, 1),
         rec("pageviews", None, "100,User_1,Page_1", 2), rec("pageviews", None, "101,User_2,Page_2", 3),
         rec("users", "User_2", {"REGISTERTIME": 2, "GENDER": "MALE", "REGIONID": "Region_2"}, 4),
         rec("pageviews", None, "102,User_2,Page_3", 5)])

# ---------------------------------------------------------------- table-table joins
TA = "CREATE TABLE TA (ID INT PRIMARY KEY, AV STRING, AN INT) WITH (kafka_topic='ta', value_format='JSON'{x});"
TB = "CREATE TABLE TB (ID INT PRIMARY KEY, BV STRING, BN INT) WITH (kafka_topic='tb', value_format='JSON'{x});"


def ta(k, v, ts, n=None):
    return rec("ta", k, None if v is None else {"AV": v, "AN": n}, ts)


def tb(k, v, ts, n=None):
    return rec("tb", k, None if v is None else {"BV": v, "BN": n}, ts)


TT_SEQ = [ta(1, None, 1), tb(1, None, 2), ta(1, "a1", 3, 1), tb(2, "b2", 4, 2), ta(1, None, 5), tb(1, "b1", 6, 3),
          ta(1, "a1b", 7, 4), tb(1, None, 8), ta(2, "a2", 9, 5), tb(2, None, 10), ta(2, None, 11), tb(3, "b3", 12, 6),
          tb(3, "b3b", 2, 7), ta(3, "a3", 1, 8)]
for jt in ("JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL OUTER JOIN"):
    t = jt.split()[0]
    sel = "ROWKEY AS K" if t == "FULL" else ("TB.ID AS K" if t == "RIGHT" else "TA.ID AS K")
    add("gend_tt", f"tt {t} tombstones", [TA.format(x=""), TB.format(x=""),
        f"CREATE TABLE OUT AS SELECT {sel}, AV, BV, AN, BN FROM TA {jt} TB ON TA.ID = TB.ID;"], TT_SEQ)
    add("gend_tt", f"tt {t} star", [TA.format(x=""), TB.format(x=""),
        f"CREATE TABLE OUT AS SELECT * FROM TA {jt} TB ON TA.ID = TB.ID;"], TT_SEQ)
    add("gend_tt", f"tt {t} where", [TA.format(x=""), TB.format(x=""),
        f"CREATE TABLE OUT AS SELECT {sel}, AV, BV FROM TA {jt} TB ON TA.ID = TB.ID WHERE AN IS NULL OR AN > 1;"], TT_SEQ)
    add("gend_tt", f"tt {t} key formats differ", [TA.format(x=", key_format='JSON'"), TB.format(x=", key_format='KAFKA'"),
        f"CREATE TABLE OUT AS SELECT {sel}, AV, BV FROM TA {jt} TB ON TA.ID = TB.ID;"], TT_SEQ[:6])
    add("gend_tt", f"tt {t} partitions differ", [TA.format(x=", partitions=2"), TB.format(x=", partitions=3"),
        f"CREATE TABLE OUT AS SELECT {sel}, AV, BV FROM TA {jt} TB ON TA.ID = TB.ID;"], TT_SEQ[:6])
    add("gend_tt", f"tt {t} ctas both sides", [
        "CREATE STREAM P (ID INT KEY, G INT, V INT) WITH (kafka_topic='p', value_format='JSON');",
        "CREATE TABLE X AS SELECT G, COUNT(*) AS CNT FROM P GROUP BY G;",
        "CREATE TABLE Y AS SELECT G, SUM(V) AS TOT FROM P WHERE V > 1 GROUP BY G;",
        f"CREATE TABLE OUT AS SELECT {sel.replace('TA.ID', 'X.G').replace('TB.ID', 'Y.G')}, CNT, TOT FROM X {jt} Y ON X.G = Y.G;"],
        [rec("p", 1, {"G": 1, "V": 1}, 1), rec("p", 2, {"G": 1, "V": 2}, 2), rec("p", 3, {"G": 2, "V": 5}, 3)],
        topics=["X", "Y"])
    add("gend_tt", f"tt {t} windowed both", [
        "CREATE STREAM P (ID INT KEY, V INT) WITH (kafka_topic='p', value_format='JSON');",
        "CREATE STREAM Q (ID INT KEY, V INT) WITH (kafka_topic='q', value_format='JSON');",
        "CREATE TABLE X AS SELECT ID, COUNT(*) AS CNT FROM P WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;",
        "CREATE TABLE Y AS SELECT ID, SUM(V) AS TOT FROM Q WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ID;",
        f"CREATE TABLE OUT AS SELECT {sel.replace('TA', 'X').replace('TB', 'Y')}, CNT, TOT FROM X {jt} Y ON X.ID = Y.ID;"],
        [rec("p", 1, {"V": 1}, 1000), rec("q", 1, {"V": 2}, 2000), rec("q", 1, {"V": 3}, 12000), rec("p", 1, {"V": 3}, 13000)])
    add("gend_tt", f"tt {t} key expression", [TA.format(x=""), TB.format(x=""),
        f"CREATE TABLE OUT AS SELECT * FROM TA {jt} TB ON TA.AN = TB.BN;"], TT_SEQ[:6])
    add("gend_tt", f"tt {t} three tables", [TA.format(x=""), TB.format(x=""),
        "CREATE TABLE TC (ID INT PRIMARY KEY, CV STRING) WITH (kafka_topic='tc', value_format='JSON');",
        f"CREATE TABLE OUT AS SELECT * FROM TA {jt} TB ON TA.ID = TB.ID {jt} TC ON TA.ID = TC.ID;"],
        [ta(1, "a1", 1), tb(1, "b1", 2), rec("tc", 1, {"CV": "c1"}, 3), rec("tc", 2, {"CV": "c2"}, 4), tb(1, None, 5)])
    add("gend_tt", f"tt {t} then group by", [TA.format(x=""), TB.format(x=""),
        f"CREATE TABLE OUT AS SELECT BV, COUNT(*) AS C, SUM(AN) AS S FROM TA {jt} TB ON TA.ID = TB.ID GROUP BY BV;"], TT_SEQ)

# ---------------------------------------------------------------- naming of the join key and errors
for jt in ("JOIN", "LEFT JOIN", "FULL OUTER JOIN"):
    t = jt.split()[0]
    add("gend_names", f"names ss {t} key both projected", [L.format(x=""), R.format(x=""),
        f"CREATE STREAM OUT AS SELECT L.ID AS A, R.ID AS B, LV, RV FROM L {jt} R WITHIN 5 SECONDS ON L.ID = R.ID;"],
        [lt(1, "a", 1000), rt(1, "b", 1100)])
    add("gend_names", f"names ss {t} expression star", [L.format(x=""), R.format(x=""),
        f"CREATE STREAM OUT AS SELECT * FROM L {jt} R WITHIN 5 SECONDS ON L.ID + 1 = R.ID;"],
        [lt(1, "a", 1000), rt(2, "b", 1100)])
    add("gend_names", f"names ss {t} expression project expression", [L.format(x=""), R.format(x=""),
        f"CREATE STREAM OUT AS SELECT L.ID + 1 AS K, LV, RV FROM L {jt} R WITHIN 5 SECONDS ON L.ID + 1 = R.ID;"],
        [lt(1, "a", 1000), rt(2, "b", 1100)])
    add("gend_names", f"names ss {t} both expressions no key", [L.format(x=""), R.format(x=""),
        f"CREATE STREAM OUT AS SELECT LV, RV FROM L {jt} R WITHIN 5 SECONDS ON L.ID + 1 = R.ID - 1;"],
        [lt(1, "a", 1000), rt(3, "b", 1100)])
    add("gend_names", f"names ss {t} rowkey with alias", [L.format(x=""), R.format(x=""),
        f"CREATE STREAM OUT AS SELECT ROWKEY AS RK, LV, RV FROM L {jt} R WITHIN 5 SECONDS ON L.LN = R.RN;"],
        [lt(1, "a", 1000, 5), rt(2, "b", 1100, 5)])
    add("gend_names", f"names ss {t} key column named like synthetic", [
        "CREATE STREAM L (KSQL_COL_0 INT KEY, LV STRING) WITH (kafka_topic='l', value_format='JSON');",
        R.format(x=""),
        f"CREATE STREAM OUT AS SELECT * FROM L {jt} R WITHIN 5 SECONDS ON L.KSQL_COL_0 + 1 = R.ID + 1;"],
        [rec("l", 1, {"LV": "a"}, 1000), rt(1, "b", 1100)])
    add("gend_names", f"names ss {t} same column names both sides", [
        "CREATE STREAM L (ID INT KEY, V STRING, N INT) WITH (kafka_topic='l', value_format='JSON');",
        "CREATE STREAM R (ID INT KEY, V STRING, N INT) WITH (kafka_topic='r', value_format='JSON');",
        f"CREATE STREAM OUT AS SELECT * FROM L {jt} R WITHIN 5 SECONDS ON L.N = R.N;"],
        [rec("l", 1, {"V": "a", "N": 3}, 1000), rec("r", 2, {"V": "b", "N": 3}, 1100)])
    add("gend_names", f"names ss {t} unqualified ambiguous", [
        "CREATE STREAM L (ID INT KEY, V STRING) WITH (kafka_topic='l', value_format='JSON');",
        "CREATE STREAM R (ID INT KEY, V STRING) WITH (kafka_topic='r', value_format='JSON');",
        f"CREATE STREAM OUT AS SELECT L.ID, V FROM L {jt} R WITHIN 5 SECONDS ON L.ID = R.ID;"],
        [rec("l", 1, {"V": "a"}, 1000)])
    add("gend_names", f"names st {t} struct key star", [S.format(x=""),
        "CREATE TABLE T (ID INT PRIMARY KEY, TV STRING) WITH (kafka_topic='t', value_format='JSON');",
        f"CREATE {'TABLE' if t == 'FULL' else 'STREAM'} OUT AS SELECT * FROM S {jt.replace('FULL OUTER', 'LEFT')} T ON S.FK = T.ID;"],
        [tt(7, "t7", 1), st(1, "s1", 2, fk=7)])
    add("gend_names", f"names tt {t} rowkey and keys", [TA.format(x=""), TB.format(x=""),
        f"CREATE TABLE OUT AS SELECT ROWKEY AS RK, TA.ID AS AID, TB.ID AS BID, AV FROM TA {jt} TB ON TA.ID = TB.ID;"],
        [ta(1, "a", 1), tb(1, "b", 2), tb(2, "c", 3)])
add("gend_names", "names ss FULL coalesce key", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT COALESCE(L.ID, R.ID) AS K, LV, RV FROM L FULL OUTER JOIN R WITHIN 5 SECONDS ON L.ID = R.ID;"],
    [lt(1, "a", 1000), rt(2, "b", 1100)])
add("gend_names", "names ss FULL rowkey twice", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT ROWKEY AS A, ROWKEY AS B, LV FROM L FULL OUTER JOIN R WITHIN 5 SECONDS ON L.ID = R.ID;"],
    [lt(1, "a", 1000)])
add("gend_names", "names ss rowkey plus key column", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT ROWKEY, L.ID, LV FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.ID;"],
    [lt(1, "a", 1000), rt(1, "b", 1100)])
add("gend_names", "names st left key via alias of right", [S.format(x=""), T.format(x=""),
    "CREATE STREAM OUT AS SELECT T.ID AS K, SV FROM S JOIN T ON S.ID = T.ID;"], [tt(1, "t", 1), st(1, "s", 2)])
add("gend_names", "names group by after join two columns", [S.format(x=""), T.format(x=""),
    "CREATE TABLE OUT AS SELECT SV, TV, COUNT(*) AS C FROM S JOIN T ON S.ID = T.ID GROUP BY SV, TV;"],
    [tt(1, "t", 1), st(1, "s", 2), st(1, "s", 3)])

ERR = "gend_err"
add(ERR, "err literal condition", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 5 SECONDS ON L.ID = 1;"], [lt(1, "a", 1)])
add(ERR, "err unknown source in condition", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 5 SECONDS ON L.ID = Z.ID;"], [lt(1, "a", 1)])
add(ERR, "err unknown source", [L.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN NOPE WITHIN 5 SECONDS ON L.ID = NOPE.ID;"], [lt(1, "a", 1)])
add(ERR, "err type int double", [L.format(x=""),
    "CREATE STREAM R (ID DOUBLE KEY, RV STRING) WITH (kafka_topic='r', value_format='JSON');",
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.ID;"], [lt(1, "a", 1)])
add(ERR, "err type string struct", [L.format(x=""),
    "CREATE STREAM R (ID INT KEY, RV STRUCT<A INT>) WITH (kafka_topic='r', value_format='JSON');",
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 5 SECONDS ON L.LV = R.RV;"], [lt(1, "a", 1)])
add(ERR, "err join on array column", [
    "CREATE STREAM L (ID INT KEY, A ARRAY<INT>) WITH (kafka_topic='l', value_format='JSON');",
    "CREATE STREAM R (ID INT KEY, A ARRAY<INT>) WITH (kafka_topic='r', value_format='JSON');",
    "CREATE STREAM OUT AS SELECT L.A AS LA, R.A AS RA FROM L JOIN R WITHIN 5 SECONDS ON L.A = R.A;"],
    [rec("l", 1, {"A": [1]}, 1), rec("r", 2, {"A": [1]}, 2)])
add(ERR, "err join on struct column", [
    "CREATE STREAM L (ID INT KEY, A STRUCT<X INT>) WITH (kafka_topic='l', value_format='JSON');",
    "CREATE STREAM R (ID INT KEY, A STRUCT<X INT>) WITH (kafka_topic='r', value_format='JSON');",
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 5 SECONDS ON L.A = R.A;"],
    [rec("l", 1, {"A": {"X": 1}}, 1), rec("r", 2, {"A": {"X": 1}}, 2)])
add(ERR, "err grace without within", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R GRACE PERIOD 1 SECOND ON L.ID = R.ID;"], [lt(1, "a", 1)])
add(ERR, "err within st", [S.format(x=""), T.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM S JOIN T WITHIN 1 SECOND GRACE PERIOD 1 SECOND ON S.ID = T.ID;"], [st(1, "a", 1)])
add(ERR, "err table repartition tt", [TA.format(x=""), TB.format(x=""),
    "CREATE TABLE OUT AS SELECT * FROM TA JOIN TB ON TA.AN + 1 = TB.ID + 1;"], [ta(1, "a", 1)])
add(ERR, "err table key expression st", [S.format(x=""), T.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM S JOIN T ON S.ID = T.ID + 1;"], [st(1, "a", 1)])
add(ERR, "err emit final", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.ID EMIT FINAL;"], [lt(1, "a", 1)])
add(ERR, "err tt multi column key", [
    "CREATE TABLE TA (K1 INT PRIMARY KEY, K2 INT PRIMARY KEY, AV STRING) WITH (kafka_topic='ta', value_format='JSON', key_format='JSON');",
    TB.format(x=", key_format='JSON'"),
    "CREATE TABLE OUT AS SELECT * FROM TA JOIN TB ON TA.K1 = TB.ID;"], [ta(1, "a", 1)])
add(ERR, "err st multi column key table", [S.format(x=", key_format='JSON'"),
    "CREATE TABLE T (K1 INT PRIMARY KEY, K2 INT PRIMARY KEY, TV STRING) WITH (kafka_topic='t', value_format='JSON', key_format='JSON');",
    "CREATE STREAM OUT AS SELECT * FROM S JOIN T ON S.ID = T.K1;"], [st(1, "a", 1)])
add(ERR, "err within negative", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN -1 SECONDS ON L.ID = R.ID;"], [lt(1, "a", 1)])
add(ERR, "err grace negative", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 1 SECOND GRACE PERIOD -1 SECONDS ON L.ID = R.ID;"], [lt(1, "a", 1)])
add(ERR, "err join on condition with function of both", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 1 SECOND ON L.ID + R.ID = 2;"], [lt(1, "a", 1)])
add(ERR, "err insert into join schema mismatch", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT (ID INT KEY, LV STRING) WITH (kafka_topic='out', value_format='JSON');",
    "INSERT INTO OUT SELECT L.ID, LV, RV FROM L JOIN R WITHIN 1 SECOND ON L.ID = R.ID;"], [lt(1, "a", 1)])
add(ERR, "err self join table", [TA.format(x=""),
    "CREATE TABLE OUT AS SELECT X.ID, X.AV FROM TA X JOIN TA Y ON X.ID = Y.ID;"], [ta(1, "a", 1)])
add(ERR, "err same alias twice", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L X JOIN R X WITHIN 1 SECOND ON X.ID = X.ID;"], [lt(1, "a", 1)])
add(ERR, "err pull join", [TA.format(x=""), TB.format(x=""),
    "CREATE TABLE OUT AS SELECT TA.ID, AV FROM TA JOIN TB ON TA.ID = TB.ID WINDOW TUMBLING (SIZE 1 SECOND);"], [ta(1, "a", 1)])


# ---------------------------------------------------------------- custom timestamps on join sources and sinks
TSL = ("CREATE STREAM L (ID INT KEY, LV STRING, LTS {lt}) WITH (kafka_topic='l', value_format='JSON', "
       "timestamp='LTS'{lf});")
TSR = ("CREATE {kind} R (ID INT {pk}, RV STRING, RTS {rt}) WITH (kafka_topic='r', value_format='JSON', "
       "timestamp='RTS'{rf});")
FMT = ", timestamp_format='yyyy-MM-dd HH:mm:ss.SSS'"


def tsv(col, v, ms, kind):
    if v is None:
        return None
    if kind == "STRING":
        s, m = divmod(ms, 1000)
        return {col[0] + "V": v, col: f"1970-01-01 00:00:{s:02d}.{m:03d}"}
    return {col[0] + "V": v, col: ms}


for kind in ("BIGINT", "STRING", "TIMESTAMP"):
    lf = FMT if kind == "STRING" else ""
    L_ = TSL.format(lt=kind, lf=lf)
    for rk, pk in (("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")):
        R_ = TSR.format(kind=rk, pk=pk, rt=kind, rf=lf)
        ins = [rec("r", 1, tsv("RTS", "r1", 5000, kind), 1), rec("l", 1, tsv("LTS", "l1", 7000, kind), 2),
               rec("l", 1, tsv("LTS", "l2", 4000, kind), 3), rec("r", 1, tsv("RTS", "r2", 9000, kind), 4),
               rec("l", 2, tsv("LTS", "l3", 30000, kind), 5), rec("r", 2, tsv("RTS", "r3", 29000, kind), 6)]
        for jt in ("JOIN", "LEFT JOIN"):
            t = jt.split()[0]
            w = " WITHIN 3 SECONDS GRACE PERIOD 5 SECONDS" if rk == "STREAM" else ""
            add("gend_ts", f"ts {kind} {rk.lower()} {t}", [L_, R_,
                f"CREATE STREAM OUT AS SELECT L.ID, LV, RV, LTS, RTS FROM L {jt} R{w} ON L.ID = R.ID;"], ins)
            add("gend_ts", f"ts {kind} {rk.lower()} {t} sink timestamp right", [L_, R_,
                f"CREATE STREAM OUT WITH (timestamp='RTS'{lf}) AS SELECT L.ID, LV, RV, RTS FROM L {jt} R{w} ON L.ID = R.ID;"],
                ins)
    TL = L_.replace("CREATE STREAM L (ID INT KEY", "CREATE TABLE L (ID INT PRIMARY KEY")
    TR = TSR.format(kind="TABLE", pk="PRIMARY KEY", rt=kind, rf=lf)
    tins = [rec("r", 1, tsv("RTS", "r1", 5000, kind), 1), rec("l", 1, tsv("LTS", "l1", 7000, kind), 2),
            rec("l", 1, tsv("LTS", "l2", 4000, kind), 3), rec("r", 1, tsv("RTS", "r2", 9000, kind), 4),
            rec("r", 1, None, 5), rec("l", 1, None, 6)]
    for jt in ("JOIN", "LEFT JOIN", "FULL OUTER JOIN"):
        t = jt.split()[0]
        key = "ROWKEY AS K" if t == "FULL" else "L.ID"
        add("gend_ts", f"ts {kind} tt {t}", [TL, TR,
            f"CREATE TABLE OUT AS SELECT {key}, LV, RV, LTS, RTS FROM L {jt} R ON L.ID = R.ID;"], tins)
    add("gend_ts", f"ts {kind} fk LEFT", [
        TL.replace("LTS " + kind, "LTS " + kind + ", FK INT"), TR,
        "CREATE TABLE OUT AS SELECT L.ID, LV, RV, LTS, RTS FROM L LEFT JOIN R ON L.FK = R.ID;"],
        [rec("r", 10, tsv("RTS", "r1", 5000, kind), 1),
         rec("l", 1, dict(tsv("LTS", "l1", 7000, kind), FK=10), 2),
         rec("l", 2, dict(tsv("LTS", "l2", 3000, kind), FK=10), 3),
         rec("r", 10, tsv("RTS", "r2", 6000, kind), 4), rec("l", 1, dict(tsv("LTS", "l3", 1000, kind), FK=11), 5)])
add("gend_ts", "ts rowtime projections ss", [TSL.format(lt="BIGINT", lf=""), TSR.format(kind="STREAM", pk="KEY", rt="BIGINT", rf=""),
    "CREATE STREAM OUT AS SELECT L.ID, L.ROWTIME AS LR, R.ROWTIME AS RR, LTS, RTS FROM L FULL OUTER JOIN R WITHIN 2 SECONDS GRACE PERIOD 0 SECONDS ON L.ID = R.ID;"],
    [rec("l", 1, {"LV": "a", "LTS": 1000}, 50000), rec("r", 1, {"RV": "b", "RTS": 2500}, 1), rec("r", 2, {"RV": "c", "RTS": 9000}, 2),
     rec("l", 3, {"LV": "d", "LTS": 20000}, 3)])
add("gend_ts", "ts where on rowtime st", [TSL.format(lt="BIGINT", lf=""), TSR.format(kind="TABLE", pk="PRIMARY KEY", rt="BIGINT", rf=""),
    "CREATE STREAM OUT AS SELECT L.ID, LV, RV FROM L LEFT JOIN R ON L.ID = R.ID WHERE L.ROWTIME > 2000 AND (R.ROWTIME IS NULL OR R.ROWTIME < 5000);"],
    [rec("r", 1, {"RV": "r1", "RTS": 3000}, 1), rec("l", 1, {"LV": "a", "LTS": 2500}, 2), rec("l", 1, {"LV": "b", "LTS": 1500}, 3),
     rec("l", 2, {"LV": "c", "LTS": 2600}, 4), rec("r", 1, {"RV": "r2", "RTS": 6000}, 5), rec("l", 1, {"LV": "d", "LTS": 7000}, 6)])

# ---------------------------------------------------------------- multi-way joins
MS = "CREATE STREAM S (ID INT KEY, SV STRING, K2 INT, K3 STRING) WITH (kafka_topic='s', value_format='JSON');"
MS2 = "CREATE STREAM S2 (ID INT KEY, S2V STRING, K2 INT) WITH (kafka_topic='s2', value_format='JSON');"
MT = "CREATE TABLE T (ID INT PRIMARY KEY, TV STRING, TK INT) WITH (kafka_topic='t', value_format='JSON');"
MT2 = "CREATE TABLE T2 (ID INT PRIMARY KEY, T2V STRING) WITH (kafka_topic='t2', value_format='JSON');"
MT3 = "CREATE TABLE T3 (K STRING PRIMARY KEY, T3V STRING) WITH (kafka_topic='t3', value_format='JSON');"
MIN = [rec("t", 1, {"TV": "t1", "TK": 5}, 100), rec("t2", 1, {"T2V": "u1"}, 110), rec("t2", 5, {"T2V": "u5"}, 120),
       rec("t3", "x", {"T3V": "v"}, 130), rec("s2", 1, {"S2V": "p1", "K2": 5}, 1000), rec("s", 1, {"SV": "a", "K2": 5, "K3": "x"}, 1100),
       rec("s", 2, {"SV": "b", "K2": 1, "K3": "y"}, 1200), rec("s2", 2, {"S2V": "p2", "K2": 1}, 1300),
       rec("t", 2, {"TV": "t2", "TK": 1}, 1400), rec("s", 2, {"SV": "c", "K2": 5, "K3": "x"}, 1500),
       rec("t", 1, None, 1600), rec("s", 1, {"SV": "d", "K2": 9, "K3": None}, 1700), rec("s2", 1, {"S2V": "p3", "K2": 9}, 1800)]
for j1, j2 in (("JOIN", "JOIN"), ("LEFT JOIN", "LEFT JOIN"), ("JOIN", "LEFT JOIN"), ("LEFT JOIN", "JOIN"), ("FULL OUTER JOIN", "LEFT JOIN")):
    tag = f"{j1.split()[0]} {j2.split()[0]}"
    key = "ROWKEY AS K" if "FULL" in j1 else "S.ID"
    if "FULL" not in j1:
        add("gend_multi", f"multi s-t-t2 {tag}", [MS, MT, MT2,
            f"CREATE STREAM OUT AS SELECT S.ID, SV, TV, T2V FROM S {j1} T ON S.ID = T.ID {j2} T2 ON S.ID = T2.ID;"], MIN)
        add("gend_multi", f"multi s-t-t2 right ref {tag}", [MS, MT, MT2,
            f"CREATE STREAM OUT AS SELECT S.ID, SV, TV, T2V FROM S {j1} T ON S.ID = T.ID {j2} T2 ON T.ID = T2.ID;"], MIN)
        add("gend_multi", f"multi s-t then t2 on value {tag}", [MS, MT, MT2,
            f"CREATE STREAM OUT AS SELECT S.K2, SV, TV, T2V FROM S {j1} T ON S.ID = T.ID {j2} T2 ON S.K2 = T2.ID;"], MIN)
        add("gend_multi", f"multi s-t then t2 on right value {tag}", [MS, MT, MT2,
            f"CREATE STREAM OUT AS SELECT T.TK, SV, TV, T2V FROM S {j1} T ON S.ID = T.ID {j2} T2 ON T.TK = T2.ID;"], MIN)
        add("gend_multi", f"multi s on value-t2 then t3 {tag}", [MS, MT2, MT3,
            f"CREATE STREAM OUT AS SELECT S.K3, SV, T2V, T3V FROM S {j1} T2 ON S.K2 = T2.ID {j2} T3 ON S.K3 = T3.K;"], MIN)
        add("gend_multi", f"multi s-s2-t {tag}", [MS, MS2, MT,
            f"CREATE STREAM OUT AS SELECT S.ID, SV, S2V, TV FROM S {j1} S2 WITHIN 1 SECOND ON S.ID = S2.ID {j2} T ON S.ID = T.ID;"], MIN)
        add("gend_multi", f"multi s-s2 on value-t {tag}", [MS, MS2, MT2,
            f"CREATE STREAM OUT AS SELECT * FROM S {j1} S2 WITHIN 1 SECOND ON S.K2 = S2.K2 {j2} T2 ON S.K2 = T2.ID;"], MIN)
    add("gend_multi", f"multi t-t2-t3 star {tag}", [MT, MT2,
        "CREATE TABLE T4 (ID INT PRIMARY KEY, T4V STRING) WITH (kafka_topic='t4', value_format='JSON');",
        f"CREATE TABLE OUT AS SELECT * FROM T {j1} T2 ON T.ID = T2.ID {j2} T4 ON T.ID = T4.ID;"],
        [rec("t", 1, {"TV": "t1", "TK": 5}, 100), rec("t4", 1, {"T4V": "w1"}, 105), rec("t2", 1, {"T2V": "u1"}, 110),
         rec("t2", 5, {"T2V": "u5"}, 120), rec("t4", 5, {"T4V": "w5"}, 125), rec("t", 1, None, 130), rec("t2", 1, None, 140)])
    add("gend_multi", f"multi four way {tag}", [MS, MS2, MT, MT2,
        f"CREATE STREAM OUT AS SELECT {key}, SV, S2V, TV, T2V FROM S {j1} S2 WITHIN 1 SECOND ON S.ID = S2.ID "
        f"{j2} T ON S.ID = T.ID {j2} T2 ON S.ID = T2.ID;"], MIN)
add("gend_multi", "multi four way with full rowkey", [MS, MS2, MT,
    "CREATE STREAM OUT AS SELECT ROWKEY AS K, SV, S2V, TV FROM S FULL OUTER JOIN S2 WITHIN 1 SECOND ON S.ID = S2.ID LEFT JOIN T ON ROWKEY = T.ID;"],
    MIN)
add("gend_multi", "multi full then join on left key", [MS, MS2, MT,
    "CREATE STREAM OUT AS SELECT ROWKEY AS K, SV, S2V, TV FROM S FULL OUTER JOIN S2 WITHIN 1 SECOND ON S.ID = S2.ID LEFT JOIN T ON S.ID = T.ID;"],
    MIN)
add("gend_multi", "multi aliases star", [MS, MT, MT2,
    "CREATE STREAM OUT AS SELECT * FROM S AS A JOIN T AS B ON A.ID = B.ID LEFT JOIN T2 AS C ON A.ID = C.ID;"], MIN)
add("gend_multi", "multi group by after three way", [MS, MT, MT2,
    "CREATE TABLE OUT AS SELECT T2V, COUNT(*) AS C, COLLECT_LIST(SV) AS L FROM S LEFT JOIN T ON S.ID = T.ID LEFT JOIN T2 ON S.ID = T2.ID GROUP BY T2V;"],
    MIN)
add("gend_multi", "multi insert into from two joins", [MS, MS2, MT,
    "CREATE STREAM OUT AS SELECT S.ID AS ID, SV AS V, TV FROM S LEFT JOIN T ON S.ID = T.ID;",
    "INSERT INTO OUT SELECT S2.ID AS ID, S2V AS V, TV FROM S2 LEFT JOIN T ON S2.ID = T.ID;"], MIN)

# ---------------------------------------------------------------- windowed sources
def win(kind):
    if kind == "SESSION":
        return ", WINDOW_TYPE='SESSION'"
    return f", WINDOW_TYPE='{kind}', WINDOW_SIZE='10 SECONDS'"


def wrec(topic, key, value, ts, start, end, kind):
    r = rec(topic, key, value, ts)
    r["window"] = {"start": start, "end": end, "type": "session" if kind == "SESSION" else "time"}
    return r


for kind in ("TUMBLING", "HOPPING", "SESSION"):
    end = (lambda s: s + 10000) if kind != "SESSION" else (lambda s: s + 500)
    WL = f"CREATE STREAM WL (ID INT KEY, LV STRING) WITH (kafka_topic='wl', value_format='JSON'{win(kind)});"
    WR = f"CREATE STREAM WR (ID INT KEY, RV STRING) WITH (kafka_topic='wr', value_format='JSON'{win(kind)});"
    WT = f"CREATE TABLE WT (ID INT PRIMARY KEY, RV STRING) WITH (kafka_topic='wr', value_format='JSON'{win(kind)});"
    WLT = f"CREATE TABLE WLT (ID INT PRIMARY KEY, LV STRING) WITH (kafka_topic='wl', value_format='JSON'{win(kind)});"
    ins = [wrec("wl", 1, {"LV": "a"}, 1000, 0, end(0), kind), wrec("wr", 1, {"RV": "x"}, 1100, 0, end(0), kind),
           wrec("wr", 1, {"RV": "y"}, 1200, 10000, end(10000), kind), wrec("wl", 1, {"LV": "b"}, 1300, 10000, end(10000), kind),
           wrec("wl", 2, {"LV": "c"}, 1400, 0, end(0), kind), wrec("wr", 1, None, 1500, 0, end(0), kind),
           wrec("wl", 1, {"LV": "d"}, 1600, 0, end(0), kind)]
    for jt in ("JOIN", "LEFT JOIN", "FULL OUTER JOIN"):
        t = jt.split()[0]
        key = "ROWKEY AS K" if t == "FULL" else "WL.ID"
        add("gend_win", f"win {kind.lower()} ss {t}", [WL, WR,
            f"CREATE STREAM OUT AS SELECT {key}, LV, RV FROM WL {jt} WR WITHIN 5 SECONDS ON WL.ID = WR.ID;"], ins)
        if t != "FULL":
            add("gend_win", f"win {kind.lower()} st {t}", [WL, WT,
                f"CREATE STREAM OUT AS SELECT WL.ID, LV, RV FROM WL {jt} WT ON WL.ID = WT.ID;"], ins)
        key = "ROWKEY AS K" if t == "FULL" else "WLT.ID"
        add("gend_win", f"win {kind.lower()} tt {t}", [WLT, WT,
            f"CREATE TABLE OUT AS SELECT {key}, LV, RV FROM WLT {jt} WT ON WLT.ID = WT.ID;"], ins)
    add("gend_win", f"win {kind.lower()} windowed vs plain", [WL,
        "CREATE TABLE PT (ID INT PRIMARY KEY, RV STRING) WITH (kafka_topic='pt', value_format='JSON');",
        "CREATE STREAM OUT AS SELECT WL.ID, LV, RV FROM WL JOIN PT ON WL.ID = PT.ID;"], ins[:1])
    add("gend_win", f"win {kind.lower()} repartition", [WL, WR.replace("RV STRING", "RV STRING, N INT"),
        "CREATE STREAM OUT AS SELECT WR.N, LV, RV FROM WL JOIN WR WITHIN 5 SECONDS ON WL.ID = WR.N;"], ins[:2])
    add("gend_win", f"win {kind.lower()} windowstart windowend", [WL, WR,
        "CREATE STREAM OUT AS SELECT WL.ID, WL.WINDOWSTART AS WS, WR.WINDOWEND AS WE, LV, RV FROM WL JOIN WR WITHIN 5 SECONDS ON WL.ID = WR.ID;"], ins)
add("gend_win", "win tumbling vs hopping", [
    f"CREATE STREAM WL (ID INT KEY, LV STRING) WITH (kafka_topic='wl', value_format='JSON'{win('TUMBLING')});",
    f"CREATE STREAM WR (ID INT KEY, RV STRING) WITH (kafka_topic='wr', value_format='JSON'{win('HOPPING')});",
    "CREATE STREAM OUT AS SELECT WL.ID, LV, RV FROM WL JOIN WR WITHIN 5 SECONDS ON WL.ID = WR.ID;"],
    [wrec("wl", 1, {"LV": "a"}, 1000, 0, 10000, "TUMBLING")])
add("gend_win", "win sizes differ", [
    f"CREATE STREAM WL (ID INT KEY, LV STRING) WITH (kafka_topic='wl', value_format='JSON'{win('TUMBLING')});",
    "CREATE STREAM WR (ID INT KEY, RV STRING) WITH (kafka_topic='wr', value_format='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='20 SECONDS');",
    "CREATE STREAM OUT AS SELECT WL.ID, LV, RV FROM WL JOIN WR WITHIN 5 SECONDS ON WL.ID = WR.ID;"],
    [wrec("wl", 1, {"LV": "a"}, 1000, 0, 10000, "TUMBLING"), wrec("wr", 1, {"RV": "b"}, 1000, 0, 20000, "TUMBLING")])

# ---------------------------------------------------------------- value formats on the two sides
for lf, rf, sink in (("DELIMITED", "JSON", ""), ("JSON", "DELIMITED", " WITH (value_format='DELIMITED')"),
                     ("KAFKA", "JSON", ""), ("JSON", "KAFKA", " WITH (value_format='JSON')"),
                     ("DELIMITED", "DELIMITED", " WITH (value_format='JSON')")):
    def val(v, fmt, col):
        if v is None:
            return None
        return v if fmt in ("DELIMITED", "KAFKA") else {col: v}
    for kind in ("ss", "st", "tt"):
        lk = "TABLE" if kind == "tt" else "STREAM"
        rk = "STREAM" if kind == "ss" else "TABLE"
        Lf = f"CREATE {lk} L (ID INT {'PRIMARY KEY' if lk == 'TABLE' else 'KEY'}, LV STRING) WITH (kafka_topic='l', value_format='{lf}');"
        Rf = f"CREATE {rk} R (ID INT {'PRIMARY KEY' if rk == 'TABLE' else 'KEY'}, RV STRING) WITH (kafka_topic='r', value_format='{rf}');"
        w = " WITHIN 5 SECONDS" if kind == "ss" else ""
        what = "TABLE" if kind == "tt" else "STREAM"
        add("gend_fmt", f"fmt {kind} {lf} {rf}{' sink' if sink else ''}", [Lf, Rf,
            f"CREATE {what} OUT{sink} AS SELECT L.ID, LV, RV FROM L LEFT JOIN R{w} ON L.ID = R.ID;"],
            [rec("r", 1, val("x", rf, "RV"), 1000), rec("l", 1, val("a", lf, "LV"), 1100), rec("l", 2, val("b,c" if lf != "KAFKA" else "b", lf, "LV"), 1200),
             rec("r", 1, val("", rf, "RV"), 1300), rec("l", 1, val("d", lf, "LV"), 1400)])
add("gend_fmt", "fmt wrap single value false", [
    "CREATE STREAM L (ID INT KEY, LV STRING) WITH (kafka_topic='l', value_format='JSON', wrap_single_value=false);",
    "CREATE TABLE R (ID INT PRIMARY KEY, RV STRING) WITH (kafka_topic='r', value_format='JSON');",
    "CREATE STREAM OUT WITH (wrap_single_value=false) AS SELECT L.ID, RV FROM L LEFT JOIN R ON L.ID = R.ID;"],
    [rec("r", 1, {"RV": "x"}, 1000), rec("l", 1, "a", 1100), rec("l", 2, "b", 1200)])
add("gend_fmt", "fmt decimal and struct values", [
    "CREATE STREAM L (ID INT KEY, D DECIMAL(4,2), S STRUCT<A INT, B ARRAY<STRING>>) WITH (kafka_topic='l', value_format='JSON');",
    "CREATE TABLE R (ID INT PRIMARY KEY, M MAP<STRING, DECIMAL(3,1)>) WITH (kafka_topic='r', value_format='JSON');",
    "CREATE STREAM OUT AS SELECT L.ID, D, S->B[1] AS B1, M['k'] AS MK, D + M['k'] AS SUM FROM L LEFT JOIN R ON L.ID = R.ID;"],
    [rec("r", 1, {"M": {"k": 1.5}}, 1000), rec("l", 1, {"D": 12.34, "S": {"A": 1, "B": ["p", "q"]}}, 1100),
     rec("l", 2, {"D": 1.00, "S": None}, 1200)])


# ---------------------------------------------------------------- probes: syntax, names, null timestamps
P = "gend_probe"
add(P, "probe within decimal", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 1.5 SECONDS ON L.ID = R.ID;"], [lt(1, "a", 1)])
add(P, "probe grace decimal negative", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 1 SECOND GRACE PERIOD -2.5 SECONDS ON L.ID = R.ID;"], [lt(1, "a", 1)])
add(P, "probe within huge", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 99999999999999999999 SECONDS ON L.ID = R.ID;"], [lt(1, "a", 1)])
add(P, "probe within missing after", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN (1 SECOND) ON L.ID = R.ID;"], [lt(1, "a", 1)])
add(P, "probe parenthesized criteria", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT L.ID, LV, RV FROM L JOIN R WITHIN 1 SECOND ON (L.ID = R.ID);"], [lt(1, "a", 1), rt(1, "b", 2)])
add(P, "probe join on rowtime", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 1 SECOND ON L.ROWTIME = R.ROWTIME;"], [lt(1, "a", 1), rt(2, "b", 1)])
add(P, "probe join on rowpartition", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 1 SECOND ON L.ROWPARTITION = R.RN;"], [lt(1, "a", 1), rt(2, "b", 1, 0)])
add(P, "probe join on header", [
    "CREATE STREAM L (ID INT KEY, LV STRING, H BYTES HEADER('k')) WITH (kafka_topic='l', value_format='JSON');",
    "CREATE STREAM R (ID INT KEY, RV STRING, RB BYTES) WITH (kafka_topic='r', value_format='JSON');",
    "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 1 SECOND ON L.H = R.RB;"], [lt(1, "a", 1)])
add(P, "probe join on windowstart", [
    f"CREATE STREAM WL (ID INT KEY, LV STRING) WITH (kafka_topic='wl', value_format='JSON'{win('TUMBLING')});",
    "CREATE STREAM R (ID INT KEY, RV STRING, RN BIGINT) WITH (kafka_topic='r', value_format='JSON');",
    "CREATE STREAM OUT AS SELECT * FROM WL JOIN R WITHIN 1 MINUTE ON WL.WINDOWSTART = R.RN;"],
    [wrec("wl", 1, {"LV": "a"}, 1000, 0, 10000, "TUMBLING"), rec("r", 5, {"RV": "x", "RN": 0}, 1100)])
add(P, "probe windowstart of plain source", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT L.ID, L.WINDOWSTART AS WS FROM L JOIN R WITHIN 1 SECOND ON L.ID = R.ID;"], [lt(1, "a", 1)])
add(P, "probe star with prefixed collision", [
    "CREATE STREAM L (ID INT KEY, R_RV STRING) WITH (kafka_topic='l', value_format='JSON');",
    R.format(x=""), "CREATE STREAM OUT AS SELECT * FROM L JOIN R WITHIN 1 SECOND ON L.ID = R.ID;"],
    [rec("l", 1, {"R_RV": "a"}, 1), rt(1, "b", 2)])
add(P, "probe rowkey column taken full", [
    "CREATE STREAM L (ID INT KEY, ROWKEY STRING) WITH (kafka_topic='l', value_format='JSON');",
    R.format(x=""), "CREATE STREAM OUT AS SELECT * FROM L FULL OUTER JOIN R WITHIN 1 SECOND ON L.ID = R.ID;"],
    [rec("l", 1, {"ROWKEY": "a"}, 1), rt(1, "b", 2), rt(2, "c", 3)])
add(P, "probe rowkey column taken project", [
    "CREATE STREAM L (ID INT KEY, ROWKEY STRING) WITH (kafka_topic='l', value_format='JSON');",
    R.format(x=""), "CREATE STREAM OUT AS SELECT ROWKEY_1 AS K, ROWKEY, RV FROM L FULL OUTER JOIN R WITHIN 1 SECOND ON L.ID = R.ID;"],
    [rec("l", 1, {"ROWKEY": "a"}, 1), rt(1, "b", 2), rt(2, "c", 3)])
add(P, "probe full star", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT * FROM L FULL OUTER JOIN R WITHIN 1 SECOND ON L.ID = R.ID;"],
    [lt(1, "a", 1), rt(1, "b", 2), rt(2, "c", 3)])
add(P, "probe full star tt", [TA.format(x=""), TB.format(x=""),
    "CREATE TABLE OUT AS SELECT * FROM TA FULL OUTER JOIN TB ON TA.ID = TB.ID;"], TT_SEQ)
add(P, "probe tt key expression projected", [TA.format(x=""), TB.format(x=""),
    "CREATE TABLE OUT AS SELECT TA.ID + 1 AS K, AV, BV FROM TA JOIN TB ON TA.ID = TB.ID;"], TT_SEQ)
add(P, "probe st cast key projected", [S.format(x=""), T.format(x=""),
    "CREATE STREAM OUT AS SELECT CAST(S.ID AS STRING) AS K, SV, TV FROM S JOIN T ON S.ID = T.ID;"], ST_SEQ)
add(P, "probe limit", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT L.ID, LV FROM L JOIN R WITHIN 1 SECOND ON L.ID = R.ID LIMIT 2;"], [lt(1, "a", 1)])
add(P, "probe sink timestamp null", [
    "CREATE STREAM L (ID INT KEY, LV STRING) WITH (kafka_topic='l', value_format='JSON');",
    "CREATE TABLE R (ID INT PRIMARY KEY, RV STRING, RTS BIGINT) WITH (kafka_topic='r', value_format='JSON');",
    "CREATE STREAM OUT WITH (timestamp='RTS') AS SELECT L.ID, LV, RV, RTS FROM L LEFT JOIN R ON L.ID = R.ID;"],
    [rec("r", 1, {"RV": "x", "RTS": 5000}, 1), rec("l", 1, {"LV": "a"}, 2), rec("l", 2, {"LV": "b"}, 3),
     rec("r", 1, {"RV": "y", "RTS": -5}, 4), rec("l", 1, {"LV": "c"}, 5)])
add(P, "probe sink timestamp string format", [
    "CREATE STREAM L (ID INT KEY, LV STRING) WITH (kafka_topic='l', value_format='JSON');",
    "CREATE TABLE R (ID INT PRIMARY KEY, RV STRING, RTS STRING) WITH (kafka_topic='r', value_format='JSON');",
    "CREATE STREAM OUT WITH (timestamp='RTS', timestamp_format='yyyy-MM-dd') AS SELECT L.ID, LV, RTS FROM L LEFT JOIN R ON L.ID = R.ID;"],
    [rec("r", 1, {"RV": "x", "RTS": "2020-01-02"}, 1), rec("l", 1, {"LV": "a"}, 2), rec("r", 1, {"RV": "y", "RTS": "bad"}, 3),
     rec("l", 1, {"LV": "b"}, 4), rec("l", 2, {"LV": "c"}, 5)])
add(P, "probe source timestamp null left", [
    "CREATE STREAM L (ID INT KEY, LV STRING, TS BIGINT) WITH (kafka_topic='l', value_format='JSON', timestamp='TS');",
    R.format(x=""), "CREATE STREAM OUT AS SELECT L.ID, LV, RV FROM L LEFT JOIN R WITHIN 1 SECOND GRACE PERIOD 0 SECONDS ON L.ID = R.ID;"],
    [rec("l", 1, {"LV": "a", "TS": None}, 1), rt(1, "b", 2), rec("l", 1, {"LV": "c", "TS": 1500}, 3),
     rec("l", 2, {"LV": "d", "TS": -1}, 4), rec("l", 3, {"LV": "e", "TS": 9000}, 5)])
add(P, "probe fk left multi column key", [
    "CREATE TABLE A (K1 INT PRIMARY KEY, K2 STRING PRIMARY KEY, FK INT, AV STRING) WITH (kafka_topic='a', value_format='JSON', key_format='JSON');",
    B.format(x=""), "CREATE TABLE OUT AS SELECT A.K1, A.K2, AV, BV FROM A LEFT JOIN B ON A.FK = B.ID;"],
    [b(10, "b10", 1), rec("a", {"K1": 1, "K2": "x"}, {"FK": 10, "AV": "a"}, 2), rec("a", {"K1": 1, "K2": "y"}, {"FK": 11, "AV": "b"}, 3),
     b(11, "b11", 4), b(10, None, 5)])
add(P, "probe fk left multi column key one projected", [
    "CREATE TABLE A (K1 INT PRIMARY KEY, K2 STRING PRIMARY KEY, FK INT, AV STRING) WITH (kafka_topic='a', value_format='JSON', key_format='JSON');",
    B.format(x=""), "CREATE TABLE OUT AS SELECT A.K1, AV, BV FROM A LEFT JOIN B ON A.FK = B.ID;"],
    [b(10, "b10", 1)])
add(P, "probe fk string keys", [
    "CREATE TABLE A (ID STRING PRIMARY KEY, FK STRING, AV STRING) WITH (kafka_topic='a', value_format='JSON');",
    "CREATE TABLE B (ID STRING PRIMARY KEY, BV STRING) WITH (kafka_topic='b', value_format='JSON');",
    "CREATE TABLE OUT AS SELECT A.ID, AV, BV FROM A JOIN B ON A.FK = B.ID;"],
    [rec("b", "x", {"BV": "bx"}, 1), rec("b", "y", {"BV": "by"}, 2), rec("a", "k2", {"FK": "x", "AV": "a2"}, 3),
     rec("a", "k1", {"FK": "x", "AV": "a1"}, 4), rec("a", "k10", {"FK": "x", "AV": "a10"}, 5), rec("b", "x", {"BV": "bx2"}, 6),
     rec("a", "k1", {"FK": "", "AV": "a1e"}, 7), rec("b", "", {"BV": "empty"}, 8)])
add(P, "probe fk delimited right key", [A.format(x=", key_format='JSON'"),
    "CREATE TABLE B (ID INT PRIMARY KEY, BV STRING, BN INT) WITH (kafka_topic='b', value_format='JSON', key_format='DELIMITED');",
    "CREATE TABLE OUT WITH (key_format='KAFKA') AS SELECT A.ID, AV, BV FROM A LEFT JOIN B ON A.FK = B.ID;"],
    [rec("b", "10", {"BV": "b10", "BN": 1}, 1), a(1, 10, "a1", 2), a(2, 11, "a2", 3)])
add(P, "probe st null key table", [S.format(x=""), T.format(x=""),
    "CREATE STREAM OUT AS SELECT S.ID, SV, TV FROM S LEFT JOIN T ON S.ID = T.ID;"],
    [tt(None, "tn", 1), st(None, "sn", 2), tt(1, "t1", 3), st(1, "s1", 4)])
add(P, "probe st repartition null fk", [S.format(x=""), T.format(x=""),
    "CREATE STREAM OUT AS SELECT S.FK, SV, TV FROM S LEFT JOIN T ON S.FK = T.ID;"],
    [tt(1, "t1", 1), st(5, "s1", 2, fk=None), st(6, "s2", 3, fk=1), st(7, None, 4)])
add(P, "probe ss repartition null value key", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT L.LN, LV, RV FROM L LEFT JOIN R WITHIN 1 SECOND ON L.LN = R.ID;"],
    [rt(1, "r1", 1), lt(5, "a", 2, None), lt(6, "b", 3, 1)])
add(P, "probe tt left right tombstone unknown", [TA.format(x=""), TB.format(x=""),
    "CREATE TABLE OUT AS SELECT TA.ID, AV, BV FROM TA LEFT JOIN TB ON TA.ID = TB.ID;"],
    [tb(1, None, 1), ta(1, None, 2), ta(1, "a", 3), tb(1, None, 4), tb(1, None, 5), ta(1, None, 6), ta(1, None, 7)])
add(P, "probe tt full tombstones both", [TA.format(x=""), TB.format(x=""),
    "CREATE TABLE OUT AS SELECT ROWKEY AS K, AV, BV FROM TA FULL OUTER JOIN TB ON TA.ID = TB.ID;"],
    [ta(1, "a", 1), tb(1, "b", 2), ta(1, None, 3), tb(1, None, 4), tb(1, None, 5), ta(2, "c", 6), ta(2, None, 7)])
add(P, "probe st table update same ts", [S.format(x=""), T.format(x=""),
    "CREATE STREAM OUT AS SELECT S.ID, SV, TV FROM S JOIN T ON S.ID = T.ID;"],
    [st(1, "s0", 5), tt(1, "t1", 5), st(1, "s1", 5), tt(1, "t2", 5), st(1, "s2", 5)])
add(P, "probe ss left same ts many", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT L.ID, LV, RV FROM L FULL OUTER JOIN R WITHIN 0 SECONDS GRACE PERIOD 0 SECONDS ON L.ID = R.ID;"],
    [lt(1, "a", 5), rt(1, "b", 5), rt(1, "c", 5), lt(1, "d", 5), lt(2, "e", 5), rt(3, "f", 6), lt(4, "g", 7)])
add(P, "probe ss outer closes by other side", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT ROWKEY AS K, LV, RV FROM L FULL OUTER JOIN R WITHIN 1 SECOND GRACE PERIOD 0 SECONDS ON L.ID = R.ID;"],
    [lt(1, "a", 1000), rt(2, "b", 1500), lt(3, "c", 2001), rt(4, "d", 2600), rt(5, "e", 2400), lt(6, "f", 5000)])
add(P, "probe ss left within before after asym grace", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT L.ID, LV, RV FROM L LEFT JOIN R WITHIN (0 SECONDS, 2 SECONDS) GRACE PERIOD 1 SECOND ON L.ID = R.ID;"],
    [lt(1, "a", 1000), lt(2, "b", 1500), rt(1, "x", 2900), rt(3, "y", 4100), lt(3, "c", 4200), rt(2, "z", 4600), lt(4, "d", 10000)])
add(P, "probe ss right within before after asym grace", [L.format(x=""), R.format(x=""),
    "CREATE STREAM OUT AS SELECT R.ID, LV, RV FROM L RIGHT JOIN R WITHIN (0 SECONDS, 2 SECONDS) GRACE PERIOD 1 SECOND ON L.ID = R.ID;"],
    [rt(1, "a", 1000), rt(2, "b", 1500), lt(1, "x", 900), lt(1, "w", 2900), lt(3, "y", 4100), rt(3, "c", 4200), rt(4, "d", 10000)])


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "out")
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for stem, tests in FILES.items():
        names = [t["name"] for t in tests]
        assert len(names) == len(set(names)), stem
        (out / f"{stem}.json").write_text(json.dumps(
            {"comments": ["written for fraudlab (gend): join shapes the earlier join generators left out; "
                          "scripts/oracle/generators/gend/gen.py"], "tests": tests}, indent=1) + "\n")
        total += len(tests)
    print(total, "cases in", len(FILES), "files")


if __name__ == "__main__":
    main()
