"""Port of ksqlDB 0.29 `io.confluent.ksql.engine.TransientQueryCleanupServiceTest` (shouldReturnTrueFor /
shouldReturnFalseForQueriesNotGuaranteedToBeRunningAtSomePoint, shouldOnlyReturnFalseForNonTerminatedQueries,
shouldDetectTheCorrectLeakedTopics) over statements/transient_cleanup.py and an in-memory topic driver.
Not ported: the local commands file (localCommandsShouldBeConsideredLeaked,
shouldOnlyReturnTrueForPresentLocalCommands; this server keeps no such file) and the state directories
(shouldDetectTheCorrectLeakedStateDirs; a transient query keeps its state in the process here)."""

from __future__ import annotations

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.statements.transient_cleanup import TransientQueryCleanup

INTERNAL_PREFIX = "_confluent-ksql-default_transient"
APP_IDS = [f"{INTERNAL_PREFIX}_transient_PV_{n}" for n in
           ("11111_12345", "22222_67890", "33333_13579", "44444_24680", "55555_09876")]  # fmt: skip


@pytest.fixture
def live() -> list[str]:
    return []


@pytest.fixture
def service(live: list[str]) -> TransientQueryCleanup:
    driver = MemoryDriver()
    for app_id in APP_IDS:
        driver.create_topic(f"{app_id}-KafkaTopic_Right-Reduce-changelog", 1, 1)
        driver.create_topic(f"{app_id}-Join-repartition", 1, 1)
    return TransientQueryCleanup(driver, INTERNAL_PREFIX, lambda: live)


def _topics(app_id: str) -> set[str]:
    return {f"{app_id}-KafkaTopic_Right-Reduce-changelog", f"{app_id}-Join-repartition"}


def test_only_topics_of_queries_that_ran_are_leaked(service: TransientQueryCleanup) -> None:
    """shouldReturnTrue/FalseFor...GuaranteedToBeRunningAtSomePoint: a topic is leaked only when its
    application id was registered as running."""
    for app_id in APP_IDS[:3]:
        service.register_running_query(app_id)
    assert set(service.find_leaked_topics()) == _topics(APP_IDS[0]) | _topics(APP_IDS[1]) | _topics(APP_IDS[2])


def test_topics_of_live_queries_are_not_leaked(service: TransientQueryCleanup, live: list[str]) -> None:
    """shouldOnlyReturnFalseForNonTerminatedQueries: a resource whose name contains a live query's id stays."""
    live += APP_IDS[:3]
    for app_id in APP_IDS:
        service.register_running_query(app_id)
    assert set(service.find_leaked_topics()) == _topics(APP_IDS[3]) | _topics(APP_IDS[4])


def test_should_detect_the_correct_leaked_topics(service: TransientQueryCleanup, live: list[str]) -> None:
    """shouldDetectTheCorrectLeakedTopics: nothing until a terminated query's id is registered as running."""
    assert service.find_leaked_topics() == []
    live += [APP_IDS[0], APP_IDS[3], APP_IDS[4]]
    assert service.find_leaked_topics() == []
    service.register_running_query(APP_IDS[1])
    assert set(service.find_leaked_topics()) == _topics(APP_IDS[1])
    service.register_running_query(APP_IDS[0])  # still live
    assert set(service.find_leaked_topics()) == _topics(APP_IDS[1])
    service.register_running_query(APP_IDS[2])
    assert set(service.find_leaked_topics()) == _topics(APP_IDS[1]) | _topics(APP_IDS[2])


def test_one_iteration_deletes_the_leaked_topics(service: TransientQueryCleanup) -> None:
    """runOneIteration -> findAndDeleteLeakedTopics: the leaked topics are deleted, the others stay."""
    service.register_running_query(APP_IDS[1])
    service.run_one_iteration()
    assert service.num_leaked_topics == 2
    assert service.find_leaked_topics() == []
    assert not _topics(APP_IDS[1]) & set(service.driver.topics())
    assert _topics(APP_IDS[0]) <= set(service.driver.topics())
