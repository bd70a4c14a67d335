"""DEFINE / UNDEFINE / SHOW VARIABLES and `${name}` substitution, as ksqlDB 0.29's server does them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.config import EngineConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlParseError
from ksqlserver.sql.variables import sanitize, substitute


@pytest.fixture
def engine() -> Iterator[Engine]:
    e = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False), MemoryDriver())
    yield e
    e.close()


def test_substitute_replaces_defined_names_in_any_case_and_unescapes_double_dollars() -> None:
    values = {"format": "AVRO", "Replicas": "3"}
    got = substitute("value_format='${FORMAT}', replicas=${replicas}", values)
    assert got == "value_format='AVRO', replicas=3"
    assert substitute("SELECT '$${format}' FROM s;", values) == "SELECT '${format}' FROM s;"
    assert substitute("SELECT ${other} FROM s;", values) == "SELECT ${other} FROM s;"  # left for the parser


def test_sanitize_doubles_single_quotes_and_keeps_a_quoted_values_quotes() -> None:
    assert sanitize("Tom's") == "Tom''s"
    assert sanitize("'a'b'") == "'a''b'"


def test_define_applies_to_the_statements_after_it_in_the_same_request(engine: Engine) -> None:
    out = engine.execute(
        "DEFINE fmt = 'JSON'; DEFINE parts = '2'; DEFINE s = 'orders';"
        "CREATE STREAM ${s} (id INT KEY, v VARCHAR) WITH (kafka_topic='${s}', partitions=${parts},"
        " value_format='${fmt}');"
    )
    assert [e["@type"] for e in out] == ["currentStatus"]  # DEFINE answers nothing
    # the substituted statement, as ksqlDB's injectors re-format it (DefaultFormatInjector, TopicCreateInjector)
    assert "KAFKA_TOPIC='orders', KEY_FORMAT='KAFKA', PARTITIONS=2, VALUE_FORMAT='JSON'" in out[0]["statementText"]
    assert engine.execute("DESCRIBE orders;")[0]["sourceDescription"]["valueFormat"] == "JSON"
    topic = engine.driver.topic("orders")
    assert topic is not None and topic.partitions == 2


def test_variables_live_for_the_request_unless_the_client_keeps_them(engine: Engine) -> None:
    engine.execute("DEFINE a = '1';")
    listed = engine.execute("SHOW VARIABLES;")[0]
    assert listed["@type"] == "variables" and listed["variables"] == []
    kept: dict[str, str] = {}
    engine.execute("DEFINE zed = 'z'; DEFINE Alpha = 'it''s';", variables=kept)
    engine.execute("DEFINE ZED = 'last';", variables=kept)  # the same name in another case
    shown = engine.execute("SHOW VARIABLES;", variables=kept)[0]["variables"]
    assert shown == [{"name": "Alpha", "value": "it's"}, {"name": "zed", "value": "last"}]


def test_undefine_of_an_unknown_name_is_a_warning(engine: Engine) -> None:
    kept = {"x": "1"}
    assert engine.execute("UNDEFINE X;", variables=kept) == [] and kept == {}
    [warning] = engine.execute("UNDEFINE x;", variables=kept)
    assert warning["@type"] == "warning_entity"
    assert warning["message"] == "Cannot undefine variable 'x' which was never defined"


def test_an_undefined_reference_is_a_syntax_error_and_substitution_can_be_switched_off(engine: Engine) -> None:
    # VariableSubstitutor checks an undefined reference as its own text: no identifier
    with pytest.raises(KsqlParseError) as info:
        engine.execute("SHOW STREAMS; DESCRIBE ${nothing};")
    assert info.value.message == (
        "Illegal argument at Line: 1, Col: 24. Identifier names cannot start with '@' and may only contain "
        "alphanumeric values and '_'. Got: '${nothing}'"
    )
    props = {"ksql.variable.substitution.enable": "false"}
    with pytest.raises(KsqlParseError):
        engine.execute("DESCRIBE ${x};", props, {"x": "S"})


def test_push_queries_take_session_variables(engine: Engine) -> None:
    engine.execute(
        "CREATE STREAM s (id INT KEY, v VARCHAR) WITH (kafka_topic='s', partitions=1, value_format='JSON');"
    )
    q = engine.start_query("SELECT v AS ${col} FROM s EMIT CHANGES;", None, {"col": "renamed"})
    try:
        assert q.columns == [("RENAMED", "STRING")]
    finally:
        q.close()


def test_the_ksql_endpoint_takes_the_requests_session_variables(engine: Engine) -> None:
    import httpx

    from ksqlserver.config import ServerConfig
    from ksqlserver.server import BackgroundServer

    with BackgroundServer(engine, ServerConfig(host="127.0.0.1", port=0)) as server:
        body = {"ksql": "SHOW VARIABLES; DEFINE b = '2'; SHOW VARIABLES;", "sessionVariables": {"a": "1"}}
        r = httpx.post(server.url + "/ksql", json=body, timeout=10)
        assert r.status_code == 200, r.text
        first, second = r.json()
        assert first["variables"] == [{"name": "a", "value": "1"}]
        assert second["variables"] == [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}]
