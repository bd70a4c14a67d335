"""The engine facade over the in-memory driver: statements, entities, errors, processing log, push queries."""

from __future__ import annotations

import json
import random
import time

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.sql import ast

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
CREATE_TX = (
    "CREATE STREAM TX (ID STRING KEY, AMOUNT DOUBLE, CARD STRING, CLASS INT) "
    "WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='DELIMITED');"
)


@pytest.fixture
def driver() -> MemoryDriver:
    d = MemoryDriver()
    d.create_topic("tx", partitions=2)
    return d


@pytest.fixture
def engine(driver: MemoryDriver) -> Engine:
    e = Engine(EngineConfig(service_id="test_", synchronous=True, properties=EARLIEST), driver)
    yield e
    e.close()


def produce(driver: MemoryDriver, rows: list[tuple[str | None, str | None]], topic: str = "tx") -> None:
    driver.produce(
        topic,
        [
            Record(None if k is None else k.encode(), None if v is None else v.encode(), 100 + i)
            for i, (k, v) in enumerate(rows)
        ],
    )


def test_create_stream_entity_and_show(engine: Engine) -> None:
    [entity] = engine.execute(CREATE_TX)
    assert entity["@type"] == "currentStatus"
    assert entity["commandId"] == "stream/`TX`/create"
    assert entity["commandStatus"] == {"status": "SUCCESS", "message": "Stream created", "queryId": None}
    # DistributingExecutor answers with the statement as the injectors left it (SqlFormatter's text, the key
    # format DefaultFormatInjector adds, the cleanup policy TopicCreateInjector adds)
    assert entity["statementText"] == (
        "CREATE STREAM TX (ID STRING KEY, AMOUNT DOUBLE, CARD STRING, CLASS INTEGER) "
        "WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='tx', KEY_FORMAT='KAFKA', VALUE_FORMAT='DELIMITED');"
    )
    [streams] = engine.execute("SHOW STREAMS;")
    names = [s["name"] for s in streams["streams"]]
    assert names == ["KSQL_PROCESSING_LOG", "TX"]
    tx = streams["streams"][1]
    assert (tx["topic"], tx["keyFormat"], tx["valueFormat"], tx["isWindowed"]) == (
        "tx",
        "KAFKA",
        "DELIMITED",
        False,
    )


def test_csas_filters_projects_and_masks(engine: Engine, driver: MemoryDriver) -> None:
    engine.execute(CREATE_TX)
    [created] = engine.execute(
        "CREATE STREAM CLEAN WITH (VALUE_FORMAT='JSON') AS SELECT ID, MASK_LEFT(CARD, 4) AS CARD, "
        "IFNULL(AMOUNT, CAST(0 AS DOUBLE)) AS AMOUNT FROM TX WHERE CLASS IS NOT NULL;"
    )
    assert created["commandStatus"]["queryId"] == "CSAS_CLEAN_3"
    produce(driver, [("a", "1.5,1234-5678,0"), ("b", ",9999-0000,1"), ("c", "2.0,1111-2222,")])
    engine.drain()
    out = driver.records("CLEAN")
    assert [(r.key, json.loads(r.value)) for r in out] == [
        (b"a", {"CARD": "nnnn-5678", "AMOUNT": 1.5}),
        (b"b", {"CARD": "nnnn-0000", "AMOUNT": 0.0}),
    ]
    assert out[0].value == b'{"CARD":"nnnn-5678","AMOUNT":1.5}'
    assert [r.timestamp for r in out] == [100, 101]  # stateless queries keep the input timestamp


def test_bad_records_go_to_the_processing_log_and_the_query_goes_on(driver: MemoryDriver) -> None:
    # with the record's bytes in the log: ksql.logging.processing.rows.include (default false, below)
    props = {**EARLIEST, "ksql.logging.processing.rows.include": "true"}
    engine = Engine(EngineConfig(service_id="test_", synchronous=True, properties=props), driver)
    engine.execute(CREATE_TX)
    engine.execute("CREATE STREAM BIG AS SELECT ID, AMOUNT FROM TX WHERE AMOUNT > 10;")
    produce(driver, [("a", "11.0,x,0"), ("b", "oops,x,0"), ("c", "12.0,x,0")])
    engine.drain()
    assert [r.key for r in driver.records("BIG")] == [b"a", b"c"]
    [log] = driver.records("test_ksql_processing_log")
    msg = json.loads(log.value)
    # the source step's deserializer logger (QueryLoggerUtil.queryLoggerName + GenericSerdeFactory's "deserializer")
    assert msg["level"] == "ERROR" and msg["logger"] == "processing.CSAS_BIG_3.KsqlTopic.Source.deserializer"
    err = msg["message"]["deserializationError"]
    assert err["topic"] == "tx" and err["recordB64"] == "b29wcyx4LDA="
    engine.close()


def test_the_processing_log_leaves_rows_out_by_default_and_names_the_key_target(
    engine: Engine, driver: MemoryDriver
) -> None:
    """ProcessingLogConfig.INCLUDE_ROWS defaults to false: DeserializationError.get leaves recordB64 null; a
    key that cannot be read is target "key" (LoggingSerdeUtil.getRecordComponent)."""
    engine.execute(CREATE_TX)
    engine.execute("CREATE STREAM K_INT (K INT KEY, ID STRING) WITH (KAFKA_TOPIC='kint', VALUE_FORMAT='JSON', PARTITIONS=1);")
    engine.execute("CREATE STREAM BIG AS SELECT ID, AMOUNT FROM TX WHERE AMOUNT > 10;")
    engine.execute("CREATE STREAM K_OUT AS SELECT K, ID FROM K_INT;")
    produce(driver, [("b", "oops,x,0")])
    driver.produce("kint", [Record(b"abc", b'{"ID": "x"}', 1)])  # 3 bytes: not a KAFKA INT key
    engine.drain()
    errs = [json.loads(r.value)["message"]["deserializationError"] for r in driver.records("test_ksql_processing_log")]
    assert sorted((e["target"], e["topic"], e["recordB64"]) for e in errs) == [("key", "kint", None), ("value", "tx", None)]


def test_partition_by_rekeys_and_moves_old_key_to_value(engine: Engine, driver: MemoryDriver) -> None:
    engine.execute(CREATE_TX)
    engine.execute("CREATE STREAM BY_CARD WITH (VALUE_FORMAT='JSON') AS SELECT * FROM TX PARTITION BY CARD;")
    produce(driver, [("a", "1.0,c1,0")])
    engine.drain()
    [rec] = driver.records("BY_CARD")
    assert rec.key == b"c1"
    assert json.loads(rec.value) == {"AMOUNT": 1.0, "CLASS": 0, "ID": "a"}
    [desc] = engine.execute("DESCRIBE BY_CARD;")
    fields = desc["sourceDescription"]["fields"]
    assert [(f["name"], f.get("type")) for f in fields] == [
        ("CARD", "KEY"),
        ("AMOUNT", None),
        ("CLASS", None),
        ("ID", None),
    ]


def test_insert_values_and_insert_into(engine: Engine, driver: MemoryDriver) -> None:
    engine.execute(CREATE_TX)
    engine.execute("CREATE STREAM ALL_TX AS SELECT * FROM TX;")
    assert (
        engine.execute("INSERT INTO TX (ROWTIME, ID, AMOUNT, CARD, CLASS) VALUES (5, 'k', 2.5, 'c', 1);")
        == []
    )
    driver.create_topic("tx2")
    engine.execute(
        "CREATE STREAM TX2 (ID STRING KEY, AMOUNT DOUBLE, CARD STRING, CLASS INT) "
        "WITH (KAFKA_TOPIC='tx2', VALUE_FORMAT='DELIMITED');"
    )
    [ins] = engine.execute("INSERT INTO ALL_TX SELECT * FROM TX2;")
    assert ins["commandStatus"]["queryId"] == "INSERTQUERY_7"
    produce(driver, [("z", "9.0,d,0")], topic="tx2")
    engine.drain()
    assert [(r.key, r.value, r.timestamp) for r in driver.records("ALL_TX")] == [
        (b"k", b"2.5,c,1", 5),
        (b"z", b"9.0,d,0", 100),
    ]


def test_errors_are_ksqldb_entities(engine: Engine) -> None:
    with pytest.raises(KsqlError) as e:
        engine.execute("DESCRIBE NOPE;")
    entity = e.value.to_entity()
    assert entity["@type"] == "statement_error" and entity["error_code"] == 40001
    assert entity["message"] == "Could not find STREAM/TABLE 'NOPE' in the Metastore"
    assert entity["statementText"] == "DESCRIBE NOPE;"
    engine.execute(CREATE_TX)
    with pytest.raises(KsqlError, match="Cannot compare AMOUNT \\(DOUBLE\\) to 'x' \\(STRING\\)"):
        engine.execute("CREATE STREAM S AS SELECT * FROM TX WHERE AMOUNT > 'x';")
    with pytest.raises(KsqlError, match="must include the key column ID in its projection") as e:
        engine.execute("CREATE STREAM S AS SELECT AMOUNT FROM TX;")
    assert e.value.message.startswith(
        "Could not determine output schema for query due to error: " "Key missing from projection (ie, SELECT). \nThe query used to build `S`"
    )
    with pytest.raises(KsqlError) as e:
        engine.execute("CREATE STREAM NO_TOPIC (A INT) WITH (VALUE_FORMAT='JSON');")
    assert e.value.message == (
        'Failed to prepare statement: Missing required property "KAFKA_TOPIC" which has no default value.'
    )
    with pytest.raises(KsqlError, match=r"Topic 'missing' does not exist\. If you want to create a new topic") as e:
        engine.execute("CREATE STREAM M (A INT) WITH (KAFKA_TOPIC='missing', VALUE_FORMAT='JSON');")
    entity = e.value.to_entity()  # ksqlDB refuses it before running it: a bad request, not a bad statement
    assert entity["@type"] == "generic_error" and entity["error_code"] == 40000
    assert "providing the required 'PARTITIONS' configuration" in entity["message"]


def test_terminate_drop_and_show_queries(engine: Engine, driver: MemoryDriver) -> None:
    engine.execute(CREATE_TX)
    engine.execute("CREATE STREAM A1 AS SELECT * FROM TX;")
    [queries] = engine.execute("SHOW QUERIES;")
    assert [q["id"] for q in queries["queries"]] == ["CSAS_A1_3"]
    # a CREATE ... AS SELECT sink holds its source (MetaStoreImpl's drop constraint), not its query
    with pytest.raises(KsqlError, match="The following streams and/or tables read from this source: \\[A1\\]"):
        engine.execute("DROP STREAM TX;")
    [dropped] = engine.execute("DROP STREAM A1 DELETE TOPIC;")
    assert dropped["commandStatus"]["message"] == "Source `A1` (topic: A1) was dropped."
    assert "A1" not in driver.topics()
    assert engine.execute("SHOW QUERIES;")[0]["queries"] == []
    [missing] = engine.execute("DROP STREAM IF EXISTS A1;")
    assert missing["commandStatus"]["message"] == "Source `A1` does not exist."


def test_set_applies_until_the_request_ends(engine: Engine) -> None:
    [props] = engine.execute("SET 'auto.offset.reset'='latest'; SHOW PROPERTIES;")
    values = {p["name"]: p["value"] for p in props["properties"]}
    assert values["ksql.streams.auto.offset.reset"] == "latest"
    [props] = engine.execute("SHOW PROPERTIES;")
    values = {p["name"]: p["value"] for p in props["properties"]}
    assert values["ksql.streams.auto.offset.reset"] == "earliest"


def test_describe_function_and_explain(engine: Engine) -> None:
    [fn] = engine.execute("DESCRIBE FUNCTION MASK_LEFT;")
    assert fn["@type"] == "describe_function" and fn["name"] == "MASK_LEFT"
    assert fn["functions"][0]["returnType"] == "VARCHAR"  # ksqlDB shows function types as Java declares them
    engine.execute(CREATE_TX)
    engine.execute("CREATE STREAM E1 AS SELECT * FROM TX WHERE CLASS = 1;")
    [plan] = engine.execute("EXPLAIN CSAS_E1_3;")
    assert "FILTER" in plan["queryDescription"]["executionPlan"]


def test_push_query_with_limit(driver: MemoryDriver) -> None:
    engine = Engine(EngineConfig(properties=EARLIEST, poll_timeout=0.01), driver)
    try:
        engine.execute(CREATE_TX)
        produce(driver, [(str(i), f"{i}.5,c,0") for i in range(5)])
        q = engine.start_query("SELECT ID, AMOUNT * 2 AS D FROM TX EMIT CHANGES LIMIT 3;")
        assert q.columns == [("ID", "STRING"), ("D", "DOUBLE")]
        rows: list = []
        deadline = time.monotonic() + 10
        while not q.done and time.monotonic() < deadline:
            rows += q.poll(0.1)
        assert rows == [["0", 1.0], ["1", 3.0], ["2", 5.0]]
        assert q.final_message == "Limit Reached"
        assert engine.close_query(q.query_id) is True
        assert engine.close_query(q.query_id) is False
    finally:
        engine.close()


def test_fast_path_matches_generic_path(driver: MemoryDriver) -> None:
    """The generated DELIMITED loop must give byte-identical output to the generic per-record path."""
    rnd = random.Random(7)
    rows = []
    for i in range(400):
        amount = rnd.choice(["", "0", "1.5", "-0.0004", "12345678.5", "1e3", "x", f"{rnd.uniform(-5, 5)}"])
        card = rnd.choice(["", "abc", '"q,uoted"', "plain", '"x"'])
        klass = rnd.choice(["0", "1", '"1"', "", "2"])
        rows.append((str(i), f"{amount},{card},{klass}"))
    outputs = []
    for fast in (True, False):
        d = MemoryDriver()
        d.create_topic("tx")
        config = EngineConfig(synchronous=True, properties=EARLIEST, processing_log=False, fast_paths=fast)
        e = Engine(config, d)
        e.execute(CREATE_TX)
        e.execute(
            "CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT ID, AMOUNT * 2 AS A, CARD, CLASS "
            "FROM TX WHERE CLASS <> 2;"
        )
        assert next(iter(e.state.persistent.values())).pipeline.fast_path is fast
        produce(d, rows)
        e.drain()
        outputs.append([(r.key, r.value) for r in d.records("O")])
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 100


def test_stream_table_join_push_and_persistent(engine: Engine, driver: MemoryDriver) -> None:
    driver.create_topic("users", partitions=2)  # co-partitioned with tx, as ksqlDB requires of a join
    engine.execute(CREATE_TX)
    engine.execute(
        "CREATE TABLE USERS (CARD STRING PRIMARY KEY, REGION STRING) "
        "WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON');"
    )
    engine.execute("INSERT INTO USERS (CARD, REGION) VALUES ('c1', 'north');")
    engine.execute("INSERT INTO USERS (CARD, REGION) VALUES ('c2', 'south');")
    [created] = engine.execute(
        "CREATE STREAM ENRICHED WITH (VALUE_FORMAT='JSON') AS SELECT t.CARD, t.AMOUNT, u.REGION "
        "FROM TX t LEFT JOIN USERS u ON t.CARD = u.CARD;"
    )
    assert created["commandStatus"]["queryId"] == "CSAS_ENRICHED_5"
    produce(driver, [("a", "1.0,c1,0"), ("b", "2.0,zz,0")])
    engine.execute("INSERT INTO USERS (CARD, REGION) VALUES ('c1', 'east');")  # a later update
    produce(driver, [("c", "3.0,c1,0")])
    engine.drain()
    out = [(r.key, json.loads(r.value)) for r in driver.records("ENRICHED")]
    # ksqlDB prefixes a qualified column with its alias only when several sources have that column
    assert out == [
        (b"c1", {"AMOUNT": 1.0, "REGION": "north"}),
        (b"zz", {"AMOUNT": 2.0, "REGION": None}),
        (b"c1", {"AMOUNT": 3.0, "REGION": "east"}),
    ]
    [desc] = engine.execute("DESCRIBE ENRICHED;")
    assert [f["name"] for f in desc["sourceDescription"]["fields"]] == ["T_CARD", "AMOUNT", "REGION"]
    with pytest.raises(KsqlError, match="stream-table joins require to join on the table's primary key"):
        engine.execute("CREATE STREAM BAD AS SELECT * FROM TX t JOIN USERS u ON t.CARD = u.REGION;")


def test_an_engine_bug_becomes_a_50000_error(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setitem(engine.executor.handlers, ast.Show, boom)
    with pytest.raises(KsqlError) as e:
        engine.execute("SHOW STREAMS;")
    assert e.value.to_entity()["error_code"] == 50000
    assert e.value.to_entity()["statementText"] == "SHOW STREAMS;"
    assert "kaput" in e.value.message


def test_show_topics_types_and_variables(engine: Engine) -> None:
    engine.execute(CREATE_TX)
    engine.execute("CREATE STREAM C1 AS SELECT * FROM TX;")
    [topics] = engine.execute("SHOW TOPICS;")
    assert {"name": "tx", "replicaInfo": [1, 1]} in topics["topics"]
    # ReservedInternalTopics hides ksql.hidden.topics and ksqlDB's own topics; SHOW TOPICS lists the
    # processing log (docs/developer-guide/ksqldb-reference/show-topics.md)
    assert not any(t["name"].startswith("_confluent-ksql-") for t in topics["topics"])
    [extended] = engine.execute("SHOW TOPICS EXTENDED;")
    tx = next(t for t in extended["topics"] if t["name"] == "tx")
    assert extended["@type"] == "kafka_topics_extended" and tx["consumerGroupCount"] == 1
    assert engine.execute("SHOW TYPES;")[0]["@type"] == "type_list"
    assert engine.execute("SHOW VARIABLES;")[0]["variables"] == []


def test_failed_delivery_is_retried_from_committed_offsets(driver: MemoryDriver) -> None:
    """A produce failure must not lose input: the query reconnects and reads the batch again."""
    engine = Engine(EngineConfig(properties=EARLIEST, poll_timeout=0.01, processing_log=False), driver)
    try:
        engine.execute(CREATE_TX)
        engine.execute("CREATE STREAM COPY AS SELECT * FROM TX;")
        query = next(iter(engine.state.persistent.values()))
        real_produce, failures = driver.produce, []

        def flaky(topic: str, records: list, wait: bool = True) -> None:
            if topic == "COPY" and not failures:
                failures.append(topic)
                raise RuntimeError("broker unavailable")
            real_produce(topic, records, wait)

        driver.produce = flaky  # type: ignore[method-assign]
        produce(driver, [("a", "1.0,c,0"), ("b", "2.0,c,0")])
        deadline = time.monotonic() + 10
        while len(driver.records("COPY")) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert failures == ["COPY"]
        assert [r.key for r in driver.records("COPY")] == [b"a", b"b"]
        assert query.state == "RUNNING"
    finally:
        engine.close()


def test_push_aggregation_emits_each_updated_row(engine: Engine, driver: MemoryDriver) -> None:
    """SELECT ... GROUP BY ... EMIT CHANGES: every input updates its group and the new row is pushed
    (ksqlDB with caching off); windowed groups carry WINDOWSTART; LIMIT ends the query."""
    engine.execute(CREATE_TX)
    produce(driver, [(f"t{i}", f"{i}.5,c{i % 2},0") for i in range(5)])
    q = engine.start_query("SELECT CARD, COUNT(*) AS N, SUM(AMOUNT) AS S FROM TX GROUP BY CARD EMIT CHANGES LIMIT 4;")
    engine.drain()
    assert q.columns == [("CARD", "STRING"), ("N", "BIGINT"), ("S", "DOUBLE")]
    assert q.poll(1.0) == [["c0", 1, 0.5], ["c1", 1, 1.5], ["c0", 2, 3.0], ["c1", 2, 5.0]]
    assert q.done
    w = engine.start_query(
        "SELECT CARD, WINDOWSTART AS WS, COUNT(*) AS N FROM TX WINDOW TUMBLING (SIZE 2 MILLISECONDS) "
        "GROUP BY CARD EMIT CHANGES;"
    )
    engine.drain()
    # timestamps 100..104: windows [100, 102) and [102, 104) and [104, 106)
    assert w.poll(1.0) == [["c0", 100, 1], ["c1", 100, 1], ["c0", 102, 1], ["c1", 102, 1], ["c0", 104, 1]]
    w.close()


def test_push_aggregation_without_group_by_keeps_one_running_group(engine: Engine, driver: MemoryDriver) -> None:
    """As ksqlDB's rest/ case `aggregate without GROUP BY expression`; a CTAS without GROUP BY still fails."""
    engine.execute(CREATE_TX)
    produce(driver, [(f"t{i}", f"{i}.5,c{i % 2},0") for i in range(3)])
    q = engine.start_query("SELECT COUNT(*) AS N, SUM(AMOUNT) AS S FROM TX EMIT CHANGES LIMIT 3;")
    engine.drain()
    assert q.poll(1.0) == [[1, 0.5], [2, 2.0], [3, 4.5]]
    with pytest.raises(KsqlError, match="does not support aggregate function"):
        engine.execute("CREATE TABLE C AS SELECT COUNT(*) AS N FROM TX;")
