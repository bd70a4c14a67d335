"""The KSQL client and `apply` through the REST API of an in-process ksqlserver (in-memory topics): statement
files, bounded push and pull queries, descriptions, and the idempotent apply with its errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fraudlab.ksql import (
    KsqlConfig,
    KsqlInputError,
    StatementError,
    apply,
    describe,
    pull_frame,
    query_frame,
    run_sql_file,
    source_info,
    sql_files,
)


@pytest.fixture()
def server(ksql_in_process: Callable[..., tuple[Any, Any, str]]) -> tuple[Any, Any, KsqlConfig]:
    engine, driver, url = ksql_in_process()
    driver.create_topic("in_t", partitions=1)
    return engine, driver, KsqlConfig(url=url)


def _files(tmp_path: Path) -> list[Path]:
    (tmp_path / "01_src.sql").write_text(
        "-- the source\nCREATE STREAM IF NOT EXISTS ${src} (ID INT KEY, AMOUNT DOUBLE) "
        "WITH (KAFKA_TOPIC='in_t', VALUE_FORMAT='JSON');\n"
    )
    (tmp_path / "02_big.sql").write_text(
        "CREATE STREAM IF NOT EXISTS BIG WITH (KAFKA_TOPIC='big_t') AS SELECT * FROM ${src} WHERE AMOUNT > 10;\n"
    )
    (tmp_path / "notes.sql").write_text("not a numbered file;")
    return sql_files(tmp_path)


def test_apply_runs_in_order_and_a_second_run_skips_what_exists(
    server: tuple[Any, Any, KsqlConfig], tmp_path: Path
) -> None:
    engine, driver, config = server
    files = _files(tmp_path)
    assert [f.name for f in files] == ["01_src.sql", "02_big.sql"]
    seen: list[str] = []
    first = apply(config, files, {"src": "SRC"}, on_statement=lambda a: seen.append(a.status))
    assert [(a.file, a.status, a.target) for a in first] == [("01_src.sql", "created", "SRC"),
                                                             ("02_big.sql", "created", "BIG")]
    assert seen == ["created", "created"]
    again = apply(config, files, {"src": "SRC"})
    assert [a.status for a in again] == ["skipped", "skipped"]
    from ksqlserver.drivers.base import Record

    driver.produce("in_t", [Record(b"\x00\x00\x00\x01", json.dumps({"AMOUNT": a}).encode(), 1) for a in (5.0, 50.0)])
    engine.drain()
    assert [json.loads(r.value)["AMOUNT"] for r in driver.records("big_t")] == [50.0]
    info = source_info(config, "BIG")
    assert info["topic"] == "big_t" and len(info["write_queries"]) == 1  # not started twice
    assert set(describe(config, "SRC")["column"]) == {"ID", "AMOUNT"}


def test_a_rejected_statement_names_its_file_and_what_ran_before_stays(
    server: tuple[Any, Any, KsqlConfig], tmp_path: Path
) -> None:
    _, _, config = server
    (tmp_path / "01_ok.sql").write_text("CREATE STREAM OK1 (X INT) WITH (KAFKA_TOPIC='in_t', VALUE_FORMAT='JSON');")
    (tmp_path / "02_bad.sql").write_text("CREATE STREAM BAD AS SELECT * FROM NO_SUCH_STREAM;")
    with pytest.raises(StatementError, match=r"^02_bad\.sql: KSQL rejected 'CREATE STREAM BAD") as info:
        apply(config, sql_files(tmp_path), {})
    assert info.value.file is not None and info.value.file.name == "02_bad.sql"
    assert "NO_SUCH_STREAM" in info.value.message.upper()
    with pytest.raises(StatementError, match=r"^01_ok\.sql: .*already exists"):  # no IF NOT EXISTS in it
        run_sql_file(config, tmp_path / "01_ok.sql", {})
    (tmp_path / "03_more.sql").write_text("CREATE STREAM OK2 (X INT) WITH (KAFKA_TOPIC='in_t', VALUE_FORMAT='JSON');")
    [result] = run_sql_file(config, tmp_path / "03_more.sql", {})
    assert (result.file, result.status) == ("03_more.sql", "SUCCESS")


def test_queries_are_bounded_and_inputs_checked(server: tuple[Any, Any, KsqlConfig], tmp_path: Path) -> None:
    _, _, config = server
    with pytest.raises(StatementError, match="must end with LIMIT n"):
        query_frame(config, "SELECT * FROM X EMIT CHANGES;")
    with pytest.raises(StatementError, match="no EMIT CHANGES"):
        pull_frame(config, "SELECT * FROM X EMIT CHANGES;")
    with pytest.raises(KsqlInputError, match="is not a directory"):
        sql_files(tmp_path / "missing")
    with pytest.raises(KsqlInputError, match=r"holds no NN_\*\.sql files"):
        sql_files(tmp_path)
