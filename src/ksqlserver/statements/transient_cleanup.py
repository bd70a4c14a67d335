"""ksqlDB's TransientQueryCleanupService: every `ksql.transient.query.cleanup.service.period.seconds` (after
`...initial.delay.seconds`) it deletes the leaked internal topics of transient queries: topics named under the
transient prefix (`_confluent-ksql-<service id><ksql.transient.prefix>`) whose query is no longer live and
whose application id (`..._<query id>_<epoch ms>`) this server ran (registerRunningQuery, which
TransientQueryCleanupListener calls for each transient query that ran). Only topics: this engine keeps a
transient query's state in the process, so there are no state directories to look for."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable

from ksqlserver.drivers.base import TopicDriver

log = logging.getLogger(__name__)


class TransientQueryCleanup:
    """`live_ids()`: the ids of the queries running now (QueryRegistry.getAllLiveQueries)."""

    def __init__(self, driver: TopicDriver, internal_prefix: str, live_ids: Callable[[], Iterable[str]]) -> None:
        # as the Java class: the prefix is used as a regular expression, unescaped
        self.prefix = re.compile(internal_prefix)
        self.app_id = re.compile(internal_prefix + r".*_[0-9]\d*_[0-9]\d*")
        self.driver = driver
        self.live_ids = live_ids
        self.ran: set[str] = set()
        self.num_leaked_topics = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def register_running_query(self, app_id: str) -> None:
        self.ran.add(app_id)

    def is_leaked(self, resource: str) -> bool:
        """TransientQueryCleanupService.isLeaked (without the local commands file)."""
        if not self.prefix.search(resource):
            return False
        if any(query_id in resource for query_id in self.live_ids()):  # isCorrespondingQueryTerminated
            return False
        m = self.app_id.search(resource)
        return m is not None and m.group() in self.ran

    def find_leaked_topics(self) -> list[str]:
        return [t for t in self.driver.topics() if self.is_leaked(t)]

    def run_one_iteration(self) -> None:
        """findAndDeleteLeakedTopics: a failure is logged, the next run tries again."""
        try:
            leaked = self.find_leaked_topics()
            self.num_leaked_topics = len(leaked)
            log.info("Cleaning up %d leaked topics: [%s]", len(leaked), ", ".join(leaked))
            for topic in leaked:
                self.driver.delete_topic(topic)
        except Exception as e:
            log.error("Failed to clean up topics with exception: %s", e, exc_info=True)

    def start(self, initial_delay_s: float, period_s: float) -> None:
        """Scheduler.newFixedRateSchedule(initialDelay, period, SECONDS) on a daemon thread."""

        def loop() -> None:
            delay = initial_delay_s
            while not self._stop.wait(delay):
                self.run_one_iteration()
                delay = period_s

        self._thread = threading.Thread(target=loop, name="transient-query-cleanup", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
