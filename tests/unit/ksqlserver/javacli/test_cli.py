"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.CliTest` (ksqldb-cli): the CLI over a running server.

The Java class runs a server with an ORDERS-like stream (`ORDER_DATA_PROVIDER`) and a delimited topic, and
drives `Cli.handleLine` / `runCommand` / `runScript` / `runInteractively` with a TestTerminal and a row
captor. Here: our REST server in-process (`KsqlResourceTest`'s `Resource` fixture, whose TEST_STREAM /
TEST_TABLE stand for the Java test's sources), the CLI's output captured, `Cli.rows_seen` as the captor.
Mocked clients become a dead port (cannot connect) or `server_compatibility` (the version checks)."""

from __future__ import annotations

import io
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.console import ConsoleError
from ksqlserver.console.client import Response, RestClient
from ksqlserver.console.session import Cli, UnsupportedServer, server_compatibility
from ksqlserver.console.terminal import Reader, Terminal
from ksqlserver.drivers.base import Record

ANSI = re.compile(r"\x1b\[[0-9;]*m")
OPEN: list[Cli] = []


class Session:
    def __init__(self, url: str, lines: list[str] | None = None, fmt: str = "TABULAR", width: int = 100) -> None:
        """CliTest's CLI: STREAMED_QUERY_ROW_LIMIT and STREAMED_QUERY_TIMEOUT_MS 10000, a TestTerminal of
        100 columns."""
        self.out = io.StringIO()
        reader = Reader(io.StringIO("".join(line + "\n" for line in lines or [])), interactive=False)
        self.cli = Cli(RestClient(url), Terminal(self.out, width), output_format=fmt, row_limit=10000,
                       timeout_ms=10000, reader=reader)
        OPEN.append(self.cli)

    @property
    def output(self) -> str:
        return ANSI.sub("", self.out.getvalue())

    def rows(self, line: str) -> list[list[str]]:
        """assertRunCommand: the rows printed for one line."""
        self.cli.rows_seen = []
        self.cli.handle_line(line)
        return self.cli.rows_seen


@pytest.fixture(autouse=True)
def _close_clients(make_resource: Any) -> Iterator[None]:
    """The CLIs' HTTP connections close before the servers stop (set up after `make_resource`)."""
    yield
    while OPEN:
        OPEN.pop().client.close()


@pytest.fixture()
def server(make_resource: Any) -> Any:
    return make_resource()


@pytest.fixture()
def cli(server: Any) -> Session:
    return Session(server.server.url)


def test_should_print_results_for_list_or_show_commands(cli: Session) -> None:
    for verb in ("list", "show"):
        assert ["KAFKA_TOPIC_2", "1", "1"] in cli.rows(f"{verb} topics;")
        assert ["TEST_STREAM", "KAFKA_TOPIC_2", "KAFKA", "JSON", "false"] in cli.rows(f"{verb} streams;")
        extended = cli.rows(f"{verb} topics extended;")
        assert any(r[:3] == ["KAFKA_TOPIC_2", "1", "1"] and len(r) == 5 for r in extended)


def test_variable_define_undefine(cli: Session) -> None:
    for line in ("define var1 = '1';", "define var2 = '2';", "define var3 = '3';", "undefine var1;"):
        assert cli.rows(line) == []
    for verb in ("list", "show"):
        assert cli.rows(f"{verb} variables;") == [["var2", "2"], ["var3", "3"]]


def test_add_variables_to_cli(cli: Session) -> None:
    cli.cli.add_session_variables({"env": "qa"})
    assert cli.rows("list variables;") == [["env", "qa"]]
    assert cli.rows("show variables;") == [["env", "qa"]]


def test_property_set_unset(cli: Session) -> None:
    for line in (
        "set 'auto.offset.reset' = 'latest';",
        "set 'application.id' = 'Test_App';",
        "set 'producer.batch.size' = '16384';",
        "set 'max.request.size' = '1048576';",
        "set 'consumer.max.poll.records' = '500';",
        "set 'enable.auto.commit' = 'true';",
    ):
        assert cli.rows(line) == []
    assert cli.rows("unset 'application.id';") == []
    assert "Successfully unset local property 'application.id' (value was 'Test_App')." in cli.output
    with pytest.raises(ConsoleError, match=r"Cannot unset local property 'application\.id' which was never set"):
        cli.cli.handle_line("unset 'application.id';")


def test_should_handle_set_property_as_part_of_multi_statement_line(cli: Session) -> None:
    cli.cli.handle_line("set 'auto.offset.reset'='earliest';")
    assert "Successfully changed local property 'auto.offset.reset' to 'earliest'" in cli.output


def test_should_print_error_if_cant_find_function(cli: Session) -> None:
    cli.cli.handle_line("describe function foobar;")
    assert "Can't find any functions with the name 'foobar'" in cli.output


def test_should_substitute_variables_on_run_command(cli: Session) -> None:
    line = (
        "SET 'ksql.variable.substitution.enable' = 'true';"
        "DEFINE var = 'TEST_STREAM';"
        "CREATE STREAM shouldRunCommand AS SELECT * FROM ${var};"
    )
    assert cli.cli.run_command(line) == 0
    assert "Created query with ID CSAS_SHOULDRUNCOMMAND" in cli.output


def test_disable_variable_substitution(cli: Session) -> None:
    cli.cli.handle_line("set 'ksql.variable.substitution.enable' = 'false';")
    cli.cli.handle_line("define topicName = 'KAFKA_TOPIC_2';")
    cli.cli.run_command("PRINT ${topicName} FROM BEGINNING INTERVAL 1 LIMIT 2;")
    assert "KAFKA_TOPIC_2" not in cli.output.split("define", 1)[-1].replace("'KAFKA_TOPIC_2'", "")


def test_should_throw_when_trying_to_set_denied_property(make_resource: Any) -> None:
    server = make_resource(denied=("ksql.service.id",))
    s = Session(server.server.url)
    with pytest.raises(ConsoleError):
        s.cli.handle_line("set 'ksql.service.id'='test';")


def test_should_run_script_on_run_script(cli: Session, tmp_path: Path) -> None:
    script = tmp_path / "script.sql"
    script.write_text("CREATE STREAM shouldRunScript AS SELECT * FROM TEST_STREAM;", encoding="utf-8")
    assert cli.cli.run_script(str(script)) == 0
    assert "Created query with ID CSAS_SHOULDRUNSCRIPT" in cli.output


def test_should_run_script_on_run_interactively(server: Any, tmp_path: Path) -> None:
    script = tmp_path / "script.sql"
    script.write_text("CREATE STREAM SCRIPTED AS SELECT * FROM TEST_STREAM;", encoding="utf-8")
    s = Session(server.server.url, [f"run script '{script}'", "exit"])
    assert s.cli.run_interactively() == 0
    assert "Created query with ID CSAS_SCRIPTED" in s.output
    assert s.output.endswith("Exiting ksqlDB.\n")


def test_should_print_only_failed_statement_from_script_file(cli: Session, tmp_path: Path) -> None:
    script = tmp_path / "script.sql"
    script.write_text(
        "drop stream if exists s1;\n"
        "create stream if not exist s1(id int) with (kafka_topic='s1', value_format='json', partitions=1);\n",
        encoding="utf-8",
    )
    assert cli.cli.run_script(str(script)) == -1
    out = cli.output
    assert out.startswith("line 2:22: Syntax Error\n")
    assert "Statement: create stream if not exist s1(id int) with (kafka_topic='s1', value_format='json', partitions=1);" in out
    assert out.endswith("Caused by: line 2:22: Syntax error at line 2:22\n")
    assert "drop stream if exists" not in out


def test_should_print_only_failed_statement_from_script_file_exact_text(cli: Session, tmp_path: Path) -> None:
    script = tmp_path / "script.sql"
    script.write_text(
        "drop stream if exists s1;\n"
        "create stream if not exist s1(id int) with (kafka_topic='s1', value_format='json', partitions=1);\n",
        encoding="utf-8",
    )
    cli.cli.run_script(str(script))
    assert cli.output == (
        "line 2:22: Syntax Error\n"
        "Syntax error at or near 'exist' at line 2:22\n"
        "Statement: create stream if not exist s1(id int) with (kafka_topic='s1', value_format='json', partitions=1);\n"
        "Caused by: line 2:22: Syntax error at line 2:22\n"
    )


def test_select_with_limit_prints_header_row_and_query_terminated(server: Any) -> None:
    """A push query's header, its row and the end on a terminal-less console (5 columns a cell)."""
    cli = Session(server.server.url, width=0)
    server.ok("INSERT INTO TEST_STREAM (ROWKEY, S2_F1) VALUES ('k', 'v');")
    cli.cli.handle_line("SET 'auto.offset.reset' = 'earliest';")
    assert cli.rows("SELECT * FROM TEST_STREAM EMIT CHANGES LIMIT 1;") == [["k", "v"]]
    out = cli.output
    assert "+-----+-----+\n|ROWKE|S2_F1|\n|Y    |     |\n+-----+-----+\n|k    |v    |\n" in out  # no terminal: 5 columns a cell
    assert out.endswith("Query terminated\n")


def test_explain_query_id(cli: Session) -> None:
    """shouldExplainQueryId: EXPLAIN prints the query's description."""
    cli.cli.handle_line("CREATE STREAM EXPLAINED AS SELECT * FROM TEST_STREAM;")
    m = re.search(r"Created query with ID (\S+)", cli.output)
    assert m is not None
    cli.cli.handle_line(f"EXPLAIN {m.group(1)};")
    assert f"ID                   : {m.group(1)}\nQuery Type           : PERSISTENT\n" in cli.output
    assert "\nSources that this query reads from: \n-----------------------------------\nTEST_STREAM\n" in cli.output


def test_should_default_request_pipelining_to_off_and_update(cli: Session) -> None:
    """shouldDefaultRequestPipeliningToOff, shouldUpdateRequestPipelining."""
    assert cli.cli.maybe_handle_cli_command("request-pipelining")
    assert "Current request-pipelining configuration: OFF" in cli.output
    cli.cli.maybe_handle_cli_command("request-pipelining ON")
    cli.cli.maybe_handle_cli_command("request-pipelining")
    assert "Current request-pipelining configuration: ON" in cli.output


def test_should_update_command_sequence_number(cli: Session) -> None:
    """shouldUpdateCommandSequenceNumber: the last CommandStatusEntity's number is kept."""
    cli.cli.handle_line("CREATE STREAM SEQ1 AS SELECT * FROM TEST_STREAM;")
    assert cli.cli.last_command_sequence_number >= 0


def test_should_reset_state_when_server_changes(cli: Session, server: Any) -> None:
    cli.cli.last_command_sequence_number = 5
    cli.cli.request_pipelining = True
    cli.cli.maybe_handle_cli_command(f"server {server.server.url}")
    assert cli.cli.last_command_sequence_number == -1
    assert not cli.cli.request_pipelining
    assert f"Server now: {server.server.url}" in cli.output


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_should_print_error_if_cant_connect_on_run_interactively() -> None:
    s = Session(_dead_url(), ["exit"])
    s.cli.run_interactively()
    assert "Please ensure that the URL provided is for an active KSQL server." in s.output


def test_should_print_error_if_cant_connect_on_run_command() -> None:
    s = Session(_dead_url())
    assert s.cli.run_command("this is a command") == -1
    assert "Please ensure that the URL provided is for an active KSQL server." in s.output


def test_should_print_error_if_cant_connect_on_run_script() -> None:
    s = Session(_dead_url())
    s.cli.run_script("script_file_ignored")
    assert "Please ensure that the URL provided is for an active KSQL server." in s.output


@pytest.mark.parametrize("version", ["5.5.0-0", "0.9.0-0"])
def test_should_fail_on_unsupported_server_version(version: str) -> None:
    """shouldFailOnUnsupportedCpServerVersion, shouldFailOnUnsupportedStandaloneServerVersion."""
    with pytest.raises(UnsupportedServer, match=f"Unsupported server version {version} detected"):
        server_compatibility("0.29.0", version)


@pytest.mark.parametrize("version", ["6.0.0-0", "0.10.0-0"])
def test_should_print_warning_on_different_server_version(version: str) -> None:
    assert "WARNING: CLI and server version don't match. This may lead to unexpected errors." in server_compatibility(
        "0.29.0", version
    )


def test_should_print_warning_on_unknown_server_version() -> None:
    assert "WARNING: Could not identify server version." in server_compatibility("0.29.0", "bad-version")


def test_run_interactively_prints_the_welcome(cli: Session, server: Any) -> None:
    """testRunInteractively: the banner, the versions and the server status, then exit."""
    s = Session(server.server.url, ["exit"])
    assert s.cli.run_interactively() == 0
    assert "=        The Database purpose-built       =\n" in s.output  # the logo: the terminal is wide enough
    assert "\nCopyright 2017-2022 Confluent Inc.\n" in s.output
    assert f"CLI v0.29.0, Server v0.29.0 located at {server.server.url}\n" in s.output
    assert "Server Status: RUNNING" in s.output


# ---------------------------------------------------------------- ORDER_DATA_PROVIDER (OrderDataProvider)

MAP_FIELD = '{"key1":1.0,"key2":2.0,"key3":3.0}'
ORDERS = [
    ("ORDER_1", 1, "ITEM_1", "10.0", "2018-01-01", "[100.0,110.99,90.0]"),
    ("ORDER_2", 2, "ITEM_2", "20.0", "2018-01-02", "[10.0,10.99,9.0]"),
    ("ORDER_3", 3, "ITEM_3", "30.0", "2018-01-03", "[10.0,10.99,91.0]"),
    ("ORDER_4", 4, "ITEM_4", "40.0", "2018-01-04", "[10.0,140.99,94.0]"),
    ("ORDER_5", 5, "ITEM_5", "50.0", "2018-01-05", "[160.0,160.99,98.0]"),
    ("ORDER_6", 6, "ITEM_6", "60.0", "2018-01-06", "[1000.0,1100.99,900.0]"),
    ("ORDER_6", 7, "ITEM_7", "70.0", "2018-01-07", "[1100.0,1110.99,190.0]"),
    ("ORDER_6", 8, "ITEM_8", "80.0", "2018-01-08", "[1100.0,1110.99,970.0]"),
]
ITEMS = [(None, None), ("ITEM_1", "home cinema")]  # the delimited topic's first records (ItemDataProvider)


@pytest.fixture()
def orders(server: Any) -> Session:
    """CliTest.setUpClass: ORDER_TOPIC with the orders as JSON, ORDER (createKStream), the delimited
    topic; the session reads from the beginning (the Java test's server runs with auto.offset.reset)."""
    server.driver.create_topic("ORDER_TOPIC", 1, 1)
    server.driver.produce(
        "ORDER_TOPIC",
        [
            Record(
                key.encode(),
                (
                    f'{{"ORDERTIME":{t},"ITEMID":"{item}","ORDERUNITS":{units},"TIMESTAMP":"{ts}",'
                    f'"PRICEARRAY":{prices},"KEYVALUEMAP":{MAP_FIELD}}}'
                ).encode(),
                t,
            )
            for key, t, item, units, ts, prices in ORDERS
        ],
    )
    server.driver.create_topic("DELIMITED_TOPIC", 1, 1)
    server.driver.produce(
        "DELIMITED_TOPIC",
        [Record(None if k is None else k.encode(), None if v is None else v.encode(), i) for i, (k, v) in enumerate(ITEMS)],
    )
    s = Session(server.server.url)
    s.cli.handle_line(
        "CREATE STREAM ORDER (ORDERID STRING KEY, ORDERTIME BIGINT, ITEMID STRING, ORDERUNITS DOUBLE, "
        "TIMESTAMP STRING, PRICEARRAY ARRAY<DOUBLE>, KEYVALUEMAP MAP<STRING, DOUBLE>) "
        "WITH (value_format = 'json', kafka_topic = 'ORDER_TOPIC');"
    )
    s.cli.handle_line("SET 'auto.offset.reset' = 'earliest';")
    return s


def test_should_print_correct_schema_for_describe_stream(orders: Session) -> None:
    rows = orders.rows("describe ORDER;")
    for row in (
        ["ORDERID", "VARCHAR(STRING)  (key)"],
        ["ORDERTIME", "BIGINT"],
        ["ITEMID", "VARCHAR(STRING)"],
        ["ORDERUNITS", "DOUBLE"],
        ["TIMESTAMP", "VARCHAR(STRING)"],
        ["PRICEARRAY", "ARRAY<DOUBLE>"],
        ["KEYVALUEMAP", "MAP<STRING, DOUBLE>"],
    ):
        assert row in rows


def test_transient_select(orders: Session) -> None:
    rows = orders.rows("SELECT ORDERID, ITEMID FROM ORDER EMIT CHANGES LIMIT 3;")
    assert rows == [["ORDER_1", "ITEM_1"], ["ORDER_2", "ITEM_2"], ["ORDER_3", "ITEM_3"]]


def test_transient_continuous_select_star(orders: Session) -> None:
    """The row values print as the Java objects' toString: doubles as 10.0, arrays and maps as Java's."""
    rows = orders.rows("SELECT * FROM ORDER EMIT CHANGES LIMIT 3;")
    assert rows[0] == ["ORDER_1", "1", "ITEM_1", "10.0", "2018-01-01", "[100.0, 110.99, 90.0]",
                       "{key1=1.0, key2=2.0, key3=3.0}"]
    assert [r[0] for r in rows] == ["ORDER_1", "ORDER_2", "ORDER_3"]


def test_should_output_push_query_header(orders: Session) -> None:
    orders.cli.handle_line("SELECT * FROM ORDER EMIT CHANGES LIMIT 1;")
    for name in ("ITEMID", "ORDERID", "ORDERUNIT", "TIMESTAMP", "PRICEARRA", "KEYVALUEM"):
        assert name in orders.output


def _created(session: Session, sql: str) -> str:
    session.cli.handle_line(sql)
    m = re.findall(r"Created query with ID (\S+)", session.output)
    assert m, session.output
    return str(m[-1])


def test_select_filter(orders: Session) -> None:
    """testSelectFilter: the CSAS's result, read back through the CLI."""
    query = _created(orders, "CREATE STREAM FILTERED AS SELECT * FROM ORDER WHERE ORDERUNITS > 20 AND ITEMID = 'ITEM_8';")
    assert query.startswith("CSAS_FILTERED")
    assert orders.rows("SELECT * FROM FILTERED EMIT CHANGES LIMIT 1;") == [
        ["ORDER_6", "8", "ITEM_8", "80.0", "2018-01-08", "[1100.0, 1110.99, 970.0]", "{key1=1.0, key2=2.0, key3=3.0}"]
    ]


def test_select_udfs(orders: Session) -> None:
    _created(
        orders,
        "CREATE STREAM UDFS AS SELECT ORDERID, ITEMID, ORDERUNITS*10 AS Col1, PRICEARRAY[1]+10 AS Col2, "
        "KEYVALUEMAP['key1']*KEYVALUEMAP['key2']+10 AS Col3, PRICEARRAY[2]>1000 AS Col4 FROM ORDER "
        "WHERE ORDERUNITS > 20 AND ITEMID LIKE '%_8';",
    )
    assert orders.rows("SELECT * FROM UDFS EMIT CHANGES LIMIT 1;") == [
        ["ORDER_6", "ITEM_8", "800.0", "1110.0", "12.0", "true"]
    ]


def test_select_project(orders: Session) -> None:
    _created(orders, "CREATE STREAM PROJECTED AS SELECT ORDERID, ITEMID, ORDERUNITS, PRICEARRAY FROM ORDER;")
    rows = orders.rows("SELECT * FROM PROJECTED EMIT CHANGES LIMIT 8;")
    assert rows[0] == ["ORDER_1", "ITEM_1", "10.0", "[100.0, 110.99, 90.0]"]
    assert rows[-1] == ["ORDER_6", "ITEM_8", "80.0", "[1100.0, 1110.99, 970.0]"]


def test_create_table(orders: Session) -> None:
    query = _created(orders, "CREATE TABLE ITEMCOUNTS AS SELECT ITEMID, COUNT(*) FROM ORDER GROUP BY ITEMID;")
    assert query.startswith("CTAS_ITEMCOUNTS")
    for verb in ("list", "show"):
        assert ["ITEMCOUNTS", "ITEMCOUNTS", "KAFKA", "JSON", "false"] in orders.rows(f"{verb} tables;")
        queries = orders.rows(f"{verb} queries;")
        assert any(
            r[0] == query and r[1:5] == ["PERSISTENT", "RUNNING:1", "ITEMCOUNTS", "ITEMCOUNTS"]
            and r[5].startswith("CREATE TABLE ITEMCOUNTS")
            for r in queries
        ), queries


def test_should_handle_pull_query(orders: Session) -> None:
    _created(orders, "CREATE TABLE PULLED AS SELECT ITEMID, COUNT(1) AS COUNT FROM ORDER GROUP BY ITEMID;")
    rows: list[list[str]] = []
    for _ in range(50):  # the Java test waits for a warm store too
        rows = orders.rows("SELECT ITEMID, COUNT FROM PULLED WHERE ITEMID='ITEM_1';")
        if rows:
            break
        time.sleep(0.1)
    assert rows and rows[0][0] == "ITEM_1"
    assert "|ITEM_1" in orders.output


def test_should_output_pull_query_header(orders: Session) -> None:
    _created(orders, "CREATE TABLE Y AS SELECT ITEMID, COUNT(1) AS COUNT FROM ORDER GROUP BY ITEMID;")
    orders.cli.handle_line("SELECT * FROM Y WHERE ITEMID='ITEM_1';")
    assert "ITEMID" in orders.output and "COUNT" in orders.output


def test_should_explain_query_id_with_status(orders: Session) -> None:
    """shouldExplainQueryId: the query's id and its status."""
    query = _created(orders, "CREATE STREAM EXPLAINED2 AS SELECT * FROM ORDER;")
    orders.cli.handle_line(f"EXPLAIN {query};")
    assert query in orders.output
    assert "Status" in orders.output
    assert "RUNNING" in orders.output or "REBALANCING" in orders.output


def test_should_print_topic_with_json_value(orders: Session) -> None:
    orders.cli.handle_line("print ORDER_TOPIC FROM BEGINNING INTERVAL 1 LIMIT 1;")
    out = orders.output
    assert "Value format: JSON" in out
    assert "Key format: KAFKA_STRING" in out
    assert (
        ', key: ORDER_1, value: {"ORDERTIME":1,"ITEMID":"ITEM_1","ORDERUNITS":10.0,"TIMESTAMP":"2018-01-01",'
        '"PRICEARRAY":[100.0,110.99,90.0],"KEYVALUEMAP":{"key1":1.0,"key2":2.0,"key3":3.0}}'
    ) in out
    assert out.endswith("Topic printing ceased\n")


def test_should_print_topic_with_delimited_value(orders: Session) -> None:
    orders.cli.handle_line("print DELIMITED_TOPIC FROM BEGINNING INTERVAL 1 LIMIT 2;")
    out = orders.output
    assert "Value format: KAFKA_STRING" in out
    assert "Key format: KAFKA_STRING" in out
    assert ", key: <null>, value: <null>" in out
    assert ", key: ITEM_1, value: home cinema" in out


def test_variable_substitution(orders: Session) -> None:
    orders.cli.handle_line("set 'ksql.variable.substitution.enable' = 'true';")
    assert orders.rows("define topicName = 'DELIMITED_TOPIC';") == []
    orders.cli.handle_line("PRINT ${topicName} FROM BEGINNING INTERVAL 1 LIMIT 2;")
    assert ", key: ITEM_1, value: home cinema" in orders.output


def test_disable_variable_substitution_sends_the_reference(orders: Session) -> None:
    """testDisableVariableSubstitution: the reference reaches the server as it is."""
    orders.cli.handle_line("set 'ksql.variable.substitution.enable' = 'false';")
    orders.cli.handle_line("define topicName = 'DELIMITED_TOPIC';")
    orders.cli.handle_line("PRINT ${topicName} FROM BEGINNING INTERVAL 1 LIMIT 2;")
    assert "home cinema" not in orders.output


def test_should_list_functions(cli: Session) -> None:
    for verb in ("list", "show"):
        rows = cli.rows(f"{verb} functions;")
        for row in (["TIMESTAMPTOSTRING", "DATE / TIME"], ["EXTRACTJSONFIELD", "JSON"], ["TOPK", "AGGREGATE"]):
            assert row in rows


def test_should_describe_scalar_function(cli: Session) -> None:
    cli.cli.handle_line("describe function timestamptostring;")
    out = cli.output
    assert (
        "Name        : TIMESTAMPTOSTRING\n"
        "Author      : Confluent\n"
        "Overview    : Converts a number of milliseconds since 1970-01-01 00:00:00 UTC/GMT into the string \n"
        "              representation of the timestamp in the given format. The system default time zone is \n"
        "              used when no time zone is explicitly provided.\n"
        "Type        : SCALAR\n"
        "Jar         : internal\n"
        "Variations  :"
    ) in out
    assert (
        "\tVariation   : TIMESTAMPTOSTRING(epochMilli BIGINT, formatPattern VARCHAR)\n"
        "\tReturns     : VARCHAR\n"
        "\tDescription : Converts a number of milliseconds since 1970-01-01 00:00:00 UTC/GMT into the string \n"
        "                representation of the timestamp in the given format. Single quotes in the timestamp \n"
        "                format can be escaped with '', for example: 'yyyy-MM-dd''T''HH:mm:ssX'. The system \n"
        "                default time zone is used when no time zone is explicitly provided. The format \n"
        "                pattern should be in the format expected by java.time.format.DateTimeFormatter\n"
        "\tepochMilli  : Milliseconds since January 1, 1970, 00:00:00 UTC/GMT.\n"
        "\tformatPattern: The format pattern should be in the format expected by \n"
        "                 java.time.format.DateTimeFormatter."
    ) in out


def test_should_describe_overloaded_scalar_function(cli: Session) -> None:
    cli.cli.handle_line("describe function substring;")
    out = cli.output
    assert (
        "Name        : SUBSTRING\n"
        "Author      : Confluent\n"
        "Overview    : Returns the portion of the string or bytes passed in value.\n"
    ) in out
    assert "Type        : SCALAR\nJar         : internal\nVariations  :" in out
    assert (
        "\tVariation   : SUBSTRING(str VARCHAR, pos INT)\n"
        "\tReturns     : VARCHAR\n"
        "\tDescription : Returns the portion of str from pos to the end of str"
    ) in out
    assert "\tstr         : The source string.\n\tpos         : The base-one position to start from." in out


def test_should_describe_aggregate_function(cli: Session) -> None:
    cli.cli.handle_line("describe function topk;")
    out = cli.output
    assert (
        "Name        : TOPK\n"
        "Author      : Confluent\n"
        "Overview    : Returns the top k values for a column and other values in those records.\n"
        "Type        : AGGREGATE\n"
        "Jar         : internal\n"
        "Variations  : \n"
    ) in out
    assert (
        "\tVariation   : TOPK(val1 INT, val2 ANY[], k INT)\n"
        "\tReturns     : ARRAY<S>\n"
        "\tDescription : Returns the top k values for an integer column and other values in those records."
    ) in out


def test_should_describe_table_function(cli: Session) -> None:
    cli.cli.handle_line("describe function explode;")
    out = cli.output
    assert (
        "Name        : EXPLODE\n"
        "Author      : Confluent\n"
        "Overview    : Explodes an array. This function outputs one value for each element of the array.\n"
        "Type        : TABLE\n"
        "Jar         : internal\n"
        "Variations  : "
    ) in out
    assert "\tVariation   : EXPLODE(list ARRAY<T>)\n\tReturns     : T" in out
    assert "\tVariation   : EXPLODE(input ARRAY<DECIMAL>)\n\tReturns     : DECIMAL" in out


def test_the_welcome_on_a_narrow_terminal(server: Any) -> None:
    """WelcomeMsgUtils: no logo when the console is narrower than it."""
    s = Session(server.server.url, ["exit"], width=0)
    s.cli.run_interactively()
    assert s.output.startswith("ksqlDB, Copyright 2017-2022 Confluent Inc.\n\nCLI v0.29.0, Server v0.29.0 located at ")


# ---------------------------------------------------------------- the mocked client's tests


def _status(seq: int) -> dict[str, Any]:
    return {
        "@type": "currentStatus",
        "statementText": "create stream foo;",
        "commandId": "stream/`FOO`/create",
        "commandStatus": {"status": "SUCCESS", "message": "Stream created", "queryId": None},
        "commandSequenceNumber": seq,
        "warnings": [],
    }


class Recording(RestClient):
    """KsqlRestClient's mock: /ksql answers with `entities`, the requests (and the sequence numbers they
    waited for) recorded."""

    def __init__(self, entities: list[dict[str, Any]] | None = None) -> None:
        super().__init__("http://localhost:1")
        self.entities = entities or []
        self.requests: list[tuple[str, int | None]] = []

    def ksql(
        self, sql: str, command_sequence_number: int | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        self.requests.append((sql, command_sequence_number))
        self.headers = dict(headers or {})
        return Response(200, self.entities)


def _mocked(client: Recording) -> Cli:
    return Cli(client, Terminal(io.StringIO(), 100))


@pytest.mark.parametrize(
    ("entities", "seq"),
    [
        pytest.param([_status(12)], 12, id="shouldUpdateCommandSequenceNumber"),
        pytest.param([_status(12), _status(14)], 14, id="shouldUpdateCommandSequenceNumberOnMultipleCommandStatusEntities"),
        pytest.param([], -1, id="shouldNotUpdateCommandSequenceNumberIfNoCommandStatusEntities"),
    ],
)
def test_command_sequence_number(entities: list[dict[str, Any]], seq: int) -> None:
    client = Recording(entities)
    cli = _mocked(client)
    cli.handle_line("create stream foo;")
    assert cli.last_command_sequence_number == seq
    cli.handle_line("create stream foo;")
    assert client.requests[-1] == ("create stream foo;", seq)  # the next request waits for it


def test_should_issue_request_without_command_sequence_number_if_request_pipelining_on() -> None:
    client = Recording()
    cli = _mocked(client)
    cli.maybe_handle_cli_command("request-pipelining ON")
    cli.handle_line("create stream foo;")
    assert client.requests == [("create stream foo;", None)]


def test_should_update_command_sequence_number_even_if_request_pipelining_on() -> None:
    client = Recording([_status(12)])
    cli = _mocked(client)
    cli.maybe_handle_cli_command("request-pipelining ON")
    cli.handle_line("create stream foo;")
    cli.maybe_handle_cli_command("request-pipelining OFF")
    assert cli.last_command_sequence_number == 12


def _connectors() -> list[dict[str, Any]]:
    return [{"@type": "connector_list", "statementText": "list connectors;", "warnings": [], "connectors": []}]


@pytest.mark.parametrize(("ccloud", "key"), [(True, True), (False, False)])
def test_should_issue_connector_request(ccloud: bool, key: bool) -> None:
    """shouldIssueCCloudConnectorRequest, shouldIssueNonCCloudConnectorRequest."""
    client = Recording(_connectors())
    client.is_ccloud, client.ccloud_api_key = ccloud, ("key", "secret") if key else None
    _mocked(client).handle_line("list connectors;")
    assert client.requests == [("list connectors;", -1)]
    # KsqlRestClient.target(includeConnectorHeaders): the cloud server gets the API key
    expected = {"X-Confluent-API-Key": "key", "X-Confluent-API-Secret": "secret"} if ccloud else {}
    assert client.headers == expected


def test_should_throw_on_ccloud_connector_request_without_api_key() -> None:
    client = Recording(_connectors())
    client.is_ccloud, client.ccloud_api_key = True, None
    with pytest.raises(ConsoleError) as e:
        _mocked(client).handle_line("list connectors;")
    assert (
        "In order to use ksqlDB's connector management capabilities with a Confluent Cloud ksqlDB server, launch "
        "the ksqlDB command line with the additional flags '--confluent-api-key' and '--confluent-api-secret' to "
        "pass a Confluent Cloud API key."
    ) in e.value.message
    assert client.requests == []


def test_should_not_execute_any_statements_on_failed_validation() -> None:
    client = Recording(_connectors())
    client.is_ccloud, client.ccloud_api_key = True, None
    with pytest.raises(ConsoleError):
        _mocked(client).handle_line("show streams; list connectors;")
    assert client.requests == []  # "show streams;" did not run either


def test_persistent_select_star(orders: Session) -> None:
    """testPersistentSelectStar: every order reaches the CSAS's sink."""
    query = _created(orders, "CREATE STREAM STARRED AS SELECT * FROM ORDER;")
    assert query.startswith("CSAS_STARRED")
    rows = orders.rows("SELECT ORDERID, ITEMID FROM STARRED EMIT CHANGES LIMIT 8;")
    assert rows == [[key, item] for key, _, item, *_ in ORDERS]


class Refusing(RestClient):
    def __init__(self) -> None:
        super().__init__("http://localhost:1")

    def server_info(self) -> Response:
        return Response(406, {"@type": "generic_error", "error_code": 40600,
                              "message": "Minimum supported client version: 1.0"})


def test_should_print_error_on_unsupported_api() -> None:
    out = io.StringIO()
    cli = Cli(Refusing(), Terminal(out, 100), reader=Reader(io.StringIO("exit\n"), interactive=False))
    cli.run_interactively()
    assert "This CLI version no longer supported" in out.getvalue()
    assert "Minimum supported client version: 1.0" in out.getvalue()
