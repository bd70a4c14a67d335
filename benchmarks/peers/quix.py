"""The Quix Streams peer: the CSAS and the scoring of fraudlab's benchmarks as Quix Streams applications.

    .venv/bin/python benchmarks/peers/quix.py [--records 1000000] [--repeat 3] [--model BUNDLE]
        [--bootstrap-servers H:P]

quixstreams pins confluent-kafka < 2.13 (fraudlab runs 2.16) and httpx 0.29 (fraudlab pins < 0.28), so it
lives in its own virtualenv, .cache/peers/quix-venv (git-ignored), made here from
benchmarks/peers/quix-requirements.txt on first use. Each run is a fresh process and consumer group
(benchmarks/peers/quix_app.py), timed from its `go` until the sink holds the last output record
(peerlib.watch_completion); for scoring also from its first input record, as scoring_e2e times
fraudlab's service. Without --model a small bundle is trained as scoring_e2e does. Prints JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peerlib
from peerlib import CACHE, PEERS_DIR, PeerError

from fraudlab.kafka import KafkaConfig, create_topic

VENV = CACHE / "quix-venv"
REQUIREMENTS = PEERS_DIR / "quix-requirements.txt"
APP = PEERS_DIR / "quix_app.py"

# librdkafka settings as fraudlab's engine uses them (ksqlserver KafkaDriverConfig): the producer batches
# the same way; Quix's own defaults stay otherwise (idempotent producer, range assignment).
PRODUCER_SETTINGS: dict[str, str] = {
    "linger.ms": "20",
    "batch.num.messages": "10000",
    "batch.size": "1000000",
    "compression.type": "lz4",
    "acks": "all",
    "queue.buffering.max.messages": "1000000",
}
CONSUMER_SETTINGS: dict[str, str] = {
    "fetch.max.bytes": "52428800",
    "queued.min.messages": "100000",
}
COMMIT_INTERVAL_S = 2.0  # as fraudlab's engine and the Kafka Streams peer: ksqlDB's 2000 ms (Quix's default is 5 s)


def python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv() -> Path:
    """Create the Quix virtualenv and install the pinned requirements (a no-op when up to date)."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    stamp = VENV / ".installed"
    if python().is_file() and stamp.is_file() and stamp.read_text().strip() == digest:
        return python()
    print(f"quix: creating {VENV} ...", file=sys.stderr)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    if not python().is_file():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    done = subprocess.run(
        [str(python()), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise PeerError(f"installing {REQUIREMENTS.name} into {VENV} failed:\n{done.stderr[-3000:]}")
    stamp.write_text(digest + "\n")
    return python()


def quix_version() -> str:
    done = subprocess.run([str(python()), "-c", "import quixstreams; print(quixstreams.__version__)"],
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout.strip()


class QuixProcess:
    def __init__(self, command: list[str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True, bufsize=1
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.first_wall: float | None = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            line = line.strip()
            if line.startswith("first "):
                self.first_wall = float(line.split()[1])
            self.lines.put(line)

    def wait_ready(self, timeout_s: float = 120.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PeerError(f"the Quix app exited: {self.log_path.read_text()[-2000:]}")
            with contextlib.suppress(queue.Empty):
                if self.lines.get(timeout=0.2) == "ready":
                    return
        raise PeerError(f"the Quix app was not ready within {timeout_s:.0f} s (log {self.log_path})")

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def failed(self) -> str | None:
        if self.process.poll() is not None:
            return f"the Quix app exited: {self.log_path.read_text()[-2000:]}"
        return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        self._log.close()


@contextlib.contextmanager
def quix_process(command: list[str], log_path: Path) -> Iterator[QuixProcess]:
    proc = QuixProcess(command, log_path)
    try:
        yield proc
    finally:
        proc.stop()


def one_run(
    bootstrap: str, mode: str, source: str, records: int, log_dir: Path, timeout_s: float, model: Path | None = None
) -> dict[str, Any]:
    group = peerlib.new_name(f"peer-quix-{mode}")
    sink, alerts = f"{group}-sink", f"{group}-alerts"
    config = KafkaConfig(bootstrap_servers=bootstrap)
    create_topic(config, sink)
    state = Path(tempfile.mkdtemp(prefix="peer-quix-state-"))
    command = [str(python()), str(APP), "--mode", mode, "--bootstrap-servers", bootstrap, "--source", source,
               "--sink", sink, "--group", group, "--state-dir", str(state),
               "--commit-interval", str(COMMIT_INTERVAL_S)]  # fmt: skip
    if mode == "scoring":
        assert model is not None
        create_topic(config, alerts)
        command += ["--model", str(model), "--alerts", alerts]
    command += [f"--producer={k}={v}" for k, v in PRODUCER_SETTINGS.items()]
    command += [f"--consumer={k}={v}" for k, v in CONSUMER_SETTINGS.items()]
    try:
        with peerlib.cleanup_new_topics(bootstrap), quix_process(command, log_dir / f"quix-{mode}.log") as proc:
            proc.wait_ready()
            load_start = peerlib.load1()
            start = time.perf_counter()
            proc.go()
            done = peerlib.watch_completion(bootstrap, group, [source], sink, timeout_s, proc.failed)
            first = proc.first_wall
    finally:
        shutil.rmtree(state, ignore_errors=True)
    seconds = done.end - start
    since_first = done.end_wall - first if first is not None else None
    return {
        "seconds": round(seconds, 3),
        "records_per_s": peerlib.rate(records, seconds) if done.complete else None,
        "from_first_input_seconds": round(since_first, 3) if since_first is not None else None,
        "from_first_input_records_per_s": (
            peerlib.rate(records, since_first) if done.complete and since_first else None
        ),
        "sink_end_offset": done.sink_end_offset,
        "complete": done.complete,
        "load_1min": [load_start, peerlib.load1()],
    }


def measure(
    bootstrap: str, mode: str, source: str, records: int, repeat: int, log_dir: Path, timeout_s: float,
    model: Path | None = None,
) -> dict[str, Any]:
    ensure_venv()
    runs = []
    for i in range(repeat):
        runs.append(one_run(bootstrap, mode, source, records, log_dir, timeout_s, model))
        print(f"quix {mode} {i + 1}/{repeat}: {runs[-1]}", file=sys.stderr)
    rates = [r["records_per_s"] for r in runs]
    firsts = [r["from_first_input_records_per_s"] for r in runs]
    return {
        "mode": mode,
        "records_per_s": peerlib.median(rates) if None not in rates else None,
        "from_first_input_records_per_s": peerlib.median(firsts) if None not in firsts else None,
        "runs": runs,
        "settings": {
            "producer": dict(PRODUCER_SETTINGS),
            "consumer": dict(CONSUMER_SETTINGS),
            "commit_interval_s": COMMIT_INTERVAL_S,
            "processing_guarantee": "at-least-once",
            **({"onnx_threads": 1, "inference": "one ONNX Runtime call per record"} if mode == "scoring" else {}),
        },
        "quixstreams": quix_version(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--bootstrap-servers", default=None)
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args(argv)
    import scoring_e2e
    import topics

    ensure_venv()
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="peer-quix-")))
        model = args.model or scoring_e2e.small_bundle(tmp / "bundle")
        bootstrap = args.bootstrap_servers or stack.enter_context(topics.embedded_kafka())
        data = stack.enter_context(topics.benchmark_topics(bootstrap, args.records, kinds=("cards",)))
        out = {
            "benchmark": "peers.quix",
            "records": args.records,
            "csas": measure(bootstrap, "csas", data.cards, args.records, args.repeat, tmp, args.timeout),
            "scoring": measure(bootstrap, "scoring", data.cards, args.records, args.repeat, tmp, args.timeout, model),
        }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
