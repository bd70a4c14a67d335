"""processing.guarantee parsing and choice of loop; the server's stable instance identity."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksqlserver.catalog.properties import Properties
from ksqlserver.cluster.instance import InstanceIdError, instance_id
from ksqlserver.drivers.kafka import KafkaDriverConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlStatementError
from ksqlserver.runtime.guarantee import guarantee_of
from ksqlserver.runtime.query import PersistentQuery


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("at_least_once", "at_least_once"),
        ("exactly_once_v2", "exactly_once_v2"),
        ("EXACTLY_ONCE", "exactly_once_v2"),
    ],
)
def test_guarantee_values(value: str, expected: str) -> None:
    assert guarantee_of(Properties({}, {"ksql.streams.processing.guarantee": value})) == expected


def test_default_is_at_least_once_and_bad_values_name_the_value() -> None:
    assert guarantee_of(Properties()) == "at_least_once"
    with pytest.raises(KsqlStatementError, match="Invalid value at_most_once for configuration processing"):
        guarantee_of(Properties({}, {"processing.guarantee": "at_most_once"}), "CREATE ...")


def test_exactly_once_on_the_memory_driver_keeps_the_plain_loop() -> None:
    driver = MemoryDriver()
    driver.create_topic("tx")
    e = Engine(EngineConfig(service_id="g_", synchronous=True), driver)
    e.execute("CREATE STREAM TX (V INT) WITH (KAFKA_TOPIC='tx', VALUE_FORMAT='JSON');")
    e.execute("CREATE STREAM OUT AS SELECT * FROM TX;", {"processing.guarantee": "exactly_once_v2"})
    [q] = e.state.persistent.values()
    assert type(q) is PersistentQuery
    e.close()


def test_instance_id_is_kept_in_the_state_dir(tmp_path: Path) -> None:
    first = instance_id(tmp_path / "state")
    assert instance_id(tmp_path / "state") == first
    assert instance_id(tmp_path / "other") != first
    assert instance_id(None) != instance_id(None)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "instance.id").write_text("no spaces allowed\n")
    with pytest.raises(InstanceIdError) as info:
        instance_id(tmp_path / "bad")
    assert info.value.path == tmp_path / "bad" / "instance.id"


def test_consumers_are_static_members_named_by_instance_and_group() -> None:
    with_id = KafkaDriverConfig("h:1", instance_id="abc").consumer("grp", True)
    assert with_id["group.instance.id"] == "abc-grp"
    assert "group.instance.id" not in KafkaDriverConfig("h:1").consumer("grp", True)
