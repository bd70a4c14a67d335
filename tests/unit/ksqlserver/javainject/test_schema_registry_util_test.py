"""ksqlDB 0.29's SchemaRegistryUtilTest (ksqldb-engine/src/test/java/io/confluent/ksql/schema/registry/
SchemaRegistryUtilTest.java), through the statements that use SchemaRegistryUtil:

- getLatestSchemaAndId / getLatestSchemaId: a CREATE without columns reads the latest `<topic>-key|value`;
- cleanupInternalTopicSchemas: TERMINATE soft-, then hard-deletes the query's changelog and repartition
  subjects, leaves every other subject, and fails on nothing;
- subjectExists: a CREATE with columns registers only a missing subject; a denied read is
  KsqlSchemaAuthorizationException;
- getDeniedOperation / registerSchema: a denied write names the operation, an unknown denial is the
  "Could not register schema for topic" failure."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ksqlserver.errors import SchemaAuthorizationError

from .conftest import AVRO, FailingRegistry, Sr, io_error, rest_error

AVRO_SCHEMA = {
    "type": "record", "name": "KsqlDataSourceSchema", "namespace": "io.confluent.ksql.avro_schemas",
    "fields": [{"name": "F1", "type": ["null", "string"], "default": None}],
    "connect.name": "io.confluent.ksql.avro_schemas.KsqlDataSourceSchema",
}


@pytest.fixture
def reg() -> FailingRegistry:
    return FailingRegistry()


@pytest.fixture
def sru(make_sr: Callable[..., Sr], reg: FailingRegistry) -> Sr:
    return make_sr(registry=reg, topics=("bar", "foo", "src"))


@pytest.mark.parametrize("part", ["key", "value"])
def test_should_return_latest_schema_and_id_from_subject(sru: Sr, part: str) -> None:
    """shouldReturnParsedSchemaFromSubjectValue / ...Key, shouldReturnSchemaIdFromSubjectKey / ...Value:
    the latest version of bar-<part>, read by its id."""
    sru.register(f"bar-{part}", '"int"', AVRO, 7)
    sru.register(f"bar-{part}", '"string"' if part == "key" else AVRO_SCHEMA, AVRO, 123)
    if part == "key":
        sru.execute("CREATE STREAM B (V STRING) WITH (KAFKA_TOPIC='bar', KEY_FORMAT='AVRO', VALUE_FORMAT='JSON');")
        assert sru.schema("B") == "`ROWKEY` STRING KEY, `V` STRING"
    else:
        sru.execute("CREATE STREAM B (K STRING KEY) WITH (KAFKA_TOPIC='bar', KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO');")
        assert sru.schema("B") == "`K` STRING KEY, `F1` STRING"


def given_terminated_query(sru: Sr, reg: FailingRegistry, subjects: list[str]) -> str:
    """A table query's application id; `subjects` (suffixes after it, or whole names starting with "/")
    registered, then the query terminated."""
    sru.execute("CREATE STREAM S (ID INT KEY, A INT) WITH (KAFKA_TOPIC='src', FORMAT='JSON');")
    [created] = sru.execute("CREATE TABLE T AS SELECT A, COUNT(*) AS N FROM S GROUP BY A;")
    app = f"_confluent-ksql-inj_query_{created['commandStatus']['queryId']}"
    for s in subjects:
        sru.register(s[1:] if s.startswith("/") else app + s, '"string"')
    reg.calls.clear()
    sru.execute(f"TERMINATE {created['commandStatus']['queryId']};")
    return app


@pytest.mark.parametrize("kind", ["changelog", "repartition"])
def test_should_delete_internal_topic_schema(sru: Sr, reg: FailingRegistry, kind: str) -> None:
    """shouldDeleteChangeLogTopicSchema / shouldDeleteRepartitionTopicSchema / shouldHardDeleteIfFlagSet:
    each subject soft-deleted, then hard-deleted, in order."""
    app = given_terminated_query(sru, reg, [f"SOME-{kind}-key", f"SOME-{kind}-value"])
    assert [c for c in reg.calls if c[0] in ("delete", "hard_delete")] == [
        ("delete", f"{app}SOME-{kind}-key"),
        ("hard_delete", f"{app}SOME-{kind}-key"),
        ("delete", f"{app}SOME-{kind}-value"),
        ("hard_delete", f"{app}SOME-{kind}-value"),
    ]
    assert not [s for s in sru.subjects() if s.startswith(app)]


def test_should_not_delete_other_schemas_for_this_application_id(sru: Sr, reg: FailingRegistry) -> None:
    """shouldNotDeleteOtherSchemasForThisApplicationId"""
    app = given_terminated_query(sru, reg, ["SOME-other-key", "SOME-other-value"])
    assert not [c for c in reg.calls if c[0] == "delete"]
    assert f"{app}SOME-other-key" in sru.subjects()


def test_should_not_delete_other_schemas(sru: Sr, reg: FailingRegistry) -> None:
    """shouldNotDeleteOtherSchemas"""
    given_terminated_query(sru, reg, ["/SOME-other-key", "/SOME-other-value", "/SOME-changelog-key"])
    assert not [c for c in reg.calls if c[0] == "delete"]


def test_should_not_throw_if_all_subjects_throws(sru: Sr, reg: FailingRegistry) -> None:
    """shouldNotThrowIfAllSubjectsThrows: TERMINATE succeeds."""
    reg.fail["subjects"] = RuntimeError("Boom!")
    given_terminated_query(sru, reg, [])
    assert ("subjects", "") in reg.calls
    assert sru.engine.state.persistent == {}


@pytest.mark.parametrize("error", [RuntimeError("Boom!"), rest_error("foo", 404, 40401)], ids=["boom", "40401"])
def test_should_not_throw_if_delete_subject_throws(sru: Sr, reg: FailingRegistry, error: Exception) -> None:
    """shouldNotThrowIfDeleteSubjectThrows / shouldNotRetryIf40401: TERMINATE succeeds."""
    reg.fail["delete"] = error
    app = given_terminated_query(sru, reg, ["SOME-changelog-key", "SOME-changelog-value"])
    assert ("delete", f"{app}SOME-changelog-key") in reg.calls
    assert ("delete", f"{app}SOME-changelog-value") in reg.calls
    assert sru.engine.state.persistent == {}


def test_should_return_true_on_is_subject_exists(sru: Sr, reg: FailingRegistry) -> None:
    """shouldReturnTrueOnIsSubjectExists: an existing subject is not registered again."""
    sru.register("foo-value", '"int"')
    sru.execute("CREATE STREAM F (K STRING KEY, F1 STRING) WITH (KAFKA_TOPIC='foo', KEY_FORMAT='KAFKA', "
                "VALUE_FORMAT='AVRO');")
    assert not [c for c in reg.calls if c[0] == "register"]


def test_should_return_false_on_subject_missing(sru: Sr) -> None:
    """shouldReturnFalseOnSubjectMissing: a missing subject is registered."""
    sru.execute("CREATE STREAM B (K STRING KEY, F1 STRING) WITH (KAFKA_TOPIC='bar', KEY_FORMAT='KAFKA', "
                "VALUE_FORMAT='AVRO');")
    assert sru.registered_json("bar-value") == AVRO_SCHEMA


def test_should_throw_authorization_exception_on_unauthorized_subject_access(sru: Sr, reg: FailingRegistry) -> None:
    """shouldThrowAuthorizationExceptionOnUnauthorizedSubjectAccess"""
    reg.fail["latest"] = rest_error("User is denied operation Write on Subject: bar-value; error code: 40301",
                                    403, 40301)
    err = sru.error("CREATE STREAM B (K STRING KEY, F1 STRING) WITH (KAFKA_TOPIC='bar', KEY_FORMAT='KAFKA', "
                    "VALUE_FORMAT='AVRO');")
    assert isinstance(err, SchemaAuthorizationError)
    assert err.message == "Authorization denied to Write on Schema Registry subject: [bar-value]"


def test_should_throw_if_latest_schema_fails(sru: Sr, reg: FailingRegistry) -> None:
    """SchemaRegistryUtil.getLatestSchema: another failure is "Could not get latest schema for subject"."""
    reg.fail["latest"] = io_error("boom")
    message = sru.message("CREATE STREAM B (K STRING KEY, F1 STRING) WITH (KAFKA_TOPIC='bar', KEY_FORMAT='KAFKA', "
                          "VALUE_FORMAT='AVRO');")
    assert message == "Could not get latest schema for subject bar-value"


def test_should_return_known_denied_operation_from_valid_authorization_message(
    sru: Sr, reg: FailingRegistry
) -> None:
    """shouldReturnKnownDeniedOperationFromValidAuthorizationMessage / shouldThrowKsqlSchemaAuthorizationException"""
    reg.fail["register"] = rest_error("User is denied operation Write on Subject: t2-value", 403, 40301)
    message = sru.message("CREATE STREAM B (K STRING KEY, F1 STRING) WITH (KAFKA_TOPIC='bar', KEY_FORMAT='KAFKA', "
                          "VALUE_FORMAT='AVRO');")
    assert message == "Authorization denied to Write on Schema Registry subject: [bar-value]"


def test_should_return_unknown_denied_operation_from_no_valid_authorization_message(
    sru: Sr, reg: FailingRegistry
) -> None:
    """shouldReturnUnknownDeniedOperationFromNoValidAuthorizationMessage: no operation known, the
    registration failure as any other (shouldThrowKsqlException)."""
    reg.fail["register"] = rest_error("INVALID is denied operation Write on Subject: t2-value", 403, 40301)
    message = sru.message("CREATE STREAM B (K STRING KEY, F1 STRING) WITH (KAFKA_TOPIC='bar', KEY_FORMAT='KAFKA', "
                          "VALUE_FORMAT='AVRO');")
    assert message.startswith("Could not register schema for topic: ")
    assert "INVALID is denied operation Write on Subject: t2-value; error code: 40301" in message
