"""fraudlab against real peers, in one run, on one broker and the same topics: the CSAS, the tumbling-window
aggregation, the stream-table join and the scoring service beside a Kafka Streams application, Quix Streams
applications, and Kafka's own ProducerPerformance / ConsumerPerformance as the ceiling.

    .venv/bin/python benchmarks/peers.py [--records 1000000] [--repeat 3] [--json OUT] [--quick]
        [--bootstrap-servers H:P] [--model BUNDLE] [--no-warmup] [--only NAMES] [--build-only]

Every measurement gets a warm-up run first (the JVM's JIT, class loading, ksqlserver's generated loops;
not for Quix, a new process per run, nor for the perf tools, which warm up themselves), then the
measurements alternate `--repeat` rounds, so all of them see the same machine load; figures are medians.
Timing: from the statement / start command until the sink holds the last output record (see
benchmarks/peers/README.md for each peer's exact rule and every client setting). Prints JSON (and writes
it with --json) with `<name>_records_per_s` for each figure, `ratios` (ours / peer, ours / the producer
ceiling), the load average (start, end, median and max of samples every 5 s, and at each run), the
machine and the settings. `--quick`: 2,000 records, one round, no warm-up (a smoke test, not a figure).
Without --bootstrap-servers the embedded stack is started on free ports and stopped afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "peers"))
import kafka_perf
import kafka_streams
import ours
import peerlib
import quix
import topics
from peerlib import PeerError

QUICK_RECORDS = 2_000
FIGURES = (
    "csas", "kafka_streams_csas", "kafka_streams_csas_eos", "kafka_streams_csas_defaults", "quix_csas",
    "producer_perf", "consumer_perf",
    "windowed", "kafka_streams_windowed", "kafka_streams_windowed_eos",
    "join", "kafka_streams_join", "kafka_streams_join_eos",
    "scoring", "quix_scoring",
)  # fmt: skip
# the targets, checked in the same run
TARGETS = {
    "csas_over_producer_perf": 0.8,
    "windowed_over_csas": 0.9,
    "join_over_csas": 0.9,
    "scoring_over_producer_perf": 0.8,
    "csas_over_kafka_streams_csas": 2.0,
    "windowed_over_kafka_streams_windowed": 2.0,
    "join_over_kafka_streams_join": 2.0,
}


@dataclass
class Measurement:
    name: str
    run: Callable[[], dict[str, Any]]
    warmup: bool = True
    runs: list[dict[str, Any]] = field(default_factory=list)
    warmup_run: dict[str, Any] | None = None

    def records_per_s(self) -> float | None:
        rates = [r.get("records_per_s") for r in self.runs]
        if not rates or any(not r for r in rates):
            return None
        return round(float(peerlib.median(rates) or 0), 1)


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


def run_all(args: argparse.Namespace, bootstrap: str, model: Path, log_dir: Path) -> dict[str, Any]:
    sampler = peerlib.LoadSampler().start()
    started = dt.datetime.now(dt.UTC)
    wall = time.monotonic()
    with contextlib.ExitStack() as stack:
        data = stack.enter_context(topics.benchmark_topics(bootstrap, args.records))
        csas = stack.enter_context(ours.our_csas(bootstrap, data, args.timeout))
        app = stack.enter_context(kafka_streams.streams_app(bootstrap, log_dir))
        payloads = kafka_perf.payload_file(data.lines, log_dir)
        perf_warmup = 0 if args.quick else max(args.records // 5, 1)

        def streams(workload: str, guarantee: str, settings: dict[str, str] | None = None) -> Callable[[], dict[str, Any]]:
            chosen = kafka_streams.SETTINGS if settings is None else settings
            return lambda: kafka_streams.one_run(
                bootstrap, app, workload, guarantee, data.inputs(workload), chosen, args.timeout
            )

        def quix_run(mode: str) -> Callable[[], dict[str, Any]]:
            return lambda: quix.one_run(bootstrap, mode, data.cards, data.records, log_dir, args.timeout, model)

        def quix_scoring() -> dict[str, Any]:
            # timed as scoring_e2e times fraudlab's service: from the first input record (the group join
            # left out); the from-`go` rate is kept beside it
            run = quix.one_run(bootstrap, "scoring", data.cards, data.records, log_dir, args.timeout, model)
            return {**run, "records_per_s": run["from_first_input_records_per_s"],
                    "from_go_records_per_s": run["records_per_s"]}  # fmt: skip

        measurements = [
            Measurement("csas", csas.run),
            Measurement("kafka_streams_csas", streams("csas", "at_least_once")),
            Measurement("kafka_streams_csas_eos", streams("csas", "exactly_once_v2")),
            Measurement("kafka_streams_csas_defaults", streams("csas", "at_least_once", kafka_streams.DEFAULTS)),
            Measurement("quix_csas", quix_run("csas"), warmup=False),
            Measurement("producer_perf", lambda: kafka_perf.producer_perf(
                bootstrap, data.records, payloads, perf_warmup), warmup=False),
            Measurement("consumer_perf", lambda: kafka_perf.consumer_perf(
                bootstrap, data.cards, data.records), warmup=False),
            Measurement("windowed", lambda: ours.windowed(bootstrap, data)),
            Measurement("kafka_streams_windowed", streams("windowed", "at_least_once")),
            Measurement("kafka_streams_windowed_eos", streams("windowed", "exactly_once_v2")),
            Measurement("join", lambda: ours.join(bootstrap, data)),
            Measurement("kafka_streams_join", streams("join", "at_least_once")),
            Measurement("kafka_streams_join_eos", streams("join", "exactly_once_v2")),
            Measurement("scoring", lambda: ours.scoring(bootstrap, data, model)),
            Measurement("quix_scoring", quix_scoring, warmup=False),
        ]
        assert tuple(m.name for m in measurements) == FIGURES
        if args.only:
            measurements = [m for m in measurements if m.name in args.only.split(",")]
        # each run's sinks and internal topics go at once (a 1,000,000-record sink is hundreds of MB);
        # in quick mode, once at the end
        stack.enter_context(peerlib.cleanup_new_topics(bootstrap, keep=_inputs(data)))

        def cleanup() -> contextlib.AbstractContextManager[None]:
            return contextlib.nullcontext() if args.quick else peerlib.cleanup_new_topics(bootstrap, keep=_inputs(data))

        if not args.no_warmup:
            for m in measurements:
                if m.warmup:
                    with cleanup():
                        m.warmup_run = m.run()
                    print(f"[{time.monotonic() - wall:.0f} s] warm-up {m.name}: {_brief(m.warmup_run)}", file=sys.stderr)
        for round_no in range(args.repeat):
            for m in measurements:
                with cleanup():
                    m.runs.append(m.run())
                print(f"[{time.monotonic() - wall:.0f} s] round {round_no + 1}/{args.repeat} {m.name}: "
                      f"{_brief(m.runs[-1])}", file=sys.stderr)  # fmt: skip
        kafka_perf_settings = {"producer": kafka_perf.PRODUCER_SETTINGS, "consumer": kafka_perf.CONSUMER_SETTINGS,
                               "producer_warmup_records": perf_warmup}  # fmt: skip
    load = sampler.stop()
    figures = {f"{m.name}_records_per_s": m.records_per_s() for m in measurements}
    fig = {m.name: m.records_per_s() for m in measurements}
    ratios = {
        "csas_over_kafka_streams_csas": ratio(fig.get("csas"), fig.get("kafka_streams_csas")),
        "csas_over_kafka_streams_csas_eos": ratio(fig.get("csas"), fig.get("kafka_streams_csas_eos")),
        "csas_over_kafka_streams_csas_defaults": ratio(fig.get("csas"), fig.get("kafka_streams_csas_defaults")),
        "csas_over_quix_csas": ratio(fig.get("csas"), fig.get("quix_csas")),
        "csas_over_producer_perf": ratio(fig.get("csas"), fig.get("producer_perf")),
        "csas_over_consumer_perf": ratio(fig.get("csas"), fig.get("consumer_perf")),
        "windowed_over_kafka_streams_windowed": ratio(fig.get("windowed"), fig.get("kafka_streams_windowed")),
        "windowed_over_kafka_streams_windowed_eos": ratio(fig.get("windowed"), fig.get("kafka_streams_windowed_eos")),
        "windowed_over_csas": ratio(fig.get("windowed"), fig.get("csas")),
        "join_over_kafka_streams_join": ratio(fig.get("join"), fig.get("kafka_streams_join")),
        "join_over_kafka_streams_join_eos": ratio(fig.get("join"), fig.get("kafka_streams_join_eos")),
        "join_over_csas": ratio(fig.get("join"), fig.get("csas")),
        "scoring_over_quix_scoring": ratio(fig.get("scoring"), fig.get("quix_scoring")),
        "scoring_over_producer_perf": ratio(fig.get("scoring"), fig.get("producer_perf")),
        "kafka_streams_csas_over_producer_perf": ratio(fig.get("kafka_streams_csas"), fig.get("producer_perf")),
        "quix_csas_over_producer_perf": ratio(fig.get("quix_csas"), fig.get("producer_perf")),
    }
    quix_go = [r.get("from_go_records_per_s") for r in _runs(measurements, "quix_scoring")]
    return {
        "benchmark": "peers",
        "date": started.isoformat(timespec="seconds"),
        "quick": args.quick,
        "records": data.records,
        "filtered_records": data.filtered,
        "repeat": args.repeat,
        "warmup": not args.no_warmup,
        **figures,
        "quix_scoring_from_go_records_per_s": peerlib.median(quix_go) if quix_go and all(quix_go) else None,
        "ratios": ratios,
        "targets": {k: {"target": v, "value": ratios.get(k), "met": bool(ratios.get(k) and ratios[k] >= v)}
                    for k, v in TARGETS.items()},
        "load_average": load,
        "wall_seconds": round(time.monotonic() - wall, 1),
        "machine": peerlib.machine_facts(),
        "settings": {
            "kafka_streams": {"tuned": kafka_streams.SETTINGS, "defaults_run": kafka_streams.DEFAULTS,
                              "heap": " ".join(kafka_streams.HEAP), "num.stream.threads": 1},
            "quix": {"producer": quix.PRODUCER_SETTINGS, "consumer": quix.CONSUMER_SETTINGS,
                     "commit_interval_s": quix.COMMIT_INTERVAL_S, "quixstreams": quix.quix_version()},
            "kafka_perf": kafka_perf_settings,
            "topics": {"partitions": 1, "windowed_keys": data.keys, "join_users": data.n_users},
        },
        "runs": {m.name: m.runs for m in measurements},
        "warmup_runs": {m.name: m.warmup_run for m in measurements if m.warmup_run is not None},
    }


LABELS = {
    "csas": ("CSAS (filter + projection, DELIMITED -> JSON)", "fraudlab ksqlserver"),
    "kafka_streams_csas": ("CSAS", "Kafka Streams, at-least-once"),
    "kafka_streams_csas_eos": ("CSAS", "Kafka Streams, exactly-once v2"),
    "kafka_streams_csas_defaults": ("CSAS", "Kafka Streams, its client defaults"),
    "quix_csas": ("CSAS", "Quix Streams"),
    "producer_perf": ("produce (ceiling)", "Kafka ProducerPerformance"),
    "consumer_perf": ("consume (ceiling)", "Kafka ConsumerPerformance"),
    "windowed": ("1-min tumbling COUNT/SUM per card", "fraudlab engine"),
    "kafka_streams_windowed": ("1-min tumbling COUNT/SUM per card", "Kafka Streams, at-least-once"),
    "kafka_streams_windowed_eos": ("1-min tumbling COUNT/SUM per card", "Kafka Streams, exactly-once v2"),
    "join": ("stream-table LEFT JOIN", "fraudlab engine"),
    "kafka_streams_join": ("stream-table LEFT JOIN", "Kafka Streams, at-least-once"),
    "kafka_streams_join_eos": ("stream-table LEFT JOIN", "Kafka Streams, exactly-once v2"),
    "scoring": ("scoring (same ONNX bundle)", "fraudlab scoring service"),
    "quix_scoring": ("scoring (same ONNX bundle)", "Quix Streams (one model call per record)"),
}


def table(result: dict[str, Any]) -> str:
    """A Markdown table of a run's figures: median rate, every run's rate and the 1-minute load at each."""
    lines = ["| work | who | records/s (median) | runs (load at start) |", "|---|---|---:|---|"]
    for name in FIGURES:
        value = result.get(f"{name}_records_per_s")
        if value is None:
            continue
        work, who = LABELS[name]
        runs = ", ".join(
            f"{round(r['records_per_s']):,} ({r['load_1min'][0]})" for r in result["runs"].get(name, [])
            if r.get("records_per_s")
        )
        lines.append(f"| {work} | {who} | {round(value):,} | {runs} |")
    return "\n".join(lines)


def _inputs(data: topics.BenchmarkTopics) -> list[str]:
    return [data.cards, data.keyed, data.tx, data.users]


def _runs(measurements: list[Measurement], name: str) -> list[dict[str, Any]]:
    return next((m.runs for m in measurements if m.name == name), [])


def _brief(run: dict[str, Any]) -> str:
    return ", ".join(f"{k}={run[k]}" for k in ("records_per_s", "seconds", "load_1min") if k in run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=None, help="default 1,000,000 (--quick: 2,000)")
    parser.add_argument("--repeat", type=int, default=None, help="rounds; medians reported (default 3, --quick 1)")
    parser.add_argument("--quick", action="store_true", help="a smoke test: tiny topics, one round, no warm-up")
    parser.add_argument("--json", type=Path, default=None, help="also write the JSON here")
    parser.add_argument("--bootstrap-servers", default=None, help="Kafka to use (default: start the embedded stack)")
    parser.add_argument("--model", type=Path, default=None, help="scoring bundle (default: train a small one)")
    parser.add_argument("--no-warmup", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated figure names to measure (default: all)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds one run may take")
    parser.add_argument("--table", type=Path, default=None, help="print a Markdown table of a result JSON and exit")
    parser.add_argument("--build-only", action="store_true",
                        help="only build the peers (Kafka Streams jar, Quix virtualenv); `make setup` runs this")
    args = parser.parse_args(argv)
    if args.table:
        print(table(json.loads(args.table.read_text())))
        return 0
    args.records = args.records or (QUICK_RECORDS if args.quick else 1_000_000)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.no_warmup = args.no_warmup or args.quick
    unknown = set(filter(None, args.only.split(","))) - set(FIGURES)
    if unknown:
        parser.error(f"--only: unknown figure(s) {', '.join(sorted(unknown))}; known: {', '.join(FIGURES)}")
    try:
        kafka_streams.build()
        quix.ensure_venv()
    except PeerError as exc:
        print(f"peers: {exc}", file=sys.stderr)
        return 2
    if args.build_only:
        return 0
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="peers-")))
        model = args.model
        if model is None:
            import scoring_e2e

            model = scoring_e2e.small_bundle(tmp / "bundle")
        bootstrap = args.bootstrap_servers or stack.enter_context(topics.embedded_kafka())
        result = run_all(args, bootstrap, model, tmp)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
