"""Windowed aggregation rules of ksqlDB 0.29 and the Kafka Streams 3.5 it builds on, beyond the common
cases. Each test names the source it follows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    d.create_topic("a", partitions=1)
    e = Engine(EngineConfig(service_id="wf_", synchronous=True), d)
    e.execute("CREATE STREAM S (ID STRING KEY, V INT) WITH (kafka_topic='a', value_format='JSON');")
    yield e
    e.close()


WRAPPED = "Could not determine output schema for query due to error: "  # SchemaRegisterInjector


def _error(engine: Engine, sql: str) -> KsqlError:
    with pytest.raises(KsqlError) as err:
        engine.execute(sql)
    return err.value


# TimeWindowedKStreamImpl.materialize: the grouped stream's name is ksqlDB's Prepare projection when it
# groups by key (KStreamImpl.groupByKey keeps the stream's name), its GroupBy node when it re-keys
@pytest.mark.parametrize(
    ("group_by", "name"), [("ID", "Aggregate-Prepare"), ("V", "Aggregate-GroupBy"), ("ID, V", "Aggregate-GroupBy")]
)
def test_retention_below_size_plus_grace_is_refused_by_kafka_streams(engine: Engine, group_by: str, name: str) -> None:
    err = _error(
        engine,
        f"CREATE TABLE T AS SELECT {group_by}, COUNT(*) C FROM S "
        f"WINDOW TUMBLING (SIZE 10 SECONDS, RETENTION 5 SECONDS, GRACE PERIOD 1 SECOND) GROUP BY {group_by};",
    )
    assert err.message == (
        f"The retention period of the window store {name} must be no smaller than its window size plus the "
        "grace period. Got size=[10000], grace=[1000], retention=[5000]"
    )
    assert err.error_code == 50000  # an IllegalArgumentException: KsqlResource's server error
    assert engine.state.metastore.get("T") is None  # nothing registered


def test_retention_without_grace_counts_the_default_24_hours(engine: Engine) -> None:
    # TimeWindows.of(size): grace = 24 h - size, so a RETENTION under 24 h needs a GRACE PERIOD
    err = _error(
        engine,
        "CREATE TABLE T AS SELECT ID, COUNT(*) C FROM S "
        "WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS, RETENTION 2 HOURS) GROUP BY ID;",
    )
    assert "Got size=[10000], grace=[86390000], retention=[7200000]" in err.message
    engine.execute(
        "CREATE TABLE OK1 AS SELECT ID, COUNT(*) C FROM S WINDOW TUMBLING (SIZE 30 SECONDS, RETENTION 1 DAY) GROUP BY ID;"
    )
    engine.execute(
        "CREATE TABLE OK2 AS SELECT ID, COUNT(*) C FROM S "
        "WINDOW TUMBLING (SIZE 10 SECONDS, RETENTION 11 SECONDS, GRACE PERIOD 1 SECOND) GROUP BY ID;"
    )


def test_session_retention_below_gap_plus_grace_names_the_store(engine: Engine) -> None:
    # SessionWindowedKStreamImpl.materialize words it with the gap and names the materialized store
    err = _error(
        engine,
        "CREATE TABLE T AS SELECT ID, COUNT(*) C FROM S "
        "WINDOW SESSION (10 SECONDS, RETENTION 15 SECONDS, GRACE PERIOD 6 SECONDS) GROUP BY ID;",
    )
    assert err.message == (
        "The retention period of the session store Aggregate-Aggregate-Materialize must be no smaller than the "
        "session inactivity gap plus the grace period. Got gap=[10000], grace=[6000], retention=[15000]"
    )


def test_push_query_is_refused_too(engine: Engine) -> None:
    with pytest.raises(KsqlError) as caught:
        engine.start_query(
            "SELECT ID, COUNT(*) C FROM S WINDOW TUMBLING (SIZE 10 SECONDS, RETENTION 5 SECONDS, GRACE PERIOD 0 SECONDS) "
            "GROUP BY ID EMIT CHANGES;"
        )
    assert caught.value.message.startswith("The retention period of the window store Aggregate-Prepare")


BOUNDS = (
    "can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.\n"
    "See https://github.com/confluentinc/ksql/issues/4397"
)


def test_window_bounds_in_a_windowed_group_by_are_refused_by_the_aggregate_analysis(engine: Engine) -> None:
    # Analysis.getFromSourceSchemas(true) resolves WINDOWSTART in a windowed query's GROUP BY; the
    # LogicalPlanner's AggregateAnalyzer.processGroupBy then refuses it
    err = _error(
        engine,
        "CREATE TABLE T AS SELECT ID, WINDOWSTART AS WS, COUNT(*) C FROM S WINDOW TUMBLING (SIZE 10 SECONDS) "
        "GROUP BY ID, WINDOWSTART;",
    )
    # refused while SchemaRegisterInjector's sandbox plans the statement: its prefix goes first
    assert err.message == f"{WRAPPED}Window bounds column WINDOWSTART {BOUNDS}"
    # the projection's aggregates are looked at first (processSelect)
    err = _error(
        engine,
        "CREATE TABLE T AS SELECT ID, MAX(WINDOWEND) AS M FROM S WINDOW TUMBLING (SIZE 10 SECONDS) "
        "GROUP BY ID, WINDOWSTART;",
    )
    assert err.message == f"{WRAPPED}Window bounds column WINDOWEND {BOUNDS}"
    # without a WINDOW clause the bounds are no columns at all
    err = _error(engine, "CREATE TABLE T AS SELECT ID, COUNT(*) C FROM S GROUP BY ID, WINDOWSTART;")
    assert "GROUP BY column 'WINDOWSTART' cannot be resolved." in err.message


# TopicCreateInjector: a table's topic is compacted (a windowed CTAS's is compacted and deleted, keeping the
# window's retention); the cleanup policy is never the user's, nor a non-windowed table's retention
def test_retention_and_cleanup_policy_in_with_clauses(engine: Engine) -> None:
    cleanup = "Invalid config variable in the WITH clause: CLEANUP_POLICY.\nThe CLEANUP_POLICY config is automatically"
    retention = "Invalid config variable in the WITH clause: RETENTION_MS. Non-windowed tables do not support retention."
    assert _error(engine, "CREATE TABLE A1 WITH (RETENTION_MS=5000) AS SELECT ID, COUNT(*) C FROM S GROUP BY ID;").message == retention
    err = _error(engine, "CREATE STREAM A4 WITH (CLEANUP_POLICY='delete') AS SELECT * FROM S;")
    assert err.message.startswith(cleanup)
    assert err.error_code == 40000
    assert _error(
        engine, "CREATE TABLE T (ID STRING PRIMARY KEY, V INT) WITH (kafka_topic='a', value_format='JSON', retention_ms=1);"
    ).message == retention
    engine.execute(
        "CREATE TABLE A2 WITH (RETENTION_MS=5000) AS SELECT ID, COUNT(*) C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID;"
    )
    engine.execute("CREATE STREAM A3 WITH (RETENTION_MS=5000) AS SELECT * FROM S;")


def test_emit_final_needs_suppression_enabled(engine: Engine) -> None:
    # LogicalPlanner.buildPersistentLogicalPlan: ksql.suppress.enabled is checked before the windowing
    off = {"ksql.suppress.enabled": "false"}
    # (while SchemaRegisterInjector's sandbox plans the statement: its prefix goes first)
    disabled = WRAPPED + "Suppression is currently disabled. You can enable it by setting ksql.suppress.enabled to true"
    windowed = "SELECT ID, COUNT(*) C FROM S WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID EMIT FINAL;"
    with pytest.raises(KsqlError) as err:
        engine.execute(f"CREATE TABLE F AS {windowed}", properties=off)
    assert err.value.message == disabled
    with pytest.raises(KsqlError) as err:
        engine.execute("CREATE TABLE F AS SELECT ID, COUNT(*) C FROM S GROUP BY ID EMIT FINAL;", properties=off)
    assert err.value.message == disabled
    with pytest.raises(KsqlError) as err:
        engine.execute("CREATE STREAM F AS SELECT * FROM S EMIT FINAL;", properties=off)
    assert err.value.message == disabled
    engine.execute(f"CREATE TABLE F AS {windowed}")


@pytest.mark.parametrize(
    ("window", "message"),
    [
        # WindowInfo.of (the sink's key format) before Kafka Streams sees the window: while
        # SchemaRegisterInjector's sandbox plans the statement, whose prefix goes first
        ("TUMBLING (SIZE 0 SECONDS)", "Could not determine output schema for query due to error: Size must be positive"),
        (
            "HOPPING (SIZE 0 SECONDS, ADVANCE BY 0 SECONDS)",
            "Could not determine output schema for query due to error: Size must be positive",
        ),
        # the TimeWindows / SessionWindows constructors
        (
            "HOPPING (SIZE 10 SECONDS, ADVANCE BY 20 SECONDS)",
            "Window advancement interval should be more than zero and less than window duration which is 10000 ms, "
            "but given advancement interval is: 20000 ms",
        ),
        ("SESSION (0 SECONDS)", "Gap time cannot be zero or negative."),
    ],
)
def test_windows_kafka_streams_cannot_build(engine: Engine, window: str, message: str) -> None:
    err = _error(engine, f"CREATE TABLE T AS SELECT ID, COUNT(*) C FROM S WINDOW {window} GROUP BY ID;")
    assert err.message == message


def test_a_hop_as_long_as_the_window_is_accepted(engine: Engine) -> None:
    engine.execute(
        "CREATE TABLE T AS SELECT ID, COUNT(*) C FROM S WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 10 SECONDS) "
        "GROUP BY ID;"
    )


# SqlBase.g4's `number` takes a sign (AstBuilder: Long.parseLong); Kafka Streams' window constructors refuse a
# negative grace (TimeWindows.grace / SessionWindows.grace) and Materialized.withRetention a negative
# retention, while the topology is built (observed on ksqlDB 0.29: genc/gc_errors 'err grace negative')
@pytest.mark.parametrize(
    ("window", "message"),
    [
        ("TUMBLING (SIZE 1 SECOND, GRACE PERIOD -1 SECONDS)", "Grace period must not be negative."),
        ("SESSION (1 SECOND, GRACE PERIOD -2 SECONDS)", "Grace period must not be negative."),
        ("TUMBLING (SIZE 1 SECOND, RETENTION -5 SECONDS)", "Retention must not be negative."),
        ("HOPPING (SIZE 2 SECONDS, ADVANCE BY -1 SECOND)", "given advancement interval is: -1000 ms"),
    ],
)
def test_negative_window_numbers_parse_and_kafka_streams_refuses_them(
    engine: Engine, window: str, message: str
) -> None:
    err = _error(engine, f"CREATE TABLE T AS SELECT ID, COUNT(*) C FROM S WINDOW {window} GROUP BY ID;")
    assert message in err.message
    assert engine.state.metastore.get("T") is None


def test_grouping_a_windowed_stream_by_its_key_is_refused(engine: Engine) -> None:
    """SchemaKStream.groupByKey throws for a windowed key format: only a re-keying GROUP BY works."""
    engine.execute(
        "CREATE STREAM W (ID STRING KEY, V INT) WITH (kafka_topic='a', value_format='JSON', "
        "window_type='TUMBLING', window_size='2 SECONDS');"
    )
    err = _error(
        engine, "CREATE TABLE T AS SELECT ID, COUNT(*) C FROM W WINDOW TUMBLING (SIZE 5 SECONDS) GROUP BY ID;"
    )
    assert err.message == WRAPPED + "Group by on windowed should always require rekey"
    engine.execute("CREATE TABLE T2 AS SELECT V, COUNT(*) C FROM W GROUP BY V;")  # re-keyed: accepted


def test_windowed_state_in_a_delimited_source_names_the_store_schema(engine: Engine) -> None:
    """StreamAggregateBuilder.WindowedAggregator builds its store's value serde unwrapped (a non-windowed
    aggregation's MaterializationUtil wraps the same failure in the 'intermediate type' message)."""
    engine.execute(
        "CREATE STREAM D (ID STRING KEY, G STRING, U STRING, I INT) WITH (kafka_topic='a', value_format='DELIMITED');"
    )
    err = _error(
        engine,
        "CREATE TABLE T AS SELECT G, COUNT_DISTINCT(U) AS N FROM D WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY G;",
    )
    assert err.message.startswith(
        "Value format does not support schema.\nformat: DELIMITED\nschema: Persistence{columns=[`G` STRING, "
        "`U` STRING, `KSQL_AGG_VARIABLE_0` ARRAY<INTEGER>], features=[]}\nreason: The 'DELIMITED' format does "
        "not support type 'ARRAY', column: `KSQL_AGG_VARIABLE_0`"
    )
    err = _error(engine, "CREATE TABLE T AS SELECT G, AVG(I) AS A FROM D GROUP BY G;")
    assert err.message.startswith("One of the functions used in the statement has an intermediate type")


def test_a_decimal_window_number_fails_as_long_parse_long_does(engine: Engine) -> None:
    """AstBuilder.getTimeClause: Long.parseLong(number.getText()) (observed: genc/gc_winnum 'wn size decimal')."""
    err = _error(engine, "CREATE TABLE T AS SELECT ID, COUNT(*) C FROM S WINDOW TUMBLING (SIZE 1.5 SECONDS) GROUP BY ID;")
    assert err.message.startswith('Failed to prepare statement: For input string: "1.5"')


def test_an_aggregate_of_a_bare_null_is_refused(engine: Engine) -> None:
    """The Prepare step selects a non-column argument; CodeGenRunner refuses a NULL without a type."""
    err = _error(engine, "CREATE TABLE T AS SELECT ID, COUNT(NULL) AS C FROM S GROUP BY ID;")
    assert err.message == WRAPPED + "Invalid Select: NULL expression not supported."
