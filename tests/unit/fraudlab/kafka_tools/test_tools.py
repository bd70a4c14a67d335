"""Kafka's command-line tools as the venv starts them: names, JVM command, class-data archives, and the
one-line errors when Java or the jars are missing (no broker needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fraudlab.kafka_tools import (
    TOOLS,
    JarsMissingError,
    JavaMissingError,
    ToolsConfig,
    UnknownToolError,
    cds,
    find_tool,
)
from fraudlab.kafka_tools.config import LOG4J_CONFIG
from fraudlab.kafka_tools.launcher import plan

BIN = Path(sys.executable).parent
JARS = ("kafka-tools-4.3.1.jar", "kafka_2.13-4.3.1.jar", "kafka-clients-4.3.1.jar", "argparse4j-0.7.0.jar")


@pytest.fixture()
def fake_lib(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    for name in JARS:
        (lib / name).write_bytes(b"PK")
    return lib


def _config(tmp_path: Path, lib: Path, **kw: object) -> ToolsConfig:
    return ToolsConfig(lib_dir=lib, cds_dir=tmp_path / "cds", java=sys.executable, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["kafka-topics.sh", "kafka-topics", "topics"])
def test_a_tool_answers_to_all_its_names(name: str) -> None:
    assert find_tool(name).main_class == "org.apache.kafka.tools.TopicCommand"


def test_the_six_tools_and_their_classes() -> None:
    assert {t.script: t.main_class for t in TOOLS.values()} == {
        "kafka-topics.sh": "org.apache.kafka.tools.TopicCommand",
        "kafka-console-producer.sh": "org.apache.kafka.tools.ConsoleProducer",
        "kafka-console-consumer.sh": "org.apache.kafka.tools.consumer.ConsoleConsumer",
        "kafka-consumer-groups.sh": "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
        "kafka-configs.sh": "kafka.admin.ConfigCommand",
        "kafka-get-offsets.sh": "org.apache.kafka.tools.GetOffsetShell",
    }
    with pytest.raises(UnknownToolError, match="no Kafka tool named 'kafka-nope'"):
        find_tool("kafka-nope")


def test_every_tool_is_installed_in_the_venv_under_both_names() -> None:
    for tool in TOOLS.values():
        assert (BIN / tool.script).is_file(), tool.script
        assert (BIN / tool.name).is_file(), tool.name


def test_the_first_run_writes_an_archive_later_runs_map_it(tmp_path: Path, fake_lib: Path) -> None:
    config = _config(tmp_path, fake_lib)
    first = plan(config, TOOLS["kafka-topics"], ["--list"])
    assert first.dump_to is not None and first.archive is not None
    assert f"-XX:ArchiveClassesAtExit={first.dump_to}" in first.command
    cmd = first.command
    assert cmd[cmd.index("-cp") + 1] == os.pathsep.join(str(fake_lib / n) for n in sorted(JARS))
    assert cmd[-2:] == ["org.apache.kafka.tools.TopicCommand", "--list"]
    assert f"-Dlog4j2.configurationFile={LOG4J_CONFIG}" in cmd and LOG4J_CONFIG.is_file()
    assert "-XX:TieredStopAtLevel=1" in cmd and "-Xmx256M" in cmd
    assert "-Xlog:cds*=off:stderr" in cmd  # CDS remarks never reach stdout

    first.dump_to.write_bytes(b"archive")  # what the JVM writes at exit
    assert cds.publish(first.dump_to, first.archive, TOOLS["kafka-topics"])
    second = plan(config, TOOLS["kafka-topics"], ["--list"])
    assert second.dump_to is None and f"-XX:SharedArchiveFile={first.archive}" in second.command


def test_new_jars_mean_a_new_archive_and_the_old_one_goes(tmp_path: Path, fake_lib: Path) -> None:
    config = _config(tmp_path, fake_lib)
    tool = TOOLS["kafka-get-offsets"]
    first = plan(config, tool, [])
    assert first.dump_to is not None and first.archive is not None
    first.dump_to.write_bytes(b"a")
    cds.publish(first.dump_to, first.archive, tool)
    (fake_lib / "kafka-clients-4.3.1.jar").write_bytes(b"PK-other")
    again = plan(config, tool, [])
    assert again.archive != first.archive and again.dump_to is not None
    again.dump_to.write_bytes(b"b")
    cds.publish(again.dump_to, again.archive, tool)  # type: ignore[arg-type]
    assert sorted(p.name for p in config.cds_dir.glob("*.jsa")) == [again.archive.name]  # type: ignore[union-attr]


def test_console_clients_keep_the_optimising_jit_and_a_larger_heap(tmp_path: Path, fake_lib: Path) -> None:
    cmd = plan(_config(tmp_path, fake_lib), TOOLS["kafka-console-consumer"], []).command
    assert "-XX:TieredStopAtLevel=1" not in cmd and "-Xmx512M" in cmd


def test_kafka_scripts_environment_variables_are_honoured(tmp_path: Path, fake_lib: Path) -> None:
    env = {"KAFKA_HEAP_OPTS": "-Xmx1G -Xms64m", "KAFKA_OPTS": "-Dfoo=bar", "FRAUDLAB_KAFKA_CDS": "0"}
    config = ToolsConfig.from_environment(env, root=tmp_path)
    assert config.lib_dir == tmp_path / ".cache" / "jars" / "lib" and not config.class_data_sharing
    config = ToolsConfig(**{**config.__dict__, "lib_dir": fake_lib, "java": sys.executable})
    launch = plan(config, TOOLS["kafka-topics"], [])
    assert launch.archive is None and not any(a.startswith("-XX:Shared") for a in launch.command)
    assert "-Xmx1G" in launch.command and "-Xms64m" in launch.command and "-Xmx256M" not in launch.command
    assert "-Dfoo=bar" in launch.command


def test_missing_jars_name_the_folder_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(JarsMissingError, match=r"fraudlab stack fetch") as err:
        plan(_config(tmp_path, tmp_path / "nowhere"), TOOLS["kafka-topics"], [])
    assert "nowhere" in str(err.value)


def test_missing_java_is_named(tmp_path: Path, fake_lib: Path) -> None:
    with pytest.raises(JavaMissingError, match="Java 17"):
        plan(ToolsConfig(lib_dir=fake_lib, cds_dir=tmp_path, java="/no/such/java"), TOOLS["kafka-topics"], [])


def test_the_venv_executable_says_so_in_one_line_without_java(tmp_path: Path) -> None:
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-jdk")}
    proc = subprocess.run([str(BIN / "kafka-topics.sh"), "--list"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kafka-topics.sh: error: Kafka's tools need Java 17+")
    assert "Traceback" not in proc.stderr
