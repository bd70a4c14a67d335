"""Kafka's own command-line tools, run through the venv's executables against the real broker: create a
topic, produce lines, consume them, describe the consumer group, read offsets, alter a config. Their
stdout carries only the tools' output (logging is WARN and up, on stderr)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def tool(name: str, *args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(BIN / name), *args], input=stdin, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{name} {args} exited {proc.returncode}: {proc.stderr[-1500:]}"
    assert not re.search(r"\] (INFO|DEBUG) ", proc.stdout + proc.stderr), proc.stderr[-1500:]
    return proc


def test_topic_produce_consume_and_groups_with_kafkas_own_tools(bootstrap_servers: str, topic_name: str) -> None:
    b = ("--bootstrap-server", bootstrap_servers)
    created = tool("kafka-topics.sh", *b, "--create", "--topic", topic_name, "--partitions", "3",
                   "--replication-factor", "1")
    assert created.stdout.strip() == f"Created topic {topic_name}."
    described = tool("kafka-topics", *b, "--describe", "--topic", topic_name).stdout
    assert re.search(rf"Topic: {topic_name}\s.*PartitionCount: 3", described)

    lines = [f"line-{i}" for i in range(7)]
    tool("kafka-console-producer.sh", *b, "--topic", topic_name, stdin="\n".join(lines) + "\n")

    group = f"{topic_name}-group"
    consumed = tool("kafka-console-consumer.sh", *b, "--topic", topic_name, "--from-beginning",
                    "--max-messages", str(len(lines)), "--group", group, "--timeout-ms", "60000")
    assert sorted(consumed.stdout.split()) == sorted(lines)
    assert f"Processed a total of {len(lines)} messages" in consumed.stderr

    offsets = tool("kafka-get-offsets.sh", *b, "--topic", topic_name).stdout.split()
    assert sum(int(line.rsplit(":", 1)[1]) for line in offsets) == len(lines) and len(offsets) == 3

    groups = tool("kafka-consumer-groups.sh", *b, "--describe", "--group", group).stdout
    rows = [r.split() for r in groups.splitlines() if r.startswith(group)]
    assert len(rows) == 3 and {r[1] for r in rows} == {topic_name}
    assert sum(int(r[3]) for r in rows) == len(lines) and all(r[5] == "0" for r in rows)  # committed, no lag

    tool("kafka-configs.sh", *b, "--alter", "--entity-type", "topics", "--entity-name", topic_name,
         "--add-config", "retention.ms=3600000")
    config = tool("kafka-configs", *b, "--describe", "--entity-type", "topics", "--entity-name", topic_name).stdout
    assert "retention.ms=3600000" in config


def test_fraudlab_kafka_runs_the_same_tools(bootstrap_servers: str, topic_name: str) -> None:
    fl = str(BIN / "fraudlab")
    b = ["--bootstrap-server", bootstrap_servers]
    create = subprocess.run([fl, "kafka", "topics", *b, "--create", "--topic", topic_name], capture_output=True,
                            text=True, timeout=120)
    assert create.returncode == 0, create.stderr
    listed = subprocess.run([fl, "kafka", "kafka-topics.sh", *b, "--list"], capture_output=True, text=True,
                            timeout=120)
    assert listed.returncode == 0 and topic_name in listed.stdout.split()
    # a tool's own failure keeps its exit code and message
    again = subprocess.run([fl, "kafka", "topics", *b, "--create", "--topic", topic_name], capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 1 and "already exists" in again.stdout + again.stderr
