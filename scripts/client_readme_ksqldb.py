"""Runs the documented calls of the PyPI `ksqldb` client (its README, in order) against ksqlserver.

    .venv/bin/python scripts/client_readme_ksqldb.py [--bootstrap-servers HOST:PORT | memory://] [--json FILE]

`ksqldb` 1.0.1 (MIT) ships no tests, so its README is the suite: get_properties, ksql (SHOW TOPICS /
STREAMS / TABLES, DESCRIBE ... EXTENDED), query_sync and query_async over HTTP/2 /query-stream,
close_query, inserts_stream over HTTP/2 /inserts-stream. Each call's result is checked against what
ksqlDB 0.29 answers (the Java rest-app source). The sdist is downloaded at run time into the git-ignored
`.cache/client-suite/`, pinned by SHA-256, and imported from there (its code is never copied into git);
it needs only requests and httpx[http2], which the project's venv has. Without --bootstrap-servers the
embedded stack is started on free ports and stopped afterwards. Prints each call's outcome as JSON; exits
1 when any fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tarfile
import tempfile
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from _clients import fetch_pinned, start_server

REPO = Path(__file__).resolve().parent.parent
VERSION = "1.0.1"
SDIST_URL = (
    "https://files.pythonhosted.org/packages/d6/c1/efaaa27ffa2f37930712f30802501250616e1387ffae2d0d9da797a2b7d4/"
    f"ksqldb-{VERSION}.tar.gz"
)
SDIST_SHA256 = "f257388ae5c70f5d8166526d5c6846734c36855df216825b381c48201a4b8d55"
EARLIEST = {"ksql.streams.auto.offset.reset": "earliest"}  # as the README passes it


def fetch_client(cache: Path) -> Path:
    """The sdist's src/ folder (holding the `ksqldb` package), downloaded and checked when missing."""
    path = fetch_pinned(SDIST_URL, SDIST_SHA256, cache)
    src = cache / f"ksqldb-{VERSION}" / "src"
    if not (src / "ksqldb" / "client.py").exists():
        with tarfile.open(path) as tar:
            tar.extractall(cache, filter="data")
    return src


def readme_calls(client: Any, stream: str) -> list[tuple[str, Callable[[], Any], Callable[[Any], None]]]:
    """(name, call, check) in the README's order; `check` raises AssertionError on a divergence."""
    topic = stream.lower()
    rows = [{"COL1": "val1", "COL2": 2.3, "COL3": True}, {"COL1": "val2", "COL2": 4.5, "COL3": False}]
    expected_rows = [["val1", 2.3, True], ["val2", 4.5, False]]
    pushed: dict[str, Any] = {}

    def check_properties(props: Any) -> None:
        names = {p["name"] for p in props}
        assert "ksql.streams.auto.offset.reset" in names or "ksql.service.id" in names, sorted(names)[:10]
        assert all({"name", "scope", "value"} <= set(p) for p in props)

    def check_created(result: Any) -> None:
        assert result[0]["@type"] == "currentStatus", result
        assert result[0]["commandStatus"]["status"] == "SUCCESS", result
        assert result[0]["commandId"] == f"stream/`{stream}`/create", result

    def listing(kind: str, key: str, name: str | None) -> Callable[[Any], None]:
        def check(result: Any) -> None:
            assert result[0]["@type"] == kind, result
            if name is not None:
                assert name in {item["name"] for item in result[0][key]}, result

        return check

    def check_described(result: Any) -> None:
        description = result[0]["sourceDescription"]
        assert result[0]["@type"] == "sourceDescription" and description["extended"] is True, result
        assert [f["name"] for f in description["fields"]] == ["COL1", "COL2", "COL3"], description["fields"]
        assert description["topic"] == topic, description

    def check_inserted(result: Any) -> None:
        assert result == [{"status": "ok", "seq": 0}, {"status": "ok", "seq": 1}], result

    def check_pulled(result: Any) -> None:
        header, *data = result
        assert header["columnNames"] == ["COL1", "COL2", "COL3"], header
        assert header["columnTypes"] == ["STRING", "DOUBLE", "BOOLEAN"], header
        assert header["queryId"].startswith(f"transient_{stream}_"), header
        assert data == expected_rows, data

    async def push() -> list[Any]:
        out: list[Any] = []
        async for item in client.query_async(f"select * from {stream} emit changes;", EARLIEST, timeout=30):
            out.append(item)
            if len(out) == 3:
                break
        return out

    def check_pushed(result: Any) -> None:
        header, *data = result
        pushed["queryId"] = header["queryId"]
        assert header["columnNames"] == ["COL1", "COL2", "COL3"], header
        assert data == expected_rows, data

    def close_pushed() -> Any:
        return client.close_query(pushed.get("queryId", "none"))

    def bad_statement() -> Any:
        try:
            return client.ksql("select * from;")
        except Exception as exc:  # requests' HTTPError: status line and reason phrase shown
            return f"{type(exc).__name__}: {exc}"

    def check_bad(result: Any) -> None:
        assert isinstance(result, str) and result.startswith("HTTPError: 400 Client Error: Bad Request for"), result

    return [
        ("get_properties", client.get_properties, check_properties),
        ("ksql create stream", lambda: client.ksql(
            f"CREATE STREAM {stream} (COL1 VARCHAR KEY, COL2 DOUBLE, COL3 BOOLEAN) "
            f"WITH (kafka_topic='{topic}', partitions=1, value_format='JSON');"), check_created),
        ("ksql show topics", lambda: client.ksql("show topics;"), listing("kafka_topics", "topics", topic)),
        ("ksql show streams", lambda: client.ksql("show streams;"), listing("streams", "streams", stream)),
        ("ksql show tables", lambda: client.ksql("show tables;"), listing("tables", "tables", None)),
        ("ksql describe extended", lambda: client.ksql(f"describe {stream} extended;"), check_described),
        ("inserts_stream", lambda: client.inserts_stream(stream, rows), check_inserted),
        ("query_sync", lambda: client.query_sync(f"select * from {stream};", EARLIEST), check_pulled),
        ("query_async", lambda: asyncio.run(push()), check_pushed),
        ("close_query", close_pushed, lambda ok: _equal(ok, True)),
        ("close_query unknown", lambda: client.close_query("nope"), lambda ok: _equal(ok, False)),
        ("ksql syntax error", bad_statement, check_bad),
        ("ksql drop stream", lambda: client.ksql(f"DROP STREAM {stream} DELETE TOPIC;"),
         lambda r: _equal(r[0]["commandStatus"]["status"], "SUCCESS")),
    ]  # fmt: skip


def _equal(actual: Any, expected: Any) -> None:
    assert actual == expected, actual


def run_calls(src: Path, url: str) -> dict[str, Any]:
    sys.path.insert(0, str(src))
    from ksqldb import KSQLdbClient  # the downloaded client

    stream = f"README_{uuid.uuid4().hex[:8].upper()}"
    outcomes: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, call, check in readme_calls(KSQLdbClient(url), stream):
        try:
            check(call())
            outcomes[name] = "passed"
        except Exception as exc:
            outcomes[name] = "failure"
            errors[name] = f"{type(exc).__name__}: {exc}"[:500]
    counts = {k: sum(1 for v in outcomes.values() if v == k) for k in ("passed", "failure")}
    return {"counts": counts, "tests": outcomes, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap-servers", default=None, help="a running broker (default: embedded stack)")
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args()
    src = fetch_client(REPO / ".cache" / "client-suite")
    # the stack and server stop (ExitStack) before their state directory is removed
    with tempfile.TemporaryDirectory(prefix="client-readme-") as tmp, ExitStack() as stack:
        server, bootstrap = start_server(stack, Path(tmp), args.bootstrap_servers, "client_readme")
        result = {"client": f"ksqldb {VERSION} (README calls)", "server": server.url, "bootstrap_servers": bootstrap}
        result |= run_calls(src, server.url)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n")
    sys.exit(1 if result["counts"]["failure"] else 0)


if __name__ == "__main__":
    main()
