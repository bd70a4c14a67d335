"""What TERMINATE CLUSTER removes, as ksqlDB's ClusterTerminator does once the persistent queries are closed:
the topics of CREATE ... AS SELECT sinks whose topic name one of the `deleteTopicList` patterns matches whole
(case-sensitive), their schema-registry subjects, and the server's managed topics (command topic,
processing log when ksql.logging.processing.topic.auto.create)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.formats import get_format
from ksqlserver.statements.state import EngineState

log = logging.getLogger(__name__)


def sources_to_delete(state: EngineState, patterns: Sequence[re.Pattern[str]]) -> list[DataSource]:
    """ClusterTerminator.getSourcesToDelete: CAS targets whose Kafka topic matches a pattern."""
    return [s for s in state.metastore.all() if s.is_sink and any(p.fullmatch(s.topic) for p in patterns)]


def subject_names(sources: Iterable[DataSource]) -> set[str]:
    """ClusterTerminator.subjectNames: `<topic>-key` / `<topic>-value` of formats with SCHEMA_INFERENCE."""
    subjects = set()
    for s in sources:
        if get_format(s.key_format).schema_inference:
            subjects.add(f"{s.topic}-key")
        if get_format(s.value_format).schema_inference:
            subjects.add(f"{s.topic}-value")
    return subjects


def delete_topics(state: EngineState, topics: Iterable[str]) -> None:
    """ClusterTerminator.deleteTopics: only the topics that exist; a failure does not stop the termination."""
    existing = set(state.driver.topics())
    for topic in sorted(set(topics) & existing):
        try:
            state.driver.delete_topic(topic)
        except Exception:
            log.warning("TERMINATE CLUSTER could not delete topic %s", topic, exc_info=True)


def clean_up_sink_schemas(state: EngineState, subjects: set[str]) -> None:
    """ClusterTerminator.cleanUpSinkSchemas: the known subjects among them, soft-deleted (deleteSubject);
    a failure is logged ("Failed to clean up Avro schema for subject: ...")."""
    registry = state.schema_registry
    if registry is None or not subjects:
        return
    try:
        known = set(registry.subjects())
    except Exception:
        log.warning("TERMINATE CLUSTER could not list the schema registry's subjects", exc_info=True)
        return
    for subject in sorted(subjects & known):
        try:
            registry.delete_subject(subject)
        except Exception:
            log.warning("Failed to clean up Avro schema for subject: %s", subject, exc_info=True)


def delete_sinks(state: EngineState, patterns: Sequence[re.Pattern[str]], managed: Iterable[str]) -> None:
    """ClusterTerminator.deleteSinkTopics then deleteTopics(managedTopics)."""
    if patterns:
        doomed = sources_to_delete(state, patterns)
        delete_topics(state, {s.topic for s in doomed})
        clean_up_sink_schemas(state, subject_names(doomed))
    delete_topics(state, managed)
