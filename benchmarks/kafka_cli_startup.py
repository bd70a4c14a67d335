"""Start-up of Kafka's command-line tools as the venv runs them, against the same JVM started the way
Kafka's own `kafka-run-class.sh` starts it. Prints JSON.

Per tool, three ways in interleaved rounds (so load changes hit all three alike):
  kafka_scripts  java with kafka-run-class.sh's options (G1, C2, `-cp lib/*`), no class-data sharing;
  fast_jvm       the venv's executable with class-data sharing off (C1 only, serial GC, fixed class path);
  cds            the venv's executable with the tool's class-data archive in place (the default).
`first_run_s` is the venv executable's first run, which writes the archive. Every figure comes with the
1-minute load average sampled around it.

    .venv/bin/python benchmarks/kafka_cli_startup.py [--bootstrap-servers H:P] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, embedded_stack, median

from fraudlab.kafka_tools import TOOLS, ToolsConfig
from fraudlab.kafka_tools.config import LOG4J_CONFIG

BIN = Path(sys.executable).parent
# what kafka-run-class.sh adds by default (KAFKA_JVM_PERFORMANCE_OPTS, the tools' heap)
SCRIPT_OPTS = ["-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35",
               "-XX:+ExplicitGCInvokesConcurrent", "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true"]  # fmt: skip


def tool_args(bootstrap: str, topic: str, group: str) -> dict[str, tuple[list[str], bytes | None]]:
    b = ["--bootstrap-server", bootstrap]
    return {
        "kafka-topics": ([*b, "--describe", "--topic", topic], None),
        "kafka-console-producer": ([*b, "--topic", topic], b"one line\n"),
        # no --group: each run is a new console-consumer-NNNN group, so --from-beginning always applies
        "kafka-console-consumer": ([*b, "--topic", topic, "--from-beginning", "--max-messages", "1"], None),
        "kafka-consumer-groups": ([*b, "--describe", "--group", group], None),
        "kafka-configs": ([*b, "--describe", "--entity-type", "topics", "--entity-name", topic], None),
        "kafka-get-offsets": ([*b, "--topic", topic], None),
    }


def timed(command: list[str], stdin: bytes | None, env: dict[str, str]) -> tuple[float, float]:
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.run(command, input=stdin, capture_output=True, env=env, timeout=120)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{command[0]} {command[-6:]} failed ({proc.returncode}): {proc.stderr.decode()[-600:]}")
    return seconds, (load + os.getloadavg()[0]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap-servers", default=None, help="A running broker [default: a throwaway stack].")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tools", nargs="*", default=sorted(TOOLS))
    args = parser.parse_args()
    config = ToolsConfig.for_project(REPO)
    jars = sorted(config.lib_dir.glob("*.jar"))
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("KAFKA_")}
    with embedded_stack(args.bootstrap_servers) as stack:
        bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
        topic, group = f"bench-cli-{uuid.uuid4().hex[:8]}", f"bench-cli-{uuid.uuid4().hex[:8]}"
        subprocess.run([str(BIN / "kafka-topics.sh"), "--bootstrap-server", bootstrap, "--create", "--topic", topic,
                        "--partitions", "1", "--replication-factor", "1"], check=True, capture_output=True)  # fmt: skip
        subprocess.run([str(BIN / "kafka-console-producer.sh"), "--bootstrap-server", bootstrap, "--topic", topic],
                       input=b"seed\n", check=True, capture_output=True)  # fmt: skip
        subprocess.run([str(BIN / "kafka-console-consumer.sh"), "--bootstrap-server", bootstrap, "--topic", topic,
                        "--from-beginning", "--max-messages", "1", "--group", group],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        calls = tool_args(bootstrap, topic, group)
        results: dict[str, dict[str, object]] = {}
        for name in args.tools:
            tool = TOOLS[name]
            argv, stdin = calls[name]
            for old in config.cds_dir.glob(f"{name}-*.jsa"):
                old.unlink()
            first, first_load = timed([str(BIN / tool.script), *argv], stdin, base_env)
            variants = {
                "kafka_scripts": ([
                    "java", tool.heap, *SCRIPT_OPTS, f"-Dlog4j2.configurationFile={LOG4J_CONFIG}",
                    "-cp", f"{config.lib_dir}/*", tool.main_class, *argv], base_env),
                "fast_jvm": ([str(BIN / tool.script), *argv], {**base_env, "FRAUDLAB_KAFKA_CDS": "0"}),
                "cds": ([str(BIN / tool.script), *argv], base_env),
            }
            times: dict[str, list[float]] = {v: [] for v in variants}
            loads: dict[str, list[float]] = {v: [] for v in variants}
            order = list(variants)
            for rep in range(args.repeat):
                for variant in order[rep % 3 :] + order[: rep % 3]:
                    command, env = variants[variant]
                    seconds, load = timed(command, stdin, env)
                    times[variant].append(seconds)
                    loads[variant].append(load)
            results[name] = {
                "first_run_s": round(first, 2),
                "first_run_load": round(first_load, 2),
                **{
                    v: {"median_s": round(median(t), 2), "min_s": round(min(t), 2), "max_s": round(max(t), 2),
                        "load_median": round(median(loads[v]), 2)}
                    for v, t in times.items()
                },
                "speedup_vs_scripts": round(median(times["kafka_scripts"]) / median(times["cds"]), 2),
            }
            print(json.dumps({name: results[name]}), file=sys.stderr)
    print(json.dumps({
        "benchmark": "kafka_cli_startup",
        "repeat": args.repeat,
        "jars": len(jars),
        "cpus": os.cpu_count(),
        "target_s": 3.0,
        "tools": results,
        "all_cds_medians_under_target": all(r["cds"]["median_s"] < 3.0 for r in results.values()),  # type: ignore[index]
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
