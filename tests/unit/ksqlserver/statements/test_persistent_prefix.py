"""A server started with `ksql.persistent.prefix` names every persistent query after it, as ksqlDB 0.29's
QueryApplicationId.build / buildInternalTopicPrefix do (`_confluent-ksql-` + ksql.service.id +
ksql.persistent.prefix + query id, KsqlConfig.KSQL_PERSISTENT_QUERY_NAME_PREFIX_CONFIG): the Kafka Streams
application id (shown by EXPLAIN and SHOW QUERIES EXTENDED as the consumer group), the group the query
commits under, its repartition and changelog topics; and DROP deletes those topics by the same prefix
(KsqlEngine.cleanupExternalQueryResources -> QueryCleanupService.QueryCleanupTask). A request that
overrides ksql.persistent.prefix names the queries it starts (QueryRegistryImpl builds them with the
statement's SessionConfig, overrides applied)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ksqlserver.drivers.base import Durability, Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig


class _DriverChangelog:
    """ChangelogIO and ChangelogWriter over the memory driver's own topics, so changelogs show up (and
    disappear) among the driver's topics as they do on Kafka."""

    def __init__(self, driver: MemoryDriver) -> None:
        self.driver = driver

    def ensure_topic(self, topic: str, partitions: int) -> None:
        self.driver.create_topic(topic, partitions)

    def partitions(self, topic: str) -> int:
        info = self.driver.topic(topic)
        return info.partitions if info is not None else 1

    def _log(self, topic: str, partition: int) -> list[Record]:
        return [r for r in self.driver.records(topic) if r.partition == partition]

    def read(self, topic: str, partition: int, start: int) -> tuple[list[Record], int]:
        log = self._log(topic, partition)
        return log[start:], len(log)

    def end_offset(self, topic: str, partition: int) -> int:
        return len(self._log(topic, partition))

    def produce(self, topic: str, records: Sequence[Record]) -> None:
        if self.driver.topic(topic) is not None:
            self.driver.produce(topic, records, keep_partition=True)

    def flush(self) -> None:
        pass


def _unused(*_: Any) -> Any:
    raise AssertionError("not used")


def _engine(properties: dict[str, str]) -> tuple[Engine, MemoryDriver]:
    driver = MemoryDriver()
    io = _DriverChangelog(driver)
    driver.durability = Durability("", _unused, lambda: io, lambda: io, _unused)
    driver.create_topic("tx", partitions=3)
    config = EngineConfig(
        service_id="svc_",
        synchronous=True,
        processing_log=False,
        command_topic=False,
        properties={"ksql.streams.auto.offset.reset": "earliest", **properties},
    )
    engine = Engine(config, driver)
    engine.execute("CREATE STREAM TX (ID STRING KEY, CARD STRING) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');")
    rows = [Record(f"t{i}".encode(), json.dumps({"CARD": f"c{i % 4}"}).encode(), 1_000 + i, i % 3) for i in range(30)]
    driver.produce("tx", rows)
    return engine, driver


def _run_aggregation(engine: Engine, overrides: dict[str, str] | None = None) -> str:
    # grouped by a value column of a 3-partition stream: a repartition topic and a changelog
    [entity] = engine.execute(
        "CREATE TABLE BY_CARD AS SELECT CARD, COUNT(*) AS N FROM TX GROUP BY CARD;", overrides or {}
    )
    engine.drain()
    return str(entity["commandStatus"]["queryId"])


def test_a_server_prefix_names_the_application_id_group_and_internal_topics_and_drop_cleans_them() -> None:
    """QueryApplicationId.build(config, true, queryId) with ksql.persistent.prefix = `pq-`; DROP TABLE
    deletes the query's internal topics (QueryCleanupService.QueryCleanupTask's `<app id>-` prefix)."""
    engine, driver = _engine({"ksql.persistent.prefix": "pq-"})
    try:
        qid = _run_aggregation(engine)
        app_id = f"_confluent-ksql-svc_pq-{qid}"
        [explain] = engine.execute(f"EXPLAIN {qid};")
        assert explain["queryDescription"]["consumerGroupId"] == app_id
        [shown] = engine.execute("SHOW QUERIES EXTENDED;")
        assert [d["consumerGroupId"] for d in shown["queryDescriptions"]] == [app_id]

        internal = sorted(t for t in driver.topics() if t.startswith("_confluent-ksql-"))
        assert f"{app_id}-Aggregate-GroupBy-repartition" in internal
        assert any(t.startswith(f"{app_id}-") and t.endswith("-changelog") for t in internal)
        assert all(t.startswith(f"{app_id}-") for t in internal), internal
        assert not any("query_" in t for t in internal)
        # the aggregation reads its repartition topic under the application id as consumer group
        assert driver.committed(app_id, f"{app_id}-Aggregate-GroupBy-repartition")
        counts = {r.key: r for r in driver.records("BY_CARD")}
        assert len(counts) == 4

        [dropped] = engine.execute("DROP TABLE BY_CARD;")
        assert dropped["commandStatus"]["status"] == "SUCCESS"
        assert not engine.state.persistent
        assert not [t for t in driver.topics() if t.startswith(app_id)]
    finally:
        engine.close()


def test_the_default_prefix_is_query_() -> None:
    """KsqlConfig.KSQL_PERSISTENT_QUERY_NAME_PREFIX_DEFAULT (`query_`) when the server sets nothing."""
    engine, driver = _engine({})
    try:
        qid = _run_aggregation(engine)
        app_id = f"_confluent-ksql-svc_query_{qid}"
        [explain] = engine.execute(f"EXPLAIN {qid};")
        assert explain["queryDescription"]["consumerGroupId"] == app_id
        assert f"{app_id}-Aggregate-GroupBy-repartition" in driver.topics()
        assert all(t.startswith(f"{app_id}-") for t in driver.topics() if t.startswith("_confluent-ksql-"))
    finally:
        engine.close()


def test_a_request_override_names_the_queries_it_starts() -> None:
    """QueryRegistryImpl.createOrReplacePersistentQuery builds the query with the statement's
    SessionConfig.getConfig(true) (overrides applied), so QueryApplicationId.build takes the request's
    ksql.persistent.prefix; the query's cleanup deletes by that application id (QueryCleanupTask's appId)."""
    engine, driver = _engine({"ksql.persistent.prefix": "pq-"})
    try:
        qid = _run_aggregation(engine, {"ksql.persistent.prefix": "over-"})
        app_id = f"_confluent-ksql-svc_over-{qid}"
        [explain] = engine.execute(f"EXPLAIN {qid};")
        assert explain["queryDescription"]["consumerGroupId"] == app_id
        internal = [t for t in driver.topics() if t.startswith("_confluent-ksql-")]
        assert f"{app_id}-Aggregate-GroupBy-repartition" in internal
        assert all(t.startswith(f"{app_id}-") for t in internal), internal
        # EXPLAIN of a statement: the description of the query it would build, with the request's config
        [planned] = engine.execute(
            "EXPLAIN CREATE STREAM S2 AS SELECT * FROM TX;", {"ksql.persistent.prefix": "other-"}
        )
        assert planned["queryDescription"]["consumerGroupId"].startswith("_confluent-ksql-svc_other-CSAS_S2_")
        engine.execute("DROP TABLE BY_CARD;")
        assert not [t for t in driver.topics() if t.startswith("_confluent-ksql-")]
        # a CREATE SOURCE TABLE's query (PersistentQueryType.CREATE_SOURCE) as well
        [created] = engine.execute(
            "CREATE SOURCE TABLE CARDS (CARD STRING PRIMARY KEY, N INT) "
            "WITH (KAFKA_TOPIC='cards', VALUE_FORMAT='JSON', PARTITIONS=1);",
            {"ksql.persistent.prefix": "src-"},
        )
        cst = created["commandStatus"]["queryId"]
        [shown] = engine.execute("SHOW QUERIES EXTENDED;")
        assert [d["consumerGroupId"] for d in shown["queryDescriptions"]] == [f"_confluent-ksql-svc_src-{cst}"]
    finally:
        engine.close()
