"""docs/how-to-guides/update-a-running-persistent-query.md: CREATE OR REPLACE as an in-place upgrade (the same
query id, resuming where the old query left off), what may change (filters, columns added at the end of a
source, filters of a stream aggregation over already-selected columns) and what may not (ksqlDB 0.29's
messages: StructuredDataSource.canUpgradeTo via EngineExecutor, ExecutionStep.mustMatch /
validateUpgrade, StreamSource.validateUpgrade), and the replacing upgrade (TERMINATE, DROP, create again)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.errors import KsqlError

from .conftest import Docs

PURCHASES = ("CREATE STREAM purchases (product_id INT KEY, name VARCHAR, cost DOUBLE, quantity INT) "
             "WITH (KAFKA_TOPIC='purchases', VALUE_FORMAT='JSON', KEY_FORMAT='JSON');")  # fmt: skip
PURCHASES_V2 = ("CREATE OR REPLACE STREAM purchases (product_id INT KEY, name VARCHAR, cost DOUBLE, quantity INT, "
                "popularity DOUBLE) WITH (KAFKA_TOPIC='purchases', VALUE_FORMAT='JSON', KEY_FORMAT='JSON');")  # fmt: skip
VALID = "CREATE STREAM valid_purchases AS SELECT * FROM purchases WHERE cost > 0.00 AND quantity > 0;"
VALID_V2 = "CREATE OR REPLACE STREAM valid_purchases AS SELECT * FROM purchases WHERE quantity > 0;"
STATS = ("CREATE TABLE purchase_stats AS SELECT product_id, COUNT(*) AS num_sales, "
         "AVG(cost * quantity) AS average_sale FROM valid_purchases{where} GROUP BY product_id;")  # fmt: skip


def _setup(h: Docs) -> Docs:
    h.ensure_topics("purchases")
    h.sql(PURCHASES)
    h.sql(VALID)
    return h


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as err:
        h.sql(sql)
    return err.value.message


def _names(h: Docs, sink: str) -> list[str]:
    return [v["NAME"] for _, v, _ in h.stamped(sink)]


def _values(h: Docs, name: str) -> list[tuple[str, str]]:
    return [(c.name, str(c.type)) for c in h.source(name).schema.value_only]


def test_data_selection_upgrade(docs: Any) -> None:
    """"Data selection": dropping `cost > 0.00` keeps the query id (CREATE OR REPLACE replaces the query in
    place) and continues from the last record the old query processed: the earlier refund (a) stays
    filtered out, the later one (c) passes."""
    h = _setup(docs())
    h.produce("purchases", "1", {"NAME": "a", "COST": -1.0, "QUANTITY": 1}, 1000)
    h.produce("purchases", "2", {"NAME": "b", "COST": 2.0, "QUANTITY": 1}, 1000)
    h.drain()
    assert _names(h, "VALID_PURCHASES") == ["b"]
    [status] = h.sql(VALID_V2)
    assert status["commandStatus"]["queryId"] == "CSAS_VALID_PURCHASES_0"
    [listed] = h.sql("SHOW QUERIES;")
    assert [q["id"] for q in listed["queries"]] == ["CSAS_VALID_PURCHASES_0"]
    h.produce("purchases", "3", {"NAME": "c", "COST": -3.0, "QUANTITY": 1}, 2000)
    h.produce("purchases", "4", {"NAME": "d", "COST": 3.0, "QUANTITY": 0}, 2000)
    h.drain()
    assert _names(h, "VALID_PURCHASES") == ["b", "c"]


def test_schema_evolution_upgrade(docs: Any) -> None:
    """"Schema evolution": a source may gain a column at the end; `SELECT *` is resolved when the query is
    issued, so valid_purchases gains POPULARITY only once its statement is issued again."""
    h = _setup(docs())
    h.sql(PURCHASES_V2)
    assert _values(h, "PURCHASES")[-1] == ("POPULARITY", "DOUBLE")
    assert [n for n, _ in _values(h, "VALID_PURCHASES")] == ["NAME", "COST", "QUANTITY"]
    h.sql(VALID_V2)
    assert [n for n, _ in _values(h, "VALID_PURCHASES")] == ["NAME", "COST", "QUANTITY", "POPULARITY"]
    h.produce("purchases", "4", {"NAME": "d", "COST": 3.0, "QUANTITY": 1, "POPULARITY": 0.5}, 3000)
    h.drain()
    assert [v for _, v, _ in h.stamped("VALID_PURCHASES")] == [
        {"NAME": "d", "COST": 3.0, "QUANTITY": 1, "POPULARITY": 0.5}
    ]


def test_schema_evolution_only_adds_columns_at_the_end(docs: Any) -> None:
    """"ksqlDB supports only adding new columns at the end of the schema. Removing, renaming, or changing the
    type of any existing field is invalid" (StructuredDataSource.canUpgradeTo's message)."""
    h = _setup(docs())
    head = "Cannot upgrade data source: DataSource '`PURCHASES`' has schema = `PRODUCT_ID` INTEGER KEY, " \
           "`NAME` STRING, `COST` DOUBLE, `QUANTITY` INTEGER which is not upgradeable to "  # fmt: skip
    with_props = " WITH (KAFKA_TOPIC='purchases', VALUE_FORMAT='JSON', KEY_FORMAT='JSON');"
    removed = "CREATE OR REPLACE STREAM purchases (product_id INT KEY, name VARCHAR, cost DOUBLE)" + with_props
    assert _error(h, removed) == head + (
        "`PRODUCT_ID` INTEGER KEY, `NAME` STRING, `COST` DOUBLE. (The following columns are changed, missing "
        "or reordered: [`QUANTITY` INTEGER])"
    )
    renamed = "CREATE OR REPLACE STREAM purchases (product_id INT KEY, nm VARCHAR, cost DOUBLE, quantity INT)"
    assert _error(h, renamed + with_props) == head + (
        "`PRODUCT_ID` INTEGER KEY, `NM` STRING, `COST` DOUBLE, `QUANTITY` INTEGER. (The following columns are "
        "changed, missing or reordered: [`NAME` STRING])"
    )
    retyped = "CREATE OR REPLACE STREAM purchases (product_id INT KEY, name VARCHAR, cost INT, quantity INT)"
    assert _error(h, retyped + with_props) == head + (
        "`PRODUCT_ID` INTEGER KEY, `NAME` STRING, `COST` INTEGER, `QUANTITY` INTEGER. (The following columns "
        "are changed, missing or reordered: [`COST` DOUBLE])"
    )
    rekeyed = "CREATE OR REPLACE STREAM valid_purchases AS SELECT * FROM purchases PARTITION BY name;"
    assert _error(h, rekeyed) == (
        "Cannot upgrade data source: DataSource '`VALID_PURCHASES`' has schema = `PRODUCT_ID` INTEGER KEY, "
        "`NAME` STRING, `COST` DOUBLE, `QUANTITY` INTEGER which is not upgradeable to `NAME` STRING KEY, "
        "`COST` DOUBLE, `QUANTITY` INTEGER, `PRODUCT_ID` INTEGER. (Key columns must be identical. The "
        "following key columns are changed, missing or reordered: [`PRODUCT_ID` INTEGER KEY])"
    )
    assert _error(h, "CREATE OR REPLACE TABLE purchases (product_id INT PRIMARY KEY, name VARCHAR, cost DOUBLE, "
                     "quantity INT)" + with_props).startswith(
        "Cannot upgrade data source: DataSource '`PURCHASES`' has type = KSTREAM which is not upgradeable to KTABLE"
    )  # fmt: skip


def test_stateful_data_selection(docs: Any) -> None:
    """"Stateful data selection": purchase_stats (a stream aggregation) gains `WHERE cost > 0`: the query id
    stays and what was counted before remains counted (the refund of product 1 at first, then a later
    refund that no longer counts)."""
    h = _setup(docs())
    h.sql(VALID_V2)
    h.sql(STATS.format(where=""))
    h.produce("purchases", "1", {"NAME": "a", "COST": 2.0, "QUANTITY": 1}, 1000)
    h.produce("purchases", "1", {"NAME": "a", "COST": -2.0, "QUANTITY": 1}, 2000)
    h.drain()
    [status] = h.sql("CREATE OR REPLACE " + STATS.format(where=" WHERE cost > 0")[len("CREATE "):])
    assert status["commandStatus"]["queryId"] == "CTAS_PURCHASE_STATS_1"
    h.produce("purchases", "1", {"NAME": "a", "COST": -2.0, "QUANTITY": 1}, 3000)
    h.produce("purchases", "1", {"NAME": "a", "COST": 4.0, "QUANTITY": 1}, 4000)
    h.drain()
    assert [(v["NUM_SALES"], v["AVERAGE_SALE"]) for _, v, _ in h.stamped("PURCHASE_STATS")] == [
        (1, 2.0), (2, 0.0), (3, 4 / 3)
    ]  # fmt: skip


def test_stateful_filter_only_on_selected_fields(docs: Any) -> None:
    """"Additional restrictions on stateful data selection": the intermediate schema must stay identical, so
    a filter may not reference a column the aggregation did not already select (StreamAggregate's
    nonAggregateColumns must match: ExecutionStep.mustMatch), nor may an aggregate column go."""
    h = _setup(docs())
    h.sql(VALID_V2)
    h.sql(STATS.format(where=""))
    replace = "CREATE OR REPLACE " + STATS.format(where=" WHERE name = 'x'")[len("CREATE "):]
    assert _error(h, replace) == (
        "Query is not upgradeable. Plan step of type StreamAggregate must have matching columns not part of "
        "aggregate. Values differ: [`PRODUCT_ID`, `ROWTIME`, `COST`, `QUANTITY`] vs. "
        "[`PRODUCT_ID`, `ROWTIME`, `COST`, `QUANTITY`, `NAME`]"
    )
    dropped = ("CREATE OR REPLACE TABLE purchase_stats AS SELECT product_id, COUNT(*) AS num_sales "
               "FROM valid_purchases GROUP BY product_id;")  # fmt: skip
    assert _error(h, dropped) == (
        "Cannot upgrade data source: DataSource '`PURCHASE_STATS`' has schema = `PRODUCT_ID` INTEGER KEY, "
        "`NUM_SALES` BIGINT, `AVERAGE_SALE` DOUBLE which is not upgradeable to `PRODUCT_ID` INTEGER KEY, "
        "`NUM_SALES` BIGINT. (The following columns are changed, missing or reordered: "
        "[`AVERAGE_SALE` DOUBLE])"
    )


def test_unsupported_upgrades(docs: Any) -> None:
    """"Any in place upgrades on windowed or joined sources, as well as upgrades on any table aggregation,
    are not yet supported" (ExecutionStep.type: "Upgrades not yet supported for <step>"); swapping the
    source of a query changes StreamSource's topic (mustMatch). The values are new-then-old here: a passive
    step validates by calling `to.validateUpgrade(its own source)`, so the sides swap at each passive step
    and the old plan's filter (absent from the new one) leaves the new StreamSource comparing itself with
    the old. The sink's topic or formats may not change (StructuredDataSource.canUpgradeTo)."""
    h = _setup(docs())
    h.ensure_topics("p2", "t")
    h.sql("CREATE STREAM p2 (product_id INT KEY, name VARCHAR, cost DOUBLE, quantity INT) "
          "WITH (KAFKA_TOPIC='p2', VALUE_FORMAT='JSON', KEY_FORMAT='JSON');")  # fmt: skip
    h.sql("CREATE TABLE t (product_id INT PRIMARY KEY, label VARCHAR) "
          "WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', KEY_FORMAT='JSON');")  # fmt: skip
    assert _error(h, "CREATE OR REPLACE STREAM valid_purchases AS SELECT * FROM p2;") == (
        "Query is not upgradeable. Plan step of type StreamSource must have matching topicName. "
        "Values differ: p2 vs. purchases"
    )
    join = "SELECT p.product_id, p.name, t.label FROM purchases p JOIN t ON p.product_id = t.product_id"
    h.sql(f"CREATE STREAM j AS {join};")
    assert _error(h, f"CREATE OR REPLACE STREAM j AS {join} WHERE p.quantity > 0;") == (
        "Upgrades not yet supported for StreamTableJoin"
    )
    windowed = "SELECT product_id, COUNT(*) AS c FROM purchases WINDOW TUMBLING (SIZE 1 MINUTE){} GROUP BY product_id"
    h.sql(f"CREATE TABLE w AS {windowed.format('')};")
    assert _error(h, f"CREATE OR REPLACE TABLE w AS {windowed.format(' WHERE cost > 0')};") == (
        "Upgrades not yet supported for StreamWindowedAggregate"
    )
    h.sql("CREATE TABLE ta AS SELECT label, COUNT(*) AS c FROM t GROUP BY label;")
    assert _error(h, "CREATE OR REPLACE TABLE ta AS SELECT label, COUNT(*) AS c FROM t WHERE product_id > 0 "
                     "GROUP BY label;") == "Upgrades not yet supported for TableAggregate"  # fmt: skip
    assert _error(h, "CREATE OR REPLACE STREAM valid_purchases WITH (KAFKA_TOPIC='other') AS "
                     "SELECT * FROM purchases;").startswith(
        "Cannot upgrade data source: DataSource '`VALID_PURCHASES`' has topic = KsqlTopic{kafkaTopicName="
        "'VALID_PURCHASES'"
    )  # fmt: skip


def test_replacing_upgrade(docs: Any) -> None:
    """"Replacing upgrades": TERMINATE the query, DROP its table, set auto.offset.reset to earliest and
    create it again: the new query (a new id) reads from the start. The page drops it as `DROP STREAM
    purchase_stats`; a table is dropped with DROP TABLE (DropSourceFactory refuses the other kind), and the
    page's query id CTAS_PURCHASE_STATS_0 is CTAS_PURCHASE_STATS_1 here (the counter counts
    valid_purchases' query first)."""
    h = _setup(docs())
    h.sql(VALID_V2)
    h.sql(STATS.format(where=""))
    h.produce("purchases", "1", {"NAME": "a", "COST": 2.0, "QUANTITY": 1}, 1000)
    h.produce("purchases", "1", {"NAME": "a", "COST": -2.0, "QUANTITY": 1}, 2000)
    h.drain()
    h.sql("TERMINATE CTAS_PURCHASE_STATS_1;")
    assert _error(h, "DROP STREAM purchase_stats;") == (
        "Incompatible data source type is table, but statement was DROP stream"
    )
    h.sql("DROP TABLE purchase_stats;")
    [status] = h.sql(STATS.format(where=" WHERE cost > 0"))
    assert status["commandStatus"]["queryId"] == "CTAS_PURCHASE_STATS_2"
    h.drain()
    assert [(v["NUM_SALES"], v["AVERAGE_SALE"]) for _, v, _ in h.stamped("PURCHASE_STATS")][-1] == (1, 2.0)
