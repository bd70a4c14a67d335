"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.ErrorsTest`, through /ksql: Errors.generateResponse maps an
error whose root cause is KsqlSchemaRegistryNotConfiguredException to 428 / ERROR_CODE_SCHEMA_REGISTRY_
UNCONFIGURED (42801) with DefaultErrorMessages.schemaRegistryUnconfiguredErrorMessage, and any other cause to
the response it was given (400). The 403 of a Kafka TopicAuthorizationException (shouldReturnForbiddenKafka*)
needs a Kafka cluster with ACLs: not ported."""

from __future__ import annotations

from typing import Any


def test_should_return_schema_registry_not_configured_response(res: Any) -> None:
    """ErrorsTest.shouldReturnSchemaRegistryNotConfiguredResponseIfRootCauseKsqlSchemaRegistryConfigException:
    428, a KsqlErrorMessage (not a statement error) with the exception's message."""
    body = res.fail(
        "CREATE STREAM AVRO_S (ID INT) WITH (kafka_topic='KAFKA_TOPIC_2', value_format='AVRO');", status=428
    )
    assert body == {
        "@type": "generic_error",
        "error_code": 42801,
        "message": "Cannot create topic 'KAFKA_TOPIC_2' with format AVRO without configuring "
        "'ksql.schema.registry.url'",
    }


def test_should_return_response_if_root_cause_not_a_specific_exception(res: Any) -> None:
    """ErrorsTest.shouldReturnResponseIfRootCauseNotASpecificException: the given bad request, 400."""
    body = res.fail("CREATE STREAM S2 (ID INT) WITH (kafka_topic='no_such_topic', value_format='JSON');")
    assert (body["@type"], body["error_code"]) == ("generic_error", 40000)  # Errors.badRequest's
    assert body["message"].startswith("Topic 'no_such_topic' does not exist.")
