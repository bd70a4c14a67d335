"""The %%ksql magics in an IPython shell, against an in-process ksqlserver over its REST API (in-memory
topics): tables of entities, queries into DataFrames bounded by --limit and --timeout, ksqlDB's error
text without a traceback, DEFINE and Python variables, the notice about `latest`, and the session
commands."""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from fraudlab.ksql.offsets import source_names
from fraudlab.magics import KsqlMagics, KsqlServerError, MagicUsageError
from fraudlab.magics.magic import split_options
from fraudlab.magics.rest import KsqlRest, schema_columns
from fraudlab.magics.statements import Kind, classify
from fraudlab.magics.variables import Variables, substitute
from ksqlserver.config import ServerConfig
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer

ROWS = [{"ID": i, "USER_ID": f"u{i % 3}", "AMOUNT": 10.0 * i} for i in range(1, 9)]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, MemoryDriver]]:
    driver = MemoryDriver()
    driver.create_topic("payments", partitions=1)
    driver.produce("payments", [Record(None, json.dumps(r).encode(), 1_000 + i) for i, r in enumerate(ROWS)])
    # the server's default for new queries stays ksqlDB's `latest`; queries run on threads, as in a server
    engine = Engine(EngineConfig(service_id="magic_"), driver)
    with BackgroundServer(engine, ServerConfig(port=0)) as srv:
        KsqlRest(srv.url).execute(
            "CREATE STREAM payments_s (ID INT, USER_ID STRING, AMOUNT DOUBLE) "
            "WITH (kafka_topic='payments', value_format='JSON');", {})
        yield srv.url, driver


@pytest.fixture()
def shell(server: tuple[str, MemoryDriver]) -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    ip.register_magics(KsqlMagics(ip, server[0]))
    yield ip
    for name in [n for n in ip.user_ns if n.startswith("t_")]:
        del ip.user_ns[name]


def run(ip: InteractiveShell, source: str) -> tuple[Any, str, list[Any]]:
    """(the cell's value, its stdout + stderr, its rich outputs) of one cell."""
    with capture_output() as out:
        result = ip.run_cell(source)
    return result, out.stdout + out.stderr, out.outputs


def texts(outputs: list[Any]) -> str:
    return "\n".join(o.data.get("text/plain", "") for o in outputs)


def test_options_leave_a_line_magics_sql_as_written() -> None:
    options, sql = split_options("-o t_df --limit 5 --timeout=2.5 --no-live SELECT 'a  b' AS x FROM s;")
    assert (options.output, options.limit, options.timeout_s, options.live) == ("t_df", 5, 2.5, False)
    assert sql == "SELECT 'a  b' AS x FROM s;"
    with pytest.raises(MagicUsageError, match="--limit needs a value"):
        split_options("--limit")
    with pytest.raises(MagicUsageError, match="not a Python variable name"):
        split_options("-o 1x SELECT 1;")


def test_substitution_follows_ksqldb() -> None:
    values = {"env": "qa", "ENV2": "prod"}
    lookup = lambda n: values.get(n) or values.get(n.upper())
    assert substitute("topic_${env}", lookup) == "topic_qa"
    assert substitute("topic_$${env}", lookup) == "topic_${env}"
    assert substitute("topic_$${${env}}", lookup) == "topic_${qa}"
    with pytest.raises(MagicUsageError, match=r"\$\{nope\}"):
        substitute("x ${nope}", lookup)
    variables = Variables({"amount": 12.5, "name": "x", "func": len})
    variables.define("Replicas", "3")
    assert variables.render("${REPLICAS} ${replicas} ${amount}") == "3 3 12.5"
    with pytest.raises(MagicUsageError):
        variables.render("${func}")  # a function is not a value


def test_statement_kinds() -> None:
    assert classify("SELECT * FROM t EMIT CHANGES LIMIT 3").kind is Kind.PUSH
    assert classify("SELECT * FROM t EMIT CHANGES LIMIT 3").sql_limit == 3
    assert classify("SELECT * FROM t WHERE k = 'EMIT CHANGES';").kind is Kind.PULL
    d = classify("DEFINE topicName = '''my_topic''';")
    assert (d.kind, d.name, d.value) == (Kind.DEFINE, "topicName", "'my_topic'")
    s = classify("SET 'auto.offset.reset' = 'earliest';")
    assert (s.kind, s.name, s.value) == (Kind.SET, "auto.offset.reset", "earliest")
    assert classify("CREATE STREAM x AS SELECT * FROM y;").starts_persistent_query
    assert not classify("CREATE STREAM x (a INT) WITH (kafka_topic='AS SELECT');").starts_persistent_query
    assert schema_columns("`ID` INTEGER KEY, `S` STRUCT<`A` INTEGER, `B` STRING>, `M` MAP<STRING, INTEGER>") == (
        ["ID", "S", "M"], ["INTEGER KEY", "STRUCT<`A` INTEGER, `B` STRING>", "MAP<STRING, INTEGER>"])


def test_statements_show_entities_as_tables_with_variables(shell: InteractiveShell) -> None:
    shell.user_ns["t_topic"] = "payments"
    result, printed, outputs = run(shell, """%%ksql
DEFINE fmt = 'JSON';
CREATE STREAM payments_v (ID INT, USER_ID STRING, AMOUNT DOUBLE)
  WITH (kafka_topic='${t_topic}', value_format='${fmt}');
SHOW STREAMS;
""")
    assert result.success, printed
    created = [o for o in outputs if "Stream created" in o.data.get("text/plain", "")]
    assert created and "<table" in created[0].data["text/html"]
    streams = result.result
    assert isinstance(streams, pd.DataFrame)
    row = streams.set_index("name").loc["PAYMENTS_V"]
    assert row["topic"] == "payments" and row["valueFormat"] == "JSON"

    described, _, _ = run(shell, "%ksql -o t_fields DESCRIBE payments_v;")
    assert list(shell.user_ns["t_fields"]["field"]) == ["ID", "USER_ID", "AMOUNT"]
    assert "topic payments" in described.result.title


def test_a_push_query_at_latest_says_so_and_how_to_change_it(shell: InteractiveShell) -> None:
    result, printed, outputs = run(shell, "%ksql -o t_none --timeout 1.5 SELECT * FROM payments_s EMIT CHANGES;")
    assert result.success, printed
    shown = texts(outputs)
    assert "starts at the latest offset" in shown and "%ksql_config auto.offset.reset=earliest" in shown
    assert len(shell.user_ns["t_none"]) == 0 and "ended at the timeout" in printed
    assert "no rows arrived before the timeout" in shown
    html = [o.data["text/html"] for o in outputs if "text/html" in o.data and "latest offset" in o.data["text/html"]]
    assert html and 'class="fraudlab-ksql-notice' in html[0]


def test_a_query_over_tables_only_gets_no_latest_notice(shell: InteractiveShell, server: tuple[str, MemoryDriver]) -> None:
    """With auto.offset.reset unset everywhere, ksqlDB reads a table source from the earliest offset
    (SourceBuilderBase's table default), so a push query over a table starts at the beginning: no notice,
    and the rows already in the topic arrive. A stream in the same statement brings the notice back."""
    driver = server[1]
    if "accounts" not in driver.topics():
        driver.create_topic("accounts", partitions=1)
        driver.produce("accounts", [Record(f"a{i}".encode(), json.dumps({"LIMIT_EUR": i}).encode(), 1_000 + i)
                                    for i in range(3)])
    run(shell, "%%ksql\nCREATE TABLE IF NOT EXISTS payments_t (ID STRING PRIMARY KEY, LIMIT_EUR INT) "
               "WITH (kafka_topic='accounts', value_format='JSON');")
    result, printed, outputs = run(shell, "%ksql -o t_tab --limit 2 --timeout 5 SELECT * FROM Payments_T EMIT CHANGES;")
    assert result.success, printed
    assert "latest offset" not in texts(outputs)
    assert len(shell.user_ns["t_tab"]) == 2
    _, _, outputs = run(shell, "%ksql --limit 1 --timeout 1.5 SELECT * FROM payments_s s JOIN payments_t t ON s.USER_ID = t.ID "
                               "EMIT CHANGES;")
    assert "starts at the latest offset" in texts(outputs)
    # `FROM` inside a string literal names no source
    assert source_names("SELECT 'from payments_s', 'it''s from x' FROM `t` x JOIN \"Mixed\" ON a=b JOIN c;") == [
        "t", "Mixed", "C"]


def test_earliest_push_query_lands_in_a_dataframe_bounded_by_limit(shell: InteractiveShell) -> None:
    run(shell, "%ksql_config auto.offset.reset=earliest")
    result, printed, outputs = run(shell, "%ksql -o t_df --limit 5 SELECT ID, AMOUNT FROM payments_s EMIT CHANGES;")
    assert result.success, printed
    frame = shell.user_ns["t_df"]
    assert list(frame.columns) == ["ID", "AMOUNT"] and list(frame["ID"]) == [1, 2, 3, 4, 5], printed
    assert frame.attrs["ended"] == "limit" and "ended at the row limit" in printed
    assert "latest offset" not in texts(outputs)
    # the query's own LIMIT ends it on the server
    own, printed, _ = run(shell, "%ksql SELECT * FROM payments_s EMIT CHANGES LIMIT 3;")
    assert len(own.result) == 3 and own.result.attrs["ended"] in ("complete", "limit")


def test_a_live_push_query_redraws_one_display(shell: InteractiveShell) -> None:
    run(shell, "%ksql_config auto.offset.reset=earliest")
    result, printed, outputs = run(shell, "%%ksql --live --limit 8 -o t_live\nSELECT * FROM payments_s EMIT CHANGES;")
    assert result.success, printed
    live = [o for o in outputs if 'class="fraudlab-ksql-live' in o.data.get("text/html", "")]
    assert live, "no live display"
    assert 'data-state="done"' in live[-1].data["text/html"] and "8 rows" in live[-1].data["text/plain"]
    assert len(shell.user_ns["t_live"]) == 8


def test_a_pull_query_on_a_table(shell: InteractiveShell) -> None:
    run(shell, "%ksql_config auto.offset.reset=earliest")
    result, printed, _ = run(shell, """%%ksql
CREATE TABLE IF NOT EXISTS per_user AS SELECT USER_ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL
  FROM payments_s GROUP BY USER_ID;
""")
    assert result.success, printed
    deadline = time.monotonic() + 30
    while True:  # the persistent query fills the table in the background
        pulled, printed, _ = run(shell, "%ksql -o t_users SELECT * FROM per_user;")
        assert pulled.success, printed
        frame = shell.user_ns["t_users"]
        if (len(frame) and frame["N"].sum() == len(ROWS)) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert frame.set_index("USER_ID")["N"].to_dict() == {"u0": 2, "u1": 3, "u2": 3}
    assert list(frame.columns) == ["USER_ID", "N", "TOTAL"]


def test_extended_listings_are_one_row_per_source_and_query(shell: InteractiveShell) -> None:
    """SHOW STREAMS EXTENDED (`source_descriptions`) and SHOW QUERIES EXTENDED (`query_descriptions`) are one
    row per source / query with its columns in one line, not the raw nested entities; DESCRIBE ... EXTENDED
    puts the runtime side (partitions, the queries writing it) in the title."""
    created, printed, _ = run(shell, """%%ksql
CREATE STREAM IF NOT EXISTS big_payments AS SELECT ID, USER_ID, AMOUNT FROM payments_s WHERE AMOUNT > 10;
""")
    assert created.success, printed
    streams, printed, _ = run(shell, "%ksql SHOW STREAMS EXTENDED;")
    assert streams.success, printed
    row = streams.result.set_index("name").loc["BIG_PAYMENTS"]
    assert row["columns"] == "ID INTEGER, USER_ID STRING, AMOUNT DOUBLE"
    assert row["valueFormat"] == "JSON" and row["partitions"] == 1 and row["writeQueries"].startswith("CSAS_BIG_PAYMENTS")
    assert streams.result.set_index("name").loc["PAYMENTS_S", "readQueries"].count("CSAS_BIG_PAYMENTS") == 1

    queries, printed, _ = run(shell, "%ksql SHOW QUERIES EXTENDED;")
    assert queries.success, printed
    query = queries.result.set_index("sinks").loc["BIG_PAYMENTS"]
    assert query["sources"] == "PAYMENTS_S" and query["queryType"] == "PERSISTENT"
    assert query["columns"] == "ID INTEGER, USER_ID STRING, AMOUNT DOUBLE"

    described, printed, _ = run(shell, "%ksql DESCRIBE big_payments EXTENDED;")
    assert described.success, printed
    assert "1 partitions, replication 1; written by CSAS_BIG_PAYMENTS" in described.result.title
    assert list(described.result.frame["field"]) == ["ID", "USER_ID", "AMOUNT"]


def test_ksqldb_errors_are_shown_plainly_and_fail_the_cell(shell: InteractiveShell) -> None:
    result, printed, _ = run(shell, "%%ksql\nSHOW STREAMS;\nSELECT * FROM no_such_stream EMIT CHANGES;\nSHOW TABLES;")
    assert not result.success and isinstance(result.error_in_exec, KsqlServerError)
    assert "NO_SUCH_STREAM does not exist" in printed
    assert "statement: SELECT * FROM no_such_stream EMIT CHANGES;" in printed
    assert "Traceback" not in printed and "File " not in printed
    bad, printed, _ = run(shell, "%ksql CREATE STREAM broken (a INT) WITH (kafka_topic='nope', value_format='JSON');")
    assert not bad.success and "nope" in printed and "Traceback" not in printed


def test_session_commands(shell: InteractiveShell) -> None:
    result, printed, _ = run(shell, "%%ksql\nDEFINE a_var = 'one';\nSET 'auto.offset.reset' = 'latest';\nSHOW VARIABLES;")
    assert result.success, printed
    assert dict(result.result.values.tolist())["a_var"] == "one"
    assert "Successfully changed local property 'auto.offset.reset' to 'latest'" in printed
    config, _, _ = run(shell, "%ksql_config")
    assert dict(config.result.values.tolist()) == {"auto.offset.reset": "latest"}
    config, _, _ = run(shell, "%ksql_config ksql.streams.auto.offset.reset=earliest")
    assert dict(config.result.values.tolist()) == {"ksql.streams.auto.offset.reset": "earliest"}
    run(shell, "%%ksql\nUNDEFINE a_var;\nUNSET 'auto.offset.reset';")
    config, _, _ = run(shell, "%ksql_config")
    assert config.result.empty
    missing, printed, _ = run(shell, "%ksql SELECT * FROM payments_s WHERE USER_ID = '${a_var}';")
    assert not missing.success and "no value for ${a_var}" in printed


def test_connect_checks_the_server(shell: InteractiveShell, server: tuple[str, MemoryDriver]) -> None:
    ok, printed, _ = run(shell, f"%ksql_connect {server[0]}")
    assert ok.success and "KSQL server 0.29" in printed
    down, printed, _ = run(shell, "%ksql_connect http://127.0.0.1:9")
    assert not down.success and "cannot reach the KSQL server at http://127.0.0.1:9" in printed
    assert "Traceback" not in printed


def test_pipeline_helpers_warn_when_a_persistent_query_leaves_the_offset_to_the_server(
    server: tuple[str, MemoryDriver], tmp_path: Any,
) -> None:
    from fraudlab.ksql import KsqlConfig, run_sql_file
    from fraudlab.ksql.offsets import LatestOffsetWarning

    sql = tmp_path / "01_copy.sql"
    sql.write_text("CREATE STREAM IF NOT EXISTS copy_unset AS SELECT * FROM payments_s;\n")
    with pytest.warns(LatestOffsetWarning, match="auto.offset.reset"):
        run_sql_file(KsqlConfig(server[0], properties={}), sql, {})
    sql.write_text("CREATE STREAM IF NOT EXISTS copy_earliest AS SELECT * FROM payments_s;\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LatestOffsetWarning)
        run_sql_file(KsqlConfig(server[0]), sql, {})  # the default properties read from the beginning
