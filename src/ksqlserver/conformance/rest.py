"""REST-level conformance runner for ksqlDB's rest-query-validation-tests (FORMAT.md §11).

    python -m ksqlserver.conformance.rest ../shared/ksql-conformance/rest [--json FILE]

Each expanded case gets a fresh engine over the in-memory driver behind a real `KsqlServer` on a free
loopback port. Admin statements go in one POST /ksql; inputs are inserted through the engine's
`insert_rows` into the source that owns the input topic (the engine serialises them with that source's
format, ROWTIME = the record timestamp); each SELECT goes to POST /query with `Accept: application/json`;
responses are subset-matched as the upstream harness does, and `outputs` are read back from the topics.
Cases the index marks out of scope, and inputs this runner cannot express (tombstones, windowed keys), are
skipped with a reason.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from ksqlserver.config import ServerConfig
from ksqlserver.conformance import records, sr_records
from ksqlserver.conformance.rest_cases import (
    CaseResult,
    RestCase,
    RestRunnerError,
    expand,
    load_index,
    topics_to_create,
)
from ksqlserver.conformance.rest_match import (
    by_column,
    check_error,
    match_query,
    record_problem,
    subset_match,
)
from ksqlserver.formats.sr.client import MemoryRegistryClient

SERVICE_ID = "some.ksql.service.id"


@dataclass
class RestReport:
    results: list[CaseResult] = field(default_factory=list)

    def count(self, status: str, group: str = "") -> int:
        return sum(1 for r in self.results if r.status == status and r.group == group)

    def summary(self) -> str:
        """`SR cases: P passed / F failed` (when any ran), then the other cases' `N passed, M failed, K
        skipped` as the last line."""
        failed = self.count("fail") + self.count("error")
        line = f"{self.count('pass')} passed, {failed} failed, {self.count('skipped')} skipped"
        if any(r.group == "sr" for r in self.results):
            sr_failed = self.count("fail", "sr") + self.count("error", "sr")
            sr_line = f"SR cases: {self.count('pass', 'sr')} passed / {sr_failed} failed"
            if self.count("skipped", "sr"):
                sr_line += f" ({self.count('skipped', 'sr')} skipped by this runner)"
            return sr_line + "\n" + line
        return line


# ---- running ---------------------------------------------------------------------------------------------


class CaseRun:
    """One expanded case against a fresh engine + server."""

    def __init__(self, case: RestCase, query_timeout: float = 15.0) -> None:
        from ksqlserver.config import EngineConfig
        from ksqlserver.drivers.memory import MemoryDriver
        from ksqlserver.engine import Engine
        from ksqlserver.server import BackgroundServer

        self.case = case
        self.query_timeout = query_timeout
        # the upstream REST harness produces to a real (embedded) broker: a keyed record lands in the
        # partition Kafka's producer picks (murmur2 of the key), which ROWPARTITION shows
        self.driver = MemoryDriver(key_partitioning=True)
        # like the upstream REST harness's server: sources are read from the beginning by default
        config = EngineConfig(
            service_id=SERVICE_ID,
            # TestKsqlRestApp's server config: no record cache (one output per update)
            properties={"ksql.service.id": SERVICE_ID, "ksql.streams.auto.offset.reset": "earliest",
                        "ksql.streams.cache.max.bytes.buffering": "0"},
        )
        self.registry = MemoryRegistryClient()
        self.engine = Engine(config, self.driver, self.registry)
        self.server = BackgroundServer(
            self.engine, ServerConfig(host="127.0.0.1", port=0, keepalive_interval=1.0)
        )
        self.http = httpx.Client(timeout=60)

    def __enter__(self) -> CaseRun:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()
        self.server.stop()
        self.engine.close()

    def post(self, path: str, body: dict[str, Any], accept: str | None = None) -> tuple[int, Any]:
        headers = {"Accept": accept} if accept else {}
        response = self.http.post(self.server.url + path, json=body, headers=headers)
        text = response.text
        try:
            return response.status_code, json.loads(text, parse_float=Decimal) if text.strip() else None
        except json.JSONDecodeError:
            return response.status_code, text

    def run(self) -> CaseResult:
        case, spec = self.case, self.case.spec
        for name, partitions in topics_to_create(case.statements, spec):
            self.driver.create_topic(name, partitions, 1)
        admin = [s for s in case.statements if not s.lstrip().upper().startswith("SELECT ")]
        queries = [s for s in case.statements if s.lstrip().upper().startswith("SELECT ")]
        expected_error = spec.get("expectedError")
        sr_records.register_topic_schemas(self.registry, spec.get("topics", []))
        responses: list[dict[str, Any]] = []
        if admin:
            status, body = self.post(
                "/ksql", {"ksql": "\n".join(admin), "streamsProperties": case.properties}
            )
            if status != 200:
                if expected_error:
                    problem = check_error(expected_error, status, body, admin[-1])
                    return CaseResult(case.name, "fail" if problem else "pass", problem)
                return CaseResult(
                    case.name, "fail", f"/ksql failed: {status} {json.dumps(body, default=str)[:600]}"
                )
            responses.extend({"admin": entity} for entity in body)

        query_results: list[tuple[int, Any]] = []
        if spec.get("inputConditions", {}).get("waitForActivePushQuery") and len(queries) == 1:
            holder: dict[str, tuple[int, Any]] = {}
            thread = threading.Thread(target=lambda: holder.update(r=self._query(queries[0])), daemon=True)
            thread.start()
            time.sleep(0.5)  # the query subscribes at `latest`; give it time to start
            self._produce(spec.get("inputs", []))
            thread.join(60)
            query_results.append(holder.get("r", (0, "no response within 60 s")))
        else:
            self._produce(spec.get("inputs", []))
            self._settle()
            query_results.extend(self._query(q) for q in queries)

        for query, (status, body) in zip(queries, query_results, strict=True):
            if status != 200:
                if expected_error:
                    problem = check_error(expected_error, status, body, query)
                    return CaseResult(case.name, "fail" if problem else "pass", problem)
                return CaseResult(
                    case.name, "fail", f"query failed: {status} {json.dumps(body, default=str)[:600]}"
                )
            responses.append({"query": body})
        if expected_error:
            return CaseResult(case.name, "fail", "expected an error, none was returned")

        problem = self._check_outputs(spec.get("outputs", []))
        if problem:
            return CaseResult(case.name, "fail", problem)
        expected_responses = spec.get("responses", [])
        if len(responses) < len(expected_responses):
            return CaseResult(
                case.name, "fail", f"{len(responses)} responses, expected {len(expected_responses)}"
            )
        verify_order = bool(spec.get("outputConditions", {}).get("verifyOrder"))
        for position, want in enumerate(expected_responses):
            got = responses[position]
            if "admin" in want:
                statement = case.statements[position] if position < len(case.statements) else ""
                if "admin" not in got or not subset_match(want["admin"], got["admin"], statement):
                    return CaseResult(
                        case.name, "fail", f"response {position}: {json.dumps(got, default=str)[:600]}"
                    )
            elif "query" in want:
                if "query" not in got or not isinstance(got["query"], list):
                    return CaseResult(case.name, "fail", f"response {position} is not a query result")
                problem = match_query(want["query"], got["query"], verify_order)
                if problem:
                    return CaseResult(case.name, "fail", f"response {position}: {problem}")
        return CaseResult(case.name, "pass")

    def _query(self, sql: str) -> tuple[int, Any]:
        """POST /query with Accept: application/json; a query still open after `limit` s fails the case."""
        body = {"ksql": sql, "streamsProperties": self.case.properties}
        limit = self.query_timeout
        deadline = time.monotonic() + limit
        parts: list[bytes] = []
        headers = {"Accept": "application/json"}
        # ksqlDB sends nothing while a push query is idle: the read timeout bounds a silent query
        timeout = httpx.Timeout(60.0, read=limit)
        try:
            with self.http.stream(
                "POST", self.server.url + "/query", json=body, headers=headers, timeout=timeout
            ) as response:
                for chunk in response.iter_raw():
                    parts.append(chunk)
                    if time.monotonic() > deadline:
                        return 0, f"query still streaming after {limit} s: {b''.join(parts)[:600]!r}"
        except httpx.ReadTimeout:
            return 0, f"query still streaming after {limit} s: {b''.join(parts)[:600]!r}"
        text = b"".join(parts).decode("utf-8")
        try:
            return response.status_code, json.loads(text, parse_float=Decimal) if text.strip() else None
        except json.JSONDecodeError:
            return response.status_code, text

    def _sources_by_topic(self) -> dict[str, tuple[str, list[str], list[str]]]:
        """topic -> (source name, key column names, value column names), via SHOW/DESCRIBE."""
        found: dict[str, tuple[str, list[str], list[str]]] = {}
        for kind in ("STREAMS", "TABLES"):
            status, body = self.post("/ksql", {"ksql": f"SHOW {kind};"})
            if status != 200:
                continue
            for source in body[0].get(kind.lower(), []):
                status, described = self.post("/ksql", {"ksql": f"DESCRIBE `{source['name']}`;"})
                if status != 200:
                    continue
                fields = described[0]["sourceDescription"]["fields"]
                keys = [f["name"] for f in fields if f.get("type") == "KEY"]
                values = [f["name"] for f in fields if f.get("type") not in ("KEY", "HEADER")]
                found.setdefault(source["topic"], (source["name"], keys, values))
        return found

    def _produce(self, inputs: Iterable[dict[str, Any]]) -> None:
        inputs = list(inputs)
        if not inputs:
            return
        sources = self._sources_by_topic()
        for record in inputs:
            topic = record["topic"]
            if topic not in sources:
                raise RestRunnerError(f"{self.case.name}: no source reads input topic {topic}")
            name, keys, values = sources[topic]
            value = record.get("value")
            if value is None or "window" in record:  # written with the source's serdes, not inserted
                self._produce_direct(name, keys, values, record)
                continue
            row: dict[str, Any] = {"ROWTIME": int(record.get("timestamp", 0))}
            if keys:
                key = record.get("key")
                if len(keys) == 1:
                    row[keys[0]] = key
                elif isinstance(key, dict):
                    row.update(by_column(key, keys))
            if isinstance(value, dict):
                row.update(by_column(value, values))
            elif len(values) == 1:
                row[values[0]] = value
            else:
                raise RestRunnerError(f"{self.case.name}: cannot map value {value!r} onto {values}")
            acks = self.engine.insert_rows(f"`{name}`", [row])
            bad = [a for a in acks if a.get("status") != "ok"]
            if bad:
                raise RestRunnerError(f"{self.case.name}: inserting {row} failed: {bad[0].get('message')}")

    def _produce_direct(self, name: str, keys: list[str], values: list[str], record: dict[str, Any]) -> None:
        """A record written with the source's serdes: tombstones, and windowed keys (Kafka Streams' bytes:
        inner key + window start, or + end + start for session windows)."""
        import struct

        from ksqlserver.drivers.base import Record
        from ksqlserver.formats.coerce import converter

        source = self.engine.state.metastore.get(name)
        if source is None:
            raise RestRunnerError(f"{self.case.name}: source {name} vanished")
        key = record.get("key")
        if not keys:
            key_values: list[Any] = []
        elif len(keys) == 1:
            key_values = [key]
        elif isinstance(key, dict):
            key_values = [by_column(key, keys).get(k) for k in keys]
        else:
            raise RestRunnerError(f"{self.case.name}: cannot map key {key!r} onto {keys}")
        columns = {c.name: c for c in source.schema.columns}
        key_values = [converter(columns[k].type)(v) for k, v in zip(keys, key_values, strict=True)]
        key_bytes = source.key_serde.serialize(key_values) if keys and key is not None else None
        window = record.get("window")
        if window is not None:
            start, end = int(window["start"]), int(window["end"])
            tail = struct.pack(">qq", end, start) if window.get("type") == "session" else struct.pack(">q", start)
            key_bytes = (key_bytes or b"") + tail
        value = record.get("value")
        value_bytes = None
        if value is not None:
            mapped = by_column(value, values) if isinstance(value, dict) else {values[0]: value}
            row = [converter(columns[v].type)(mapped.get(v)) for v in values]
            value_bytes = source.value_serde.serialize(row)
        ts = int(record.get("timestamp", 0))
        self.driver.produce(source.topic, [Record(key_bytes, value_bytes, ts)])

    def _settle(self, quiet: float = 0.3, limit: float = 10.0) -> None:
        """Waits until no topic grows for `quiet` seconds (persistent queries caught up), plus 100 ms."""
        deadline = time.monotonic() + limit
        last = self._sizes()
        stable_since = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            sizes = self._sizes()
            if sizes != last:
                last, stable_since = sizes, time.monotonic()
            elif time.monotonic() - stable_since >= quiet:
                break
        time.sleep(0.1)

    def _sizes(self) -> dict[str, int]:
        return {name: len(self._records(name)) for name in self.driver.topics()}

    def _records(self, topic: str) -> list[Any]:
        consumer = self.driver.consumer([topic], f"rest-runner-{time.monotonic_ns()}", from_beginning=True)
        try:
            records: list[Any] = []
            while True:
                batch = consumer.poll_batch(10_000, 0.0)
                if not batch:
                    return records
                records.extend(batch)
        finally:
            consumer.close()

    def _decoded(self, topic: str, record: Any) -> tuple[Any, Any] | None:
        """(key, value) of a record of a topic a source owns, decoded with that source's formats as the QTT
        runner decodes them (KAFKA keys by their column type, JSON keys as JSON, the Schema Registry formats
        with the schemas their ids name); None for a topic no source owns (`record_problem` reads those)."""
        sources = self.engine.state.metastore.by_topic(topic)
        if not sources:
            return None
        src = next((s for s in sources if s.is_sink), sources[0])
        if src.window is not None:  # windowed keys carry the window's bytes: the plain reading copes
            return None
        try:
            return (
                records.decode(src, record.key, True, True, self.registry),
                records.decode(src, record.value, False, True, self.registry),
            )
        except Exception:  # bytes the source's serdes cannot read: compare them as text
            return _plain(record.key), _plain(record.value)

    def _check_outputs(self, outputs: list[dict[str, Any]]) -> str:
        by_topic: dict[str, list[dict[str, Any]]] = {}
        for record in outputs:
            by_topic.setdefault(record["topic"], []).append(record)
        for topic, expected in by_topic.items():
            actual = self._records(topic)
            if len(actual) < len(expected):
                return f"topic {topic}: {len(actual)} records, expected {len(expected)}"
            for position, (want, got) in enumerate(zip(expected, actual, strict=False)):
                problem = record_problem(want, got, self._decoded(topic, got))
                if problem:
                    return f"topic {topic} record {position}: {problem}"
        return ""


def _plain(data: bytes | None) -> Any:
    """A non-Schema-Registry part of a record that shares a topic with one: JSON, else text."""
    if data is None:
        return None
    try:
        return json.loads(data, parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return data.decode("utf-8", "replace")


def run_case(case: RestCase, query_timeout: float = 15.0) -> CaseResult:
    result = _run_case(case, query_timeout)
    result.group = case.group
    return result


def _run_case(case: RestCase, query_timeout: float) -> CaseResult:
    if case.skip_reason:
        return CaseResult(case.name, "skipped", case.skip_reason)
    try:
        with CaseRun(case, query_timeout) as run:
            return run.run()
    except RestRunnerError as exc:
        return CaseResult(case.name, "skipped", exc.message)
    except Exception as exc:  # one broken case must not stop the run
        return CaseResult(case.name, "error", f"{type(exc).__name__}: {exc}")


def case_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return files


def run(
    paths: Iterable[Path],
    index_path: Path | None = None,
    name_filter: str = "",
    query_timeout: float = 15.0,
    workers: int = 1,
) -> RestReport:
    """Runs every case of `paths`; `workers` > 1 runs cases in that many worker processes at once (each case
    has its own engine and server either way, so the verdicts do not depend on it; the report keeps the
    file and case order)."""
    report = RestReport()
    files = [
        (file, [case for case in expand(file, load_index(index_path or file.parent.parent / "index.json"))
                if name_filter in case.name])
        for file in case_files(paths)
    ]
    with contextlib.ExitStack() as stack:
        pool = None
        if workers > 1:
            pool = stack.enter_context(
                ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            )
        # every case is submitted before any result is awaited, so the pool never idles between files
        pending = [
            [pool.submit(run_case, case, query_timeout) if pool and not case.skip_reason else case
             for case in cases]
            for _, cases in files
        ]
        for (file, _), entries in zip(files, pending, strict=True):
            file_results = [
                entry.result() if isinstance(entry, Future) else run_case(entry, query_timeout)
                for entry in entries
            ]
            report.results.extend(file_results)
            counts = {
                s: sum(1 for r in file_results if r.status == s) for s in ("pass", "fail", "error", "skipped")
            }
            ran = counts["pass"] + counts["fail"] + counts["error"]
            rate = f"{100 * counts['pass'] / ran:.1f} %" if ran else "n/a"
            print(
                f"{file.name}: {counts['pass']} passed, {counts['fail'] + counts['error']} failed, "
                f"{counts['skipped']} skipped; pass rate {rate}",
                flush=True,
            )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ksqlserver.conformance.rest", description=__doc__.splitlines()[0]
    )
    parser.add_argument("paths", nargs="+", type=Path, help="rest/ case files or folders")
    parser.add_argument("--json", type=Path, help="write every case result here")
    parser.add_argument("--index", type=Path, help="index.json (default: beside the rest/ folder)")
    parser.add_argument("-k", default="", help="only cases whose name contains this")
    parser.add_argument("--query-timeout", type=float, default=15.0, help="seconds a query may stream")
    parser.add_argument("--workers", type=int, default=1, help="cases run at once, in worker processes")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each failing case")
    args = parser.parse_args(argv)
    report = run(args.paths, args.index, args.k, args.query_timeout, args.workers)
    if args.verbose:
        for result in report.results:
            if result.status in ("fail", "error"):
                print(f"  {result.status.upper()} {result.name}: {result.detail}")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in report.results], indent=1))
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
