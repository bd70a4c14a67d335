"""Helpers of the ported ksqlDB 0.29 parser, identifier and SQL type unit tests (ksqldb-parser, ksqldb-udf,
ksqldb-common, ksqldb-engine-common, ksqldb-engine): one engine on the memory driver, synchronous, with the
processing log. `t.run` / `t.error` run a statement (its entities / the message it is refused with);
`t.fields(name)` is DESCRIBE's field list; `t.select` evaluates expressions over one JSON row of a fresh
stream (values, output SQL types, processing-log errors); `t.insert` writes a row with INSERT VALUES and reads
back what reached the topic; `t.app` is a REST server over its own threaded engine (push queries over /query)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from ksqlserver.config import ServerConfig
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer

from ..javaexec.conftest import PROPS, Exec, Selected

# Exec (javaexec/) gives `select` / `refuse` / `run` / `error` / `topic`; `select` reads its engine's processing
# log, so the engine takes Exec's service id
__all__ = ["PROPS", "Selected", "Types"]


class Types(Exec):
    def __init__(self, schema_register_injector: bool = False) -> None:
        """`schema_register_injector`: False (the Java unit tests run none) or True (as /ksql and the QTT harness)."""
        driver = MemoryDriver()
        config = EngineConfig(
            service_id="ex_", synchronous=True, properties=PROPS, schema_register_injector=schema_register_injector
        )
        super().__init__(Engine(config, driver), driver)
        self._app: App | None = None

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
        self.engine.close()

    @property
    def app(self) -> App:
        """A server over its own (threaded) engine, for what a client reads over /query."""
        if self._app is None:
            self._app = App()
        return self._app

    def create(self, columns: str, kind: str = "STREAM", name: str | None = None, **with_: str) -> str:
        """CREATE STREAM/TABLE `name` (columns) over a fresh JSON topic; its statement text as stored."""
        self.n += 1
        name = name or f"SRC{self.n}"
        self.topic(f"t{self.n}")
        props = ", ".join([f"KAFKA_TOPIC='t{self.n}'", "VALUE_FORMAT='JSON'", *(f"{k}='{v}'" for k, v in with_.items())])
        [entity] = self.run(f"CREATE {kind} {name} ({columns}) WITH ({props});")
        text: str = entity["statementText"]
        return text

    def create_error(self, columns: str, kind: str = "STREAM") -> str:
        self.n += 1
        self.topic(f"t{self.n}")
        return self.error(f"CREATE {kind} SRC{self.n} ({columns}) WITH (KAFKA_TOPIC='t{self.n}', VALUE_FORMAT='JSON');")

    def fields(self, name: str) -> list[dict[str, Any]]:
        [entity] = self.run(f"DESCRIBE {name};")
        out: list[dict[str, Any]] = entity["sourceDescription"]["fields"]
        return out

    def types(self, name: str) -> dict[str, str]:
        """Column name -> SQL type text (LogicalSchema's column types, as SqlType.toString prints them)."""
        schema = self.engine.state.metastore.require(name).schema
        return {c.name: str(c.type) for c in schema.columns}

    def insert(self, columns: str, values: str, names: str = "V") -> Any:
        """INSERT INTO a fresh stream (ID STRING KEY, columns) VALUES ('k', values): the JSON value written."""
        self.n += 1
        n = self.n
        self.topic(f"in{n}")
        self.run(f"CREATE STREAM IN{n} (ID STRING KEY, {columns}) WITH (KAFKA_TOPIC='in{n}', VALUE_FORMAT='JSON');")
        self.run(f"INSERT INTO IN{n} (ID, {names}) VALUES ('k', {values});")
        [rec] = self.driver.records(f"in{n}")
        return json.loads(rec.value, parse_float=Decimal)

    def insert_error(self, columns: str, values: str, names: str = "V") -> str:
        self.n += 1
        n = self.n
        self.topic(f"in{n}")
        self.run(f"CREATE STREAM IN{n} (ID STRING KEY, {columns}) WITH (KAFKA_TOPIC='in{n}', VALUE_FORMAT='JSON');")
        return self.error(f"INSERT INTO IN{n} (ID, {names}) VALUES ('k', {values});")

    def produce(self, topic: str, value: Any, key: bytes = b"k") -> None:  # type: ignore[override]
        self.driver.produce(topic, [Record(key, json.dumps(value).encode(), 1000)])


class App:
    """A REST server over an engine that runs its queries on threads (push queries need that)."""

    def __init__(self) -> None:
        self.driver = MemoryDriver()
        self.engine = Engine(EngineConfig(service_id="ty_", processing_log=False, properties=PROPS), self.driver)
        self.server = BackgroundServer(self.engine, ServerConfig(host="127.0.0.1", port=0)).start()

    def close(self) -> None:
        self.server.stop()
        self.engine.close()

    def ksql(self, sql: str) -> httpx.Response:
        return httpx.post(self.server.url + "/ksql", json={"ksql": sql, "streamsProperties": {}}, timeout=30)

    def run(self, sql: str) -> list[dict[str, Any]]:
        r = self.ksql(sql)
        assert r.status_code == 200, r.text
        out: list[dict[str, Any]] = r.json()
        return out

    def produce(self, topic: str, values: list[Any]) -> None:
        if topic not in self.driver.topics():
            self.driver.create_topic(topic, partitions=1)
        self.driver.produce(topic, [Record(b"k", json.dumps(v).encode(), 1000 + i) for i, v in enumerate(values)])

    def query(self, sql: str) -> list[dict[str, Any]]:
        """/query's StreamedRow list in the REST API's own JSON (the query needs a LIMIT to end)."""
        r = httpx.post(
            self.server.url + "/query",
            json={"ksql": sql, "streamsProperties": PROPS},
            headers={"Accept": "application/vnd.ksql.v1+json"},
            timeout=30,
        )
        assert r.status_code == 200, r.text
        rows: list[dict[str, Any]] = r.json()
        return rows

    def query_text(self, sql: str) -> str:
        """/query's body as the server wrote it (JSON number spelling kept)."""
        r = httpx.post(
            self.server.url + "/query",
            json={"ksql": sql, "streamsProperties": PROPS},
            headers={"Accept": "application/vnd.ksql.v1+json"},
            timeout=30,
        )
        assert r.status_code == 200, r.text
        return r.text


@pytest.fixture
def t() -> Iterator[Types]:
    helper = Types()
    yield helper
    helper.close()
