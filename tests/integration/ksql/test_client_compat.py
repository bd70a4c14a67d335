"""The original demo's KSQL flow with the unchanged `ksql-python-ng` client, on real Kafka.

Data: `creditcard_extended.csv` (10 rows; row 4 has an empty Class, rows 6 and 10 are frauds).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
from ksql.utils import get_stream_info

from ksql import KSQLAPI

pytestmark = pytest.mark.integration

EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}
V_COLUMNS = [f"V{i}" for i in range(1, 29)]
SOURCE_COLUMNS = [
    "Id bigint",
    "Timestamp varchar",
    "User varchar",
    "Time int",
    *[f"{name} double" for name in V_COLUMNS],
    "Amount double",
    "Class string",
]


def create_topic(bootstrap: str, topic: str) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})  # keep a reference until the futures resolve
    futures = admin.create_topics(
        [NewTopic(topic, num_partitions=1, replication_factor=1)]
    )
    for future in futures.values():
        future.result(timeout=30)


def produce_lines(bootstrap: str, topic: str, lines: list[str]) -> None:
    producer = Producer({"bootstrap.servers": bootstrap})
    for line in lines:
        producer.produce(topic, value=line.encode("utf-8"))
    assert producer.flush(30) == 0


def rows_of(chunks: list[str]) -> list[list[Any]]:
    """Header first, then one row per chunk: what the client yields for the delimited format."""
    assert "columnNames" in json.loads(chunks[0])
    return [json.loads(chunk) for chunk in chunks[1:]]


@dataclass
class Demo:
    client: KSQLAPI
    source: str
    preprocessed: str
    bootstrap: str
    lines: list[str]


@pytest.fixture(scope="module")
def seed_lines(seed_dir: Path) -> list[str]:
    path = seed_dir / "creditcard_extended.csv"
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def demo(ksql_url: str, bootstrap_servers: str, seed_lines: list[str]) -> Iterator[Demo]:
    import uuid

    suffix = uuid.uuid4().hex[:8].upper()
    source, preprocessed = f"CREDITCARDFRAUD_SOURCE_{suffix}", f"CREDITCARDFRAUD_PREPROCESSED_{suffix}"
    topic = source.lower()
    create_topic(bootstrap_servers, topic)
    client = KSQLAPI(ksql_url)
    assert client.create_stream(
        table_name=source, columns_type=SOURCE_COLUMNS, topic=topic, value_format="DELIMITED"
    )
    assert client.create_stream_as(
        table_name=preprocessed,
        select_columns=["Id", "Time", *V_COLUMNS, "Amount", "Class"],
        src_table=source,
        kafka_topic=preprocessed.lower(),
        value_format="JSON",
        conditions="Class IS NOT NULL",
    )
    produce_lines(bootstrap_servers, topic, seed_lines)  # after the CSAS: persistent queries read from latest
    yield Demo(client, source, preprocessed, bootstrap_servers, seed_lines)


def test_show_streams(ksql_url: str) -> None:
    response = KSQLAPI(ksql_url).ksql("show streams")
    assert response[0]["@type"] == "streams"
    assert isinstance(response[0]["streams"], list)


def test_created_streams_are_listed_and_described(demo: Demo) -> None:
    names = {s["name"] for s in demo.client.ksql("show streams")[0]["streams"]}
    assert {demo.source, demo.preprocessed} <= names
    described = demo.client.ksql(f"DESCRIBE {demo.source}")[0]["sourceDescription"]
    assert [f["name"] for f in described["fields"]][:4] == ["ID", "TIMESTAMP", "USER", "TIME"]
    assert described["valueFormat"] == "DELIMITED"
    info = get_stream_info(demo.client, demo.preprocessed)
    assert info is not None and info["valueFormat"] == "JSON"
    assert [f["name"] for f in info["fields"]][-2:] == ["AMOUNT", "CLASS"]
    assert len(info["writeQueries"]) == 1


def test_push_query_with_limit_returns_the_rows(demo: Demo) -> None:
    chunks = list(
        demo.client.query(
            f"SELECT Id, User, Amount FROM {demo.source} EMIT CHANGES LIMIT 3", stream_properties=EARLIEST
        )
    )
    assert json.loads(chunks[0])["columnNames"] == ["ID", "USER", "AMOUNT"]
    expected_amounts = [float(line.split(",")[-2]) for line in demo.lines[:3]]
    assert rows_of(chunks) == [
        [1, "Kai", expected_amounts[0]],
        [2, "Hans", expected_amounts[1]],
        [3, "Kai", expected_amounts[2]],
    ]


def test_csas_filters_rows_without_class(demo: Demo) -> None:
    chunks = list(
        demo.client.query(
            f"SELECT Id, Class FROM {demo.preprocessed} EMIT CHANGES LIMIT 9", stream_properties=EARLIEST
        )
    )
    rows = rows_of(chunks)
    assert [row[0] for row in rows] == [1, 2, 3, 5, 6, 7, 8, 9, 10]
    assert [row[1] for row in rows] == ["0", "0", "0", "0", "1", "0", "0", "0", "1"]


def test_mask_left(demo: Demo) -> None:
    chunks = list(
        demo.client.query(
            f"SELECT Id, MASK_LEFT(User, 2) FROM {demo.source} EMIT CHANGES LIMIT 2",
            stream_properties=EARLIEST,
        )
    )
    assert rows_of(chunks) == [[1, "Xxi"], [2, "Xxns"]]


def test_ifnull(demo: Demo) -> None:
    chunks = list(
        demo.client.query(
            f"SELECT Id, IFNULL(Class, 'unknown') AS Label FROM {demo.source} EMIT CHANGES LIMIT 4",
            stream_properties=EARLIEST,
        )
    )
    assert rows_of(chunks) == [[1, "0"], [2, "0"], [3, "0"], [4, "unknown"]]


def test_query_parse_true(demo: Demo) -> None:
    rows = list(
        demo.client.query(
            f"SELECT Id, User FROM {demo.source} EMIT CHANGES LIMIT 2", stream_properties=EARLIEST, parse=True
        )
    )
    assert rows == [{"ID": 1, "USER": "Kai"}, {"ID": 2, "USER": "Hans"}]


def test_query_over_http2(demo: Demo) -> None:
    chunks = list(
        demo.client.query(
            f"SELECT Id FROM {demo.source} EMIT CHANGES LIMIT 3", stream_properties=EARLIEST, use_http2=True
        )
    )
    assert rows_of(chunks) == [[1], [2], [3]]


def test_close_query_ends_an_open_push_query(demo: Demo) -> None:
    stream = demo.client.query(f"SELECT Id FROM {demo.source} EMIT CHANGES", stream_properties=EARLIEST)
    query_id = json.loads(next(stream))["queryId"]
    assert demo.client.close_query(query_id) is True
    remaining = list(stream)  # rows already in flight may arrive; then the response ends
    assert all(isinstance(json.loads(chunk), list) for chunk in remaining)
    assert len(remaining) <= len(demo.lines)
    assert demo.client.close_query(query_id) is False


def test_inserts_stream(demo: Demo, unique_name: Callable[[str], str]) -> None:
    name = unique_name("INSERTS")
    demo.client.ksql(
        f"CREATE STREAM {name} (ID INT, NAME STRING) "
        f"WITH (kafka_topic='{name.lower()}', value_format='JSON', partitions=1)"
    )
    acks = demo.client.inserts_stream(name, [{"ID": 1, "NAME": "a"}, {"ID": 2, "NAME": "b"}])
    assert acks == [{"status": "ok", "seq": 0}, {"status": "ok", "seq": 1}]
    chunks = list(
        demo.client.query(f"SELECT ID, NAME FROM {name} EMIT CHANGES LIMIT 2", stream_properties=EARLIEST)
    )
    assert rows_of(chunks) == [[1, "a"], [2, "b"]]


def test_bad_statement_is_40001(demo: Demo) -> None:
    from ksql.errors import KSQLError

    with pytest.raises(KSQLError) as info:
        demo.client.ksql("CREATE STREAM oops WITH (")
    assert info.value.error_code == 40001


@pytest.fixture()
def users_table(demo: Demo, unique_name: Callable[[str], str]) -> str:
    users = unique_name("USERS")
    demo.client.ksql(
        f"CREATE TABLE {users} (userid VARCHAR PRIMARY KEY, gender VARCHAR, regionid VARCHAR) "
        f"WITH (kafka_topic='{users.lower()}', value_format='JSON', partitions=1)"
    )
    demo.client.ksql(
        f"INSERT INTO {users} (userid, gender, regionid) VALUES ('Kai', 'MALE', 'Region_1');"
        f"INSERT INTO {users} (userid, gender, regionid) VALUES ('Hans', 'MALE', 'Region_2');"
        f"INSERT INTO {users} (userid, gender, regionid) VALUES ('Flo', 'MALE', 'Region_3');"
        f"INSERT INTO {users} (userid, gender, regionid) VALUES ('Dirk', 'MALE', 'Region_4');"
    )
    return users


def test_table_created_with_ksql(demo: Demo, users_table: str) -> None:
    tables = {t["name"]: t for t in demo.client.ksql("show tables")[0]["tables"]}
    assert tables[users_table]["type"] == "TABLE"
    fields = demo.client.ksql(f"DESCRIBE {users_table}")[0]["sourceDescription"]["fields"]
    assert fields[0] == {
        "name": "USERID",
        "schema": {"type": "STRING", "fields": None, "memberSchema": None},
        "type": "KEY",
    }


def test_stream_table_join(demo: Demo, users_table: str, unique_name: Callable[[str], str]) -> None:
    # a fresh stream whose records are produced after the users, so the join sees the table rows
    source = unique_name("CARDS")
    create_topic(demo.bootstrap, source.lower())
    demo.client.create_stream(
        table_name=source, columns_type=SOURCE_COLUMNS, topic=source.lower(), value_format="DELIMITED"
    )
    produce_lines(demo.bootstrap, source.lower(), demo.lines)
    chunks = list(
        demo.client.query(
            f"SELECT c.Id, c.User, u.regionid FROM {source} c JOIN {users_table} u ON c.User = u.userid "
            "EMIT CHANGES LIMIT 3",
            stream_properties=EARLIEST,
        )
    )
    users = [line.split(",")[2].strip('"') for line in demo.lines[:3]]
    region = {"Kai": "Region_1", "Hans": "Region_2", "Flo": "Region_3", "Dirk": "Region_4"}
    assert rows_of(chunks) == [[i + 1, user, region[user]] for i, user in enumerate(users)]
