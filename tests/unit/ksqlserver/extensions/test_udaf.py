"""Plugin UDAFs in queries: GROUP BY, windows (session merges), HAVING, overloads, nulls, failures, table
sources (undo), declared types, resources set up once, restart safety of the accumulators, error texts."""

from __future__ import annotations

import json
import struct
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.plan.aggregate import AGG_STORE
from ksqlserver.runtime.state import codec as state_codec
from ksqlserver.runtime.state.base import InMemoryKeyValueStore, StateStores

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
CREATE_TX = (
    "CREATE STREAM TX (ID STRING KEY, N INT, X DOUBLE, S STRING) "
    "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');"
)

PLUGIN = """
from decimal import Decimal
from ksqlserver.extensions import FunctionContext, udaf

SETUPS = []   # one entry per set-up of the shared resource
MERGES = []   # every (a, b) MY_SUM's merge saw

@udaf("MY_SUM", params=[("X", "INTEGER")], returns="BIGINT", aggregate="BIGINT",
      description="sum of integers (nulls count as 0)", author="tests")
class MySumInt:
    def __init__(self, ctx: FunctionContext):
        self.start = ctx.shared("start", lambda: SETUPS.append(1) or int(ctx.get("start", "0")))
    def initialize(self): return self.start
    def aggregate(self, v, a):
        if v == 13:
            raise ValueError("unlucky")
        return a if v is None else a + v
    def merge(self, a, b):
        MERGES.append((a, b))
        return a + b
    def map(self, a): return a
    def undo(self, v, a): return a if v is None else a - v

@udaf("MY_SUM", params=[("X", "DOUBLE")], returns="DOUBLE", aggregate="DOUBLE", description="sum of doubles")
class MySumDouble:
    def __init__(self, ctx: FunctionContext):
        self.start = ctx.shared("start", lambda: SETUPS.append(1) or int(ctx.get("start", "0")))
    def initialize(self): return self.start          # an int: kept as the declared DOUBLE
    def aggregate(self, v, a): return a if v is None else a + v
    def merge(self, a, b): return a + b
    def map(self, a): return a

@udaf("NULLS", params=["STRING"], returns="BIGINT", aggregate="BIGINT", description="counts null values")
class Nulls:  # no undo: cannot aggregate a table
    def initialize(self): return 0
    def aggregate(self, v, a): return a + (v is None)
    def merge(self, a, b): return a + b
    def map(self, a): return a

@udaf("WAVG", params=[("V", "DOUBLE"), ("W", "INTEGER")], returns="DOUBLE",
      aggregate="STRUCT<SUM DOUBLE, WEIGHT BIGINT>", description="weighted average")
class WeightedAvg:
    def initialize(self): return {"SUM": 0.0, "WEIGHT": 0}
    def aggregate(self, vw, a):
        v, w = vw
        if v is None or w is None:
            return a
        return {"SUM": a["SUM"] + v * w, "WEIGHT": a["WEIGHT"] + w}
    def merge(self, a, b): return {"SUM": a["SUM"] + b["SUM"], "WEIGHT": a["WEIGHT"] + b["WEIGHT"]}
    def map(self, a): return None if a["WEIGHT"] == 0 else a["SUM"] / a["WEIGHT"]
    def undo(self, vw, a):
        v, w = vw
        if v is None or w is None:
            return a
        return {"SUM": a["SUM"] - v * w, "WEIGHT": a["WEIGHT"] - w}

@udaf("TRACE", params=["STRING"], returns="STRING", aggregate="STRUCT<N BIGINT, MERGES BIGINT>",
      description="values and merges seen: 'n/merges'")
class Trace:
    def initialize(self): return {"N": 0, "MERGES": 0}
    def aggregate(self, v, a): return {"N": a["N"] + 1, "MERGES": a["MERGES"]}
    def merge(self, a, b): return {"N": a["N"] + b["N"], "MERGES": a["MERGES"] + b["MERGES"] + 1}
    def map(self, a): return f"{a['N']}/{a['MERGES']}"

@udaf("WORDS_SEEN", params=["STRING"], returns="ARRAY<STRING>", aggregate="MAP<STRING, BIGINT>",
      description="distinct words in first-seen order")
class WordsSeen:
    def initialize(self): return {}
    def aggregate(self, v, a):
        if v is not None:
            a = dict(a)
            a[v] = a.get(v, 0) + 1
        return a
    def merge(self, a, b): return {**a, **b}
    def map(self, a): return list(a)

@udaf("BAD_TYPES", params=["STRING"], returns="DOUBLE", aggregate="BIGINT", description="maps to the wrong type")
class BadTypes:
    def initialize(self): return 0
    def aggregate(self, v, a):
        return "not a number" if v == "bad-acc" else a + 1
    def merge(self, a, b): return a + b
    def map(self, a):
        if a == 3:
            raise RuntimeError("map broke")
        return "two" if a == 2 else a   # an int for DOUBLE: written as a double

@udaf("MONEY", params=["DECIMAL(10, 2)"], returns="DECIMAL(8, 2)", aggregate="DECIMAL(8, 2)", description="decimal sum")
class Money:
    def initialize(self): return Decimal(0)
    def aggregate(self, v, a): return a if v is None else a + v
    def merge(self, a, b): return a + b
    def map(self, a): return a
"""


def _engine(
    tmp_path: Path, props: dict[str, str] | None = None, stores: StateStores | None = None
) -> tuple[Engine, MemoryDriver]:
    d = tmp_path / "ext"
    if not d.exists():
        d.mkdir()
        (d / "aggs.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    driver = MemoryDriver()
    driver.create_topic("tx", partitions=1)
    properties = dict(EARLIEST)
    properties.update(props or {})
    engine = Engine(
        EngineConfig(service_id="udaf_", synchronous=True, extension_dir=d, properties=properties), driver
    )
    if stores is not None:
        engine.state.stores = stores
    engine.execute(CREATE_TX)
    return engine, driver


def _produce(driver: MemoryDriver, rows: list[tuple[str, int, dict[str, Any]]], topic: str = "tx") -> None:
    driver.produce(topic, [Record(k.encode(), json.dumps(v).encode(), ts) for k, ts, v in rows])


def _out(driver: MemoryDriver, topic: str) -> list[tuple[str, Any]]:
    return [(r.key.decode(), None if r.value is None else json.loads(r.value)) for r in driver.records(topic)]


def _windowed(driver: MemoryDriver, topic: str, session: bool) -> list[tuple[str, int, int | None, Any]]:
    out = []
    for r in driver.records(topic):
        value = None if r.value is None else json.loads(r.value)
        if session:
            end, start = struct.unpack(">qq", r.key[-16:])
            out.append((r.key[:-16].decode(), start, end, value))
        else:
            out.append((r.key[:-8].decode(), struct.unpack(">q", r.key[-8:])[0], None, value))
    return out


def _errors(driver: MemoryDriver) -> list[str]:
    log = [json.loads(r.value)["message"] for r in driver.records("udaf_ksql_processing_log")]
    return [m["recordProcessingError"]["errorMessage"] for m in log if m.get("recordProcessingError")]


def _module(tmp_path: Path) -> Any:
    import sys

    path = str(tmp_path / "ext" / "aggs.py")
    return next(m for m in list(sys.modules.values()) if getattr(m, "__file__", None) == path)


def _fast(engine: Engine, query_id: str | None = None) -> bool:
    queries = engine.state.persistent
    return (queries[query_id] if query_id else next(iter(queries.values()))).pipeline.fast_path


ROWS = [
    ("a", 1000, {"N": 1, "X": 0.5, "S": "a"}),
    ("b", 2000, {"N": 10, "X": None, "S": "b"}),
    ("c", 3000, {"N": None, "X": 1.5, "S": "a"}),
    ("d", 4000, {"N": 4, "X": 2.0, "S": None}),  # null grouping key: dropped, as for built-ins
    ("e", 5000, {"N": 2, "X": 1.0, "S": "a"}),
]


def test_group_by_with_overloads_nulls_and_builtins_side_by_side(tmp_path: Path) -> None:
    engine, driver = _engine(tmp_path, {"ksql.functions.my_sum.start": "100"})
    engine.execute(
        "CREATE TABLE T AS SELECT S, MY_SUM(N) AS MI, MY_SUM(X) AS MD, MY_SUM(CAST(N AS BIGINT)) AS MW, "
        "SUM(N) AS SN, COUNT(N) AS CN, NULLS(ID) AS NI, NULLS(CAST(NULL AS STRING)) AS NN, "
        "WAVG(X, N) AS WA, WORDS_SEEN(ID) AS W FROM TX GROUP BY S;"
    )
    assert not _fast(engine)  # the generated loop covers built-ins only
    _produce(driver, ROWS)
    engine.drain()
    # MY_SUM(INT) -> the INTEGER overload (BIGINT); DOUBLE and BIGINT (widened, no INTEGER narrowing) -> DOUBLE.
    # The plugin sees nulls (NULLS counts them) where SUM and COUNT skip them; its accumulators start at the
    # configured 100 (one shared set-up for both overloads).
    assert _out(driver, "T") == [
        ("a", {"MI": 101, "MD": 100.5, "MW": 101.0, "SN": 1, "CN": 1, "NI": 0, "NN": 1, "WA": 0.5, "W": ["a"]}),
        ("b", {"MI": 110, "MD": 100.0, "MW": 110.0, "SN": 10, "CN": 1, "NI": 0, "NN": 1, "WA": None, "W": ["b"]}),
        ("a", {"MI": 101, "MD": 102.0, "MW": 101.0, "SN": 1, "CN": 1, "NI": 0, "NN": 2, "WA": 0.5,
               "W": ["a", "c"]}),
        ("a", {"MI": 103, "MD": 103.0, "MW": 103.0, "SN": 3, "CN": 2, "NI": 0, "NN": 3, "WA": 0.8333333333333334,
               "W": ["a", "c", "e"]}),
    ]  # fmt: skip
    [desc] = engine.execute("DESCRIBE T;")
    fields = {f["name"]: f["schema"]["type"] for f in desc["sourceDescription"]["fields"]}
    assert (fields["MI"], fields["MD"], fields["MW"], fields["WA"], fields["W"]) == (
        "BIGINT",
        "DOUBLE",
        "DOUBLE",
        "DOUBLE",
        "ARRAY",
    )
    assert _module(tmp_path).SETUPS == [1]
    [shown] = engine.execute("SHOW FUNCTIONS;")
    assert {f["name"]: f["type"] for f in shown["functions"]}["MY_SUM"] == "AGGREGATE"


def test_tumbling_and_hopping_windows(tmp_path: Path) -> None:
    engine, driver = _engine(tmp_path)
    engine.execute(
        "CREATE TABLE TW AS SELECT S, MY_SUM(N) AS M, COUNT(*) AS C FROM TX "
        "WINDOW TUMBLING (SIZE 2 SECONDS) GROUP BY S;"
    )
    engine.execute(
        "CREATE TABLE HW AS SELECT S, MY_SUM(N) AS M FROM TX "
        "WINDOW HOPPING (SIZE 4 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY S;"
    )
    _produce(driver, ROWS)
    engine.drain()
    assert _windowed(driver, "TW", False) == [
        ("a", 0, None, {"M": 1, "C": 1}),
        ("b", 2000, None, {"M": 10, "C": 1}),
        ("a", 2000, None, {"M": 0, "C": 1}),  # a null N: the plugin keeps its sum
        ("a", 4000, None, {"M": 2, "C": 1}),
    ]
    assert _windowed(driver, "HW", False) == [  # windows start at 0 or later (Kafka Streams)
        ("a", 0, None, {"M": 1}),
        ("b", 0, None, {"M": 10}),
        ("b", 2000, None, {"M": 10}),
        ("a", 0, None, {"M": 1}),
        ("a", 2000, None, {"M": 0}),
        ("a", 2000, None, {"M": 2}),
        ("a", 4000, None, {"M": 2}),
    ]


def test_session_windows_merge_accumulators(tmp_path: Path) -> None:
    """Kafka Streams' session aggregation: a record joining sessions starts from initialize(), merges each
    of them into it (merge), then aggregates its own value; a built-in beside the UDAF gives its usual
    result."""
    engine, driver = _engine(tmp_path)
    engine.execute(
        "CREATE TABLE SW AS SELECT S, TRACE(S) AS T, MY_SUM(N) AS M, COUNT(*) AS C, "
        "COLLECT_LIST(N) AS L FROM TX WINDOW SESSION (10 SECONDS) GROUP BY S;"
    )
    _produce(driver, [
        ("a", 0, {"N": 1, "S": "a"}),
        ("b", 5000, {"N": 2, "S": "a"}),  # joins [0, 0]: one merge
        ("c", 25000, {"N": 4, "S": "a"}),  # a new session
        ("d", 15000, {"N": 8, "S": "a"}),  # bridges [0, 5000] and [25000, 25000]: two merges
    ])  # fmt: skip
    engine.drain()
    assert _windowed(driver, "SW", True) == [
        ("a", 0, 0, {"T": "1/0", "M": 1, "C": 1, "L": [1]}),
        ("a", 0, 0, None),
        ("a", 0, 5000, {"T": "2/1", "M": 3, "C": 2, "L": [1, 2]}),
        ("a", 25000, 25000, {"T": "1/0", "M": 4, "C": 1, "L": [4]}),
        ("a", 0, 5000, None),
        ("a", 25000, 25000, None),
        ("a", 0, 25000, {"T": "4/3", "M": 15, "C": 4, "L": [1, 2, 4, 8]}),
    ]
    # merge(initialize(), session) for each session joined: (0, 1); (0, 3) and (3, 4)
    assert _module(tmp_path).MERGES == [(0, 1), (0, 3), (3, 4)]


def test_having_on_a_udaf(tmp_path: Path) -> None:
    engine, driver = _engine(tmp_path)
    engine.execute("CREATE TABLE H AS SELECT S, MY_SUM(N) AS M FROM TX GROUP BY S HAVING MY_SUM(N) > 1;")
    _produce(driver, ROWS)
    engine.drain()
    assert _out(driver, "H") == [("b", {"M": 10}), ("a", {"M": 3})]


def test_failing_udaf_is_reported_and_the_query_goes_on(tmp_path: Path) -> None:
    engine, driver = _engine(tmp_path)
    engine.execute(
        "CREATE TABLE F AS SELECT S, MY_SUM(N) AS M, COUNT(*) AS C, BAD_TYPES(ID) AS B FROM TX GROUP BY S;"
    )
    _produce(driver, [
        ("a", 1, {"N": 1, "S": "a"}),
        ("b", 2, {"N": 13, "S": "a"}),  # MY_SUM's aggregate raises: its update is skipped, COUNT counts
        ("bad-acc", 3, {"N": 2, "S": "a"}),  # BAD_TYPES returns a string accumulator: skipped
        ("c", 4, {"N": 3, "S": "a"}),
        ("d", 5, {"N": 1, "S": "a"}),
    ])  # fmt: skip
    engine.drain()
    assert _out(driver, "F") == [
        ("a", {"M": 1, "C": 1, "B": 1.0}),  # map gives the int 1: written as the declared DOUBLE
        ("a", {"M": 1, "C": 2, "B": None}),  # map returns "two" for a DOUBLE: null
        ("a", {"M": 3, "C": 3, "B": None}),
        ("a", {"M": 6, "C": 4, "B": None}),  # map raises: null
        ("a", {"M": 7, "C": 5, "B": 4.0}),
    ]
    errors = _errors(driver)
    assert errors == [
        "Error computing MY_SUM: its aggregate step failed: unlucky",
        "Error computing BAD_TYPES: its map step failed: 'two' (str) is not a DOUBLE",
        "Error computing BAD_TYPES: its aggregate step failed: 'not a number' (str) is not a BIGINT",
        "Error computing BAD_TYPES: its map step failed: 'two' (str) is not a DOUBLE",
        "Error computing BAD_TYPES: its map step failed: map broke",
    ]
    assert engine.state.persistent["CTAS_F_3"].state != "ERROR"


def test_decimal_results_follow_the_declared_type(tmp_path: Path) -> None:
    engine, driver = _engine(tmp_path)
    engine.execute("CREATE TABLE D AS SELECT S, MONEY(CAST(X AS DECIMAL(4, 1))) AS M FROM TX GROUP BY S;")
    _produce(driver, [("a", 1, {"X": 1.5, "S": "a"}), ("b", 2, {"X": 2.25, "S": "a"})])
    engine.drain()
    assert [r.value for r in driver.records("D")] == [b'{"M":1.50}', b'{"M":3.80}']  # DECIMAL(8, 2)


def test_table_source_needs_undo(tmp_path: Path) -> None:
    engine, driver = _engine(tmp_path)
    driver.create_topic("users", partitions=1)
    engine.execute(
        "CREATE TABLE U (ID STRING PRIMARY KEY, REGION STRING, N INT, X DOUBLE) "
        "WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON');"
    )
    with pytest.raises(KsqlError) as err:
        engine.execute("CREATE TABLE R AS SELECT REGION, NULLS(ID) AS C, MAX(N) AS M FROM U GROUP BY REGION;")
    assert err.value.message == "Could not determine output schema for query due to error: " + (  # refused while planned: the injectors' prefix
        "The aggregation functions NULLS and MAX cannot be applied to a table source, only to a stream source."
    )
    engine.execute("CREATE TABLE R AS SELECT REGION, MY_SUM(N) AS S, WAVG(X, N) AS W FROM U GROUP BY REGION;")
    _produce(driver, [
        ("u1", 1, {"REGION": "east", "N": 5, "X": 1.0}),
        ("u2", 2, {"REGION": "east", "N": 3, "X": 3.0}),
        ("u1", 3, {"REGION": "west", "N": 7, "X": 2.0}),  # moves: undone in east, added in west
    ], topic="users")  # fmt: skip
    engine.drain()
    assert _out(driver, "R") == [
        ("east", {"S": 5, "W": 1.0}),
        ("east", {"S": 8, "W": 1.75}),
        ("east", {"S": 3, "W": 3.0}),
        ("west", {"S": 7, "W": 2.0}),
    ]


def test_udaf_errors_read_like_builtin_ones(tmp_path: Path) -> None:
    engine, _ = _engine(tmp_path)
    cases = {
        "CREATE TABLE A AS SELECT MY_SUM(N) AS M FROM TX;": (
            "CREATE TABLE AS SELECT statement does not support aggregate function [MY_SUM(N)] without a "
            "GROUP BY clause."
        ),
        "CREATE TABLE A AS SELECT S, MY_SUM(N) AS M FROM TX WHERE MY_SUM(N) > 1 GROUP BY S;": (
            "Invalid Predicate: Can't find any functions with the name 'MY_SUM'."  # the filter's codegen (CodeGenRunner)
        ),
        "CREATE TABLE A AS SELECT S, COUNT(*) AS M FROM TX GROUP BY S, MY_SUM(N);": (
            "GROUP BY does not support aggregate functions: MY_SUM is an aggregate function."
        ),
        "CREATE TABLE A AS SELECT S, SUM(MY_SUM(N)) AS M FROM TX GROUP BY S;": (
            "Aggregate functions can not be nested: SUM(MY_SUM())"  # ksqlDB names the inner call bare
        ),
        "CREATE TABLE A AS SELECT S, MY_SUM(S) AS M FROM TX GROUP BY S;": (
            "Function 'MY_SUM' does not accept parameters (STRING).\nValid alternatives are:\n"
            "MY_SUM(DOUBLE)\nMY_SUM(INTEGER)\n"  # UdfIndex's HashMap order of [DOUBLE] and [INT]
            "For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;"
        ),
        "CREATE STREAM A AS SELECT ID, UCASE(S) AS U FROM TX WHERE NULLS(S) > 0;": (
            "Invalid Predicate: Can't find any functions with the name 'NULLS'."
        ),
    }
    for statement, message in cases.items():
        with pytest.raises(KsqlError) as err:
            engine.execute(statement)
        assert err.value.message == "Could not determine output schema for query due to error: " + message, statement  # refused while planned: the injectors' prefix
    for name in ("SUM", "MY_SUM"):  # a push query without GROUP BY: one running group (ksqlDB's rest/ cases)
        q = engine.start_query(f"SELECT {name}(N) AS T FROM TX EMIT CHANGES;")
        assert [n for n, _ in q.columns] == ["T"]
        q.close()
    # the aggregation's state takes the leftmost source's value format (ksqlDB's AggregateNode): a struct
    # intermediate value fits JSON, whatever the sink's format, but never DELIMITED (as for AVG)
    engine.execute(
        "CREATE TABLE A WITH (VALUE_FORMAT='DELIMITED') AS SELECT S, WAVG(X, N) AS W FROM TX GROUP BY S;"
    )
    engine.execute(
        "CREATE STREAM TD (ID STRING KEY, N INT, X DOUBLE, S STRING) WITH (KAFKA_TOPIC='td', VALUE_FORMAT='DELIMITED', PARTITIONS=1);"
    )
    with pytest.raises(KsqlError, match="intermediate type that the value format can not handle"):
        engine.execute(
            "CREATE TABLE B WITH (VALUE_FORMAT='JSON') AS SELECT S, WAVG(X, N) AS W FROM TD GROUP BY S;"
        )


def test_push_aggregation_with_a_udaf(tmp_path: Path) -> None:
    """The transient (no sink) form of the aggregation: JSON-ready rows, as a push query would receive."""
    from ksqlserver import plan
    from ksqlserver.analyze.aggregate import analyze_aggregate
    from ksqlserver.sql import parser

    engine, _ = _engine(tmp_path)
    [q] = parser.parse("SELECT S, MY_SUM(N) AS M, WAVG(X, N) AS W FROM TX GROUP BY S EMIT CHANGES;")
    a = analyze_aggregate(q, engine.state.metastore, engine.state.registry, None)
    errors: list[str] = []
    on_error = lambda k, m, r, e, *row_text: errors.append(m)  # ErrorHandler: row_text optional
    pipeline = plan.compile(
        plan.build(a, None), engine.state.registry, on_error, engine.state.stores, "transient_1"
    )
    out = pipeline.process([Record(k.encode(), json.dumps(v).encode(), ts) for k, ts, v in ROWS])
    assert out == [["a", 1, 0.5], ["b", 10, None], ["a", 1, 0.5], ["a", 3, 0.8333333333333334]]
    # the row with a null grouping key is left out and reported (GroupByParamsFactory)
    assert errors == [
        "Group-by column with index 0 resolved to null. The source row will be excluded from the table."
    ]


def test_accumulators_survive_a_restart(tmp_path: Path) -> None:
    """Accumulators are plain data of the declared aggregate type, so the state codec writes and reads them
    exactly; a query restored from that state goes on from it."""
    statement = (
        "CREATE TABLE T AS SELECT S, MY_SUM(N) AS M, WAVG(X, N) AS W, WORDS_SEEN(ID) AS WS, "
        "TRACE(S) AS TR, MONEY(CAST(X AS DECIMAL(4, 1))) AS MO FROM TX GROUP BY S;"
    )
    engine, driver = _engine(tmp_path)
    engine.execute(statement)
    _produce(driver, ROWS[:3])
    engine.drain()
    store = engine.state.stores.find("CTAS_T_3", AGG_STORE)
    assert store is not None
    saved = {state_codec.encode_key(k): state_codec.encode(v) for k, v in store.items()}
    decoded = {state_codec.decode(k): state_codec.decode(v) for k, v in saved.items()}
    assert decoded == dict(store.items())
    assert decoded[("a",)][0] == [1, {"SUM": 0.5, "WEIGHT": 1}, {"a": 1, "c": 1}, {"N": 2, "MERGES": 0},
                                  Decimal("2.00")]  # fmt: skip

    class Restored(InMemoryKeyValueStore):
        def __init__(self, query_id: str, name: str) -> None:
            super().__init__(query_id, name)
            if name == AGG_STORE:
                for k, v in decoded.items():
                    self.put(k, v)

    engine2, driver2 = _engine(tmp_path, stores=StateStores(Restored))
    engine2.execute(statement)
    _produce(driver2, ROWS[3:])
    engine2.drain()
    assert _out(driver2, "T") == [
        ("a", {"M": 3, "W": 0.8333333333333334, "WS": ["a", "c", "e"], "TR": "3/0", "MO": 3.00}),
    ]


def test_pull_queries_read_udaf_state(tmp_path: Path) -> None:
    engine, driver = _engine(tmp_path)
    engine.execute("CREATE TABLE T AS SELECT S, MY_SUM(N) AS M, WAVG(X, N) AS W FROM TX GROUP BY S;")
    engine.execute(
        "CREATE TABLE SW AS SELECT S, TRACE(S) AS T, COUNT(*) AS C FROM TX WINDOW SESSION (10 SECONDS) "
        "GROUP BY S;"
    )
    _produce(driver, ROWS)
    engine.drain()
    rows = []
    for sql in ("SELECT * FROM T WHERE S = 'a';", "SELECT * FROM SW WHERE S = 'a';"):
        q = engine.start_query(sql)
        rows.append(q.poll(1.0))
        q.close()
    # the session's accumulator as merged: records at 1000 and 3000 and 5000, two of them joining it
    assert rows == [[["a", 3, 0.8333333333333334]], [["a", 1000, 5000, "3/2", 3]]]


def test_the_generated_aggregation_loop_declines_udafs(tmp_path: Path) -> None:
    engine, driver = _engine(tmp_path)
    engine.execute("CREATE TABLE B AS SELECT S, SUM(N) AS M FROM TX GROUP BY S;")
    engine.execute("CREATE TABLE P AS SELECT S, MY_SUM(N) AS M FROM TX GROUP BY S;")
    assert _fast(engine, "CTAS_B_3") and not _fast(engine, "CTAS_P_5")
    _produce(driver, ROWS)
    engine.drain()
    assert [v for _, v in _out(driver, "B")] == [{"M": 1}, {"M": 10}, {"M": 1}, {"M": 3}]
    assert [v for _, v in _out(driver, "P")] == [{"M": 1}, {"M": 10}, {"M": 1}, {"M": 3}]


def test_emit_final_gives_each_closed_window_once(tmp_path: Path) -> None:
    # closed windows are looked for at every record (Kafka Streams' wall-clock pacing set to 0, as
    # ksqlDB's own tests do)
    engine, driver = _engine(
        tmp_path, {"ksql.streams.__emit.interval.ms.kstreams.windowed.aggregation__": "0"}
    )
    engine.execute(
        "CREATE TABLE FW AS SELECT S, MY_SUM(N) AS M, TRACE(S) AS T FROM TX "
        "WINDOW TUMBLING (SIZE 2 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY S EMIT FINAL;"
    )
    _produce(driver, ROWS)
    engine.drain()
    assert _windowed(driver, "FW", False) == [
        ("a", 0, None, {"M": 1, "T": "1/0"}),  # closed by the record at 2000
        # closed by the next aggregated record, at 5000: emitted by window start, then key bytes
        ("a", 2000, None, {"M": 0, "T": "1/0"}),
        ("b", 2000, None, {"M": 10, "T": "1/0"}),
    ]  # the window [4000, 6000) is still open
