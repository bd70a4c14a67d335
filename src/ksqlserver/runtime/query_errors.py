"""A query's `queryErrors`: what ksqlDB's QueryMetadataImpl.uncaughtHandler keeps of each failure that
stopped a query's stream thread, classified as QueryError.Type USER, SYSTEM or UNKNOWN.

ksqlDB classifies the Java exception the thread died of; this engine's failures are Python exceptions, so
`throwable_of` gives each its Java view (`Throwable`: class name, message, cause, and the fields the
classifiers read), and the classifiers follow io.confluent.ksql.query's: MissingTopicClassifier,
AuthorizationClassifier, KsqlFunctionClassifier, MissingSubjectClassifier, SchemaAuthorizationClassifier,
KsqlSerializationClassifier, chained with QueryErrorClassifier.and, then the RegexClassifiers configured
under `ksql.error.classifier.regex` (QueryBuilder.getConfiguredQueryErrorClassifier).

The errors live in a TimeBoundedQueue: an hour, at most `ksql.query.error.max.queue.size` (10) of them.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ksqlserver.errors import KsqlError, KsqlFunctionError, SchemaRegistryError

log = logging.getLogger("ksqlserver.runtime")

UNKNOWN, USER, SYSTEM = "UNKNOWN", "USER", "SYSTEM"  # QueryError.Type
REGEX_PREFIX = "ksql.error.classifier.regex"  # KsqlConfig.KSQL_ERROR_CLASSIFIER_REGEX_PREFIX
MAX_QUEUE_SIZE = "ksql.query.error.max.queue.size"  # KsqlConfig.KSQL_QUERY_ERROR_MAX_QUEUE_SIZE
MAX_QUEUE_SIZE_DEFAULT = 10
KSQL_INTERNAL_TOPIC_PREFIX = "_confluent-ksql-"  # ReservedInternalTopics.KSQL_INTERNAL_TOPIC_PREFIX

STREAMS_EXCEPTION = "org.apache.kafka.streams.errors.StreamsException"
KSQL_EXCEPTION = "io.confluent.ksql.util.KsqlException"
KSQL_FUNCTION_EXCEPTION = "io.confluent.ksql.function.KsqlFunctionException"
KSQL_SERIALIZATION_EXCEPTION = "io.confluent.ksql.serde.KsqlSerializationException"
MISSING_SOURCE_TOPIC = "org.apache.kafka.streams.errors.MissingSourceTopicException"
AUTHORIZATION_EXCEPTION = "org.apache.kafka.common.errors.AuthorizationException"
REST_CLIENT_EXCEPTION = "io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException"
RUNTIME_EXCEPTION = "java.lang.RuntimeException"

# the superclass of each exception class the classifiers test with instanceof
_SUPER = {
    KSQL_FUNCTION_EXCEPTION: KSQL_EXCEPTION,
    KSQL_EXCEPTION: STREAMS_EXCEPTION,
    "io.confluent.ksql.util.KsqlStatementException": KSQL_EXCEPTION,
    MISSING_SOURCE_TOPIC: STREAMS_EXCEPTION,
    "org.apache.kafka.streams.errors.TaskMigratedException": STREAMS_EXCEPTION,
    STREAMS_EXCEPTION: "org.apache.kafka.common.KafkaException",
    KSQL_SERIALIZATION_EXCEPTION: "org.apache.kafka.common.errors.SerializationException",
    "org.apache.kafka.common.errors.SerializationException": "org.apache.kafka.common.KafkaException",
    "org.apache.kafka.common.errors.TopicAuthorizationException": AUTHORIZATION_EXCEPTION,
    "org.apache.kafka.common.errors.GroupAuthorizationException": AUTHORIZATION_EXCEPTION,
    "org.apache.kafka.common.errors.ClusterAuthorizationException": AUTHORIZATION_EXCEPTION,
    "org.apache.kafka.common.errors.TransactionalIdAuthorizationException": AUTHORIZATION_EXCEPTION,
    "org.apache.kafka.common.errors.DelegationTokenAuthorizationException": AUTHORIZATION_EXCEPTION,
    AUTHORIZATION_EXCEPTION: "org.apache.kafka.common.errors.ApiException",
    "org.apache.kafka.common.errors.ApiException": "org.apache.kafka.common.KafkaException",
    "org.apache.kafka.common.KafkaException": RUNTIME_EXCEPTION,
    RUNTIME_EXCEPTION: "java.lang.Exception",
    "java.lang.NullPointerException": RUNTIME_EXCEPTION,
    "java.lang.ArithmeticException": RUNTIME_EXCEPTION,
    "java.lang.Exception": "java.lang.Throwable",
}


@dataclass(frozen=True)
class Throwable:
    """The Java view of a failure: `cls` its class name, `message` getMessage(), `cause` getCause();
    `topic` a KsqlSerializationException's, `status` / `error_code` a RestClientException's."""

    cls: str
    message: str | None = None
    cause: Throwable | None = None
    topic: str = ""
    status: int = 0
    error_code: int = 0

    def is_a(self, cls: str) -> bool:
        """Java's instanceof over the known hierarchy."""
        c: str | None = self.cls
        while c is not None:
            if c == cls:
                return True
            c = _SUPER.get(c)
        return False

    def chain(self) -> list[Throwable]:
        """ExceptionUtils.getThrowableList: this, its cause, the cause's cause..."""
        out: list[Throwable] = []
        t: Throwable | None = self
        while t is not None and t not in out:
            out.append(t)
            t = t.cause
        return out

    def text(self) -> str:
        """Throwable.toString: the class name, then ": " and the message when there is one."""
        return self.cls if self.message is None else f"{self.cls}: {self.message}"

    def error_messages(self) -> list[str]:
        """ErrorMessageUtil.getErrorMessages: each throwable's message (its toString when it has none)."""
        return [t.text() if t.message is None else t.message for t in self.chain()]

    def stack_trace(self) -> str:
        """Throwables.getStackTraceAsString without the frames (this engine has no Java frames to show):
        the throwable, then a "Caused by: " line per cause, each line ending with a newline."""
        lines = [self.text()] + [f"Caused by: {t.text()}" for t in self.chain()[1:]]
        return "".join(line + "\n" for line in lines)


def throwable_of(e: BaseException) -> Throwable:
    """The Java exception ksqlDB would have died of: an error that knows it (`java_throwable()`) says so;
    Schema Registry failures are RestClientExceptions, a function failure a KsqlFunctionException, other
    engine errors KsqlExceptions, anything else a RuntimeException."""
    own = getattr(e, "java_throwable", None)
    if callable(own):
        t = own()
        assert isinstance(t, Throwable)
        return t
    inner = getattr(e, "cause", None) or e.__cause__
    cause = throwable_of(inner) if isinstance(inner, BaseException) and inner is not e else None
    message = e.message if isinstance(e, KsqlError) else (str(e) or None)
    named = getattr(e, "java_class", None)  # set where the failure is made, when its Java class is known
    if isinstance(named, str):
        return Throwable(named, message, cause)
    if isinstance(e, SchemaRegistryError):
        return Throwable(REST_CLIENT_EXCEPTION, message, cause, status=e.status, error_code=e.registry_code)
    if isinstance(e, KsqlFunctionError):
        return Throwable(KSQL_FUNCTION_EXCEPTION, message, cause)
    if isinstance(e, KsqlError):
        return Throwable(KSQL_EXCEPTION, message, cause)
    return Throwable(RUNTIME_EXCEPTION, message, cause)


Classifier = Callable[[Throwable], str]


def chain(first: Classifier, other: Classifier) -> Classifier:
    """QueryErrorClassifier.and: the same type from both is kept; an UNKNOWN gives way to the other's type;
    two different known types are UNKNOWN."""

    def classify(e: Throwable) -> str:
        a, b = first(e), other(e)
        if a == b:
            return a
        if a == UNKNOWN:
            return b
        if b == UNKNOWN:
            return a
        return UNKNOWN

    return classify


def _user_if(found: bool, query_id: str, reason: str, e: Throwable) -> str:
    if found:
        log.info("Classified error as USER error based on %s. Query ID: %s Exception: %s", reason, query_id, e.text())
        return USER
    return UNKNOWN


def missing_topic(query_id: str) -> Classifier:
    """MissingTopicClassifier: a MissingSourceTopicException is a USER error."""
    return lambda e: _user_if(e.is_a(MISSING_SOURCE_TOPIC), query_id, "missing topic", e)


def authorization(query_id: str) -> Classifier:
    """AuthorizationClassifier: an AuthorizationException, or a StreamsException caused by one."""

    def classify(e: Throwable) -> str:
        found = e.is_a(AUTHORIZATION_EXCEPTION) or (
            e.is_a(STREAMS_EXCEPTION) and e.cause is not None and e.cause.is_a(AUTHORIZATION_EXCEPTION)
        )
        return _user_if(found, query_id, "missing access rights", e)

    return classify


def ksql_function(query_id: str) -> Classifier:
    """KsqlFunctionClassifier: a KsqlFunctionException, or a StreamsException whose root cause is one."""

    def classify(e: Throwable) -> str:
        found = e.is_a(KSQL_FUNCTION_EXCEPTION) or (
            e.is_a(STREAMS_EXCEPTION) and e.chain()[-1].is_a(KSQL_FUNCTION_EXCEPTION)
        )
        return _user_if(found, query_id, "invalid user input", e)

    return classify


def missing_subject(query_id: str) -> Classifier:
    """MissingSubjectClassifier: SchemaRegistryUtil.isSubjectNotFoundErrorCode (error code 40401)."""
    return lambda e: _user_if(
        e.is_a(REST_CLIENT_EXCEPTION) and e.error_code == 40401, query_id, "missing SR subject", e
    )


def schema_authorization(query_id: str) -> Classifier:
    """SchemaAuthorizationClassifier: SchemaRegistryUtil.isAuthErrorCode (HTTP status 401 or 403)."""
    return lambda e: _user_if(
        e.is_a(REST_CLIENT_EXCEPTION) and e.status in (401, 403), query_id, "missing SR subject access rights", e
    )


def ksql_serialization(query_id: str) -> Classifier:
    """KsqlSerializationClassifier: a KsqlSerializationException (itself or anywhere in a StreamsException's
    chain) for a topic that is not one of ksqlDB's internal topics (repartition, changelog)."""

    def classify(e: Throwable) -> str:
        found = next((t for t in e.chain() if t.is_a(KSQL_SERIALIZATION_EXCEPTION)), None)
        if found is None or not (e.is_a(KSQL_SERIALIZATION_EXCEPTION) or e.is_a(STREAMS_EXCEPTION)):
            return UNKNOWN
        internal = found.topic.startswith(KSQL_INTERNAL_TOPIC_PREFIX)
        return _user_if(not internal, query_id, "schema mismatch", e)

    return classify


def regex(config: str, query_id: str) -> Classifier:
    """RegexClassifier.fromConfig: `<TYPE> <REGEX>`; the type when the regex matches the whole class name or
    message of the error or of any of its causes. A value without both parts classifies nothing."""
    split = re.split(r"\s", config, maxsplit=1)
    if len(split) < 2:
        log.warning("Ignoring invalid configuration for RegexClassifier: %s", config)
        return lambda e: UNKNOWN
    kind = split[0].upper()
    if kind not in (UNKNOWN, USER, SYSTEM):  # Type.valueOf
        raise ValueError(f"No enum constant io.confluent.ksql.query.QueryError.Type.{kind}")
    pattern = re.compile(split[1], re.DOTALL)  # java.util.regex and Python agree on the usual syntax

    def classify(e: Throwable) -> str:
        for t in e.chain():
            if pattern.fullmatch(t.cls) or (t.message is not None and pattern.fullmatch(t.message)):
                log.warning("Classified error for queryId %s under regex pattern %s as type %s.", query_id, split[1], kind)
                return kind
        return UNKNOWN

    return classify


def configured(props: Mapping[str, Any], query_id: str) -> Classifier:
    """QueryBuilder.getConfiguredQueryErrorClassifier: the user-error classifiers chained, then the
    `ksql.error.classifier.regex.*` ones (each value `<TYPE> <REGEX>`) chained after them."""
    classify = missing_topic(query_id)
    for more in (authorization, ksql_function, missing_subject, schema_authorization, ksql_serialization):
        classify = chain(classify, more(query_id))
    regexes = [regex(str(v), query_id) for k, v in props.items() if k.startswith(REGEX_PREFIX) and v is not None]
    if regexes:
        combined = regexes[0]
        for r in regexes[1:]:
            combined = chain(combined, r)
        classify = chain(classify, combined)
    return classify


@dataclass(frozen=True)
class QueryError:
    """ksqlDB's QueryError, as the REST API writes it."""

    timestamp: int
    error_message: str
    type: str

    def to_json(self) -> dict[str, Any]:
        return {"timestamp": self.timestamp, "errorMessage": self.error_message, "type": self.type}


class QueryErrors:
    """QueryMetadataImpl.TimeBoundedQueue: the last `capacity` errors, none older than `duration_ms`."""

    def __init__(
        self,
        classifier: Classifier | None = None,
        capacity: int = MAX_QUEUE_SIZE_DEFAULT,
        duration_ms: int = 3_600_000,
        clock: Callable[[], int] | None = None,
    ) -> None:
        self.classifier: Classifier = classifier or (lambda e: UNKNOWN)  # QueryErrorClassifier.DEFAULT
        self.duration_ms = duration_ms
        self.clock = clock or (lambda: int(time.time() * 1000))
        self._queue: deque[QueryError] = deque(maxlen=max(0, capacity))  # EvictingQueue
        self._lock = threading.Lock()

    def record(self, e: BaseException) -> QueryError:
        """QueryMetadataImpl.uncaughtHandler: classify (a classifier that fails gives UNKNOWN) and keep the
        error with its stack trace."""
        t = throwable_of(e)
        try:
            kind = self.classifier(t)
        except Exception:
            log.exception("Error classifying unhandled exception")
            kind = UNKNOWN
        error = QueryError(self.clock(), t.stack_trace(), kind)
        with self._lock:
            if self._queue.maxlen:
                self._queue.append(error)
            self._evict()
        return error

    def errors(self) -> list[QueryError]:
        with self._lock:
            self._evict()
            return list(self._queue)

    def _evict(self) -> None:
        now = self.clock()
        while self._queue and self._queue[0].timestamp <= now - self.duration_ms:
            self._queue.popleft()


def query_errors(props: Any, query_id: str) -> QueryErrors:
    """The error queue of a query built with these properties (`props.get(name)` and `props.items()` of
    the server config under the statement's overrides)."""
    size_text = props.get(MAX_QUEUE_SIZE, "") or str(MAX_QUEUE_SIZE_DEFAULT)
    try:
        size = int(size_text)
    except ValueError:
        size = MAX_QUEUE_SIZE_DEFAULT
    return QueryErrors(configured(_regex_items(props), query_id), size)


def _regex_items(props: Any) -> dict[str, Any]:
    """KsqlConfig.originalsWithPrefix(ksql.error.classifier.regex): server config, overridden per statement."""
    layers: Iterable[Mapping[str, Any]] = [getattr(props, "server", {}), getattr(props, "overrides", {})]
    if isinstance(props, Mapping):
        layers = [props]
    out: dict[str, Any] = {}
    for layer in layers:
        out.update({k: v for k, v in layer.items() if str(k).startswith(REGEX_PREFIX)})
    return out
