"""`ksql.transient.prefix` names every transient query's Kafka Streams application id, as ksqlDB 0.29's
QueryApplicationId.build(config, false, queryId) does: `_confluent-ksql-` + ksql.service.id +
ksql.transient.prefix + query id + `_` + epoch millis (addTimeSuffix). QueryDescriptionFactory shows it as
the consumerGroupId of any query (EXPLAIN <id>, SHOW QUERIES EXTENDED), a transient one's too; EXPLAIN
<query> plans a transient query with it. The statement's config is used, so a request's override wins."""

from __future__ import annotations

import re
import time

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

STREAM = "CREATE STREAM PV (ID STRING KEY, V INT) WITH (kafka_topic='pv', value_format='json');"


def _engine(properties: dict[str, str]) -> Engine:
    driver = MemoryDriver()
    driver.create_topic("pv", 1, 1)
    engine = Engine(EngineConfig(service_id="svc_", processing_log=False, properties=properties), driver)
    engine.execute(STREAM)
    return engine


def _app_id(prefix: str, query_id: str) -> re.Pattern[str]:
    return re.compile(rf"_confluent-ksql-svc_{re.escape(prefix)}{re.escape(query_id)}_(\d+)")


def test_transient_query_application_id_follows_the_server_prefix() -> None:
    """QueryApplicationId.build(config, false, id) with the server's ksql.transient.prefix, shown by EXPLAIN
    <transient id> (looked up case-insensitively, as QueryId.equals) and SHOW QUERIES EXTENDED."""
    engine = _engine({"ksql.transient.prefix": "adhoc_"})
    before = int(time.time() * 1000)
    query = engine.start_query("SELECT * FROM PV EMIT CHANGES;")
    try:
        [explained] = engine.execute(f"EXPLAIN {query.query_id};")
        group = explained["queryDescription"]["consumerGroupId"]
        match = _app_id("adhoc_", query.query_id).fullmatch(group)
        assert match is not None, group
        assert before <= int(match.group(1)) <= int(time.time() * 1000)
        [shown] = engine.execute("SHOW QUERIES EXTENDED;")
        assert [d["consumerGroupId"] for d in shown["queryDescriptions"]] == [group]
    finally:
        query.close()
        engine.close()


def test_transient_prefix_default_and_override() -> None:
    """KSQL_TRANSIENT_QUERY_NAME_PREFIX_DEFAULT is `transient_`; a request's override names its query."""
    engine = _engine({})
    try:
        plain = engine.start_query("SELECT * FROM PV EMIT CHANGES;")
        custom = engine.start_query("SELECT * FROM PV EMIT CHANGES;", {"ksql.transient.prefix": "mine_"})
        [shown] = engine.execute("SHOW QUERIES EXTENDED;")
        groups = {d["id"]: d["consumerGroupId"] for d in shown["queryDescriptions"]}
        assert _app_id("transient_", plain.query_id).fullmatch(groups[plain.query_id])
        assert _app_id("mine_", custom.query_id).fullmatch(groups[custom.query_id])
        plain.close()
        custom.close()
    finally:
        engine.close()


def test_explain_of_a_query_uses_the_prefix() -> None:
    """ExplainExecutor.explainStatement plans the query as a transient one: its application id."""
    engine = _engine({"ksql.transient.prefix": "adhoc_"})
    try:
        [explained] = engine.execute("EXPLAIN SELECT * FROM PV EMIT CHANGES;")
        description = explained["queryDescription"]
        assert _app_id("adhoc_", description["id"]).fullmatch(description["consumerGroupId"])
    finally:
        engine.close()
