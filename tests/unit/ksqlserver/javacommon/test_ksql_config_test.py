"""ksqlDB 0.29 KsqlConfigTest (ksqldb-common, util): what KsqlConfig makes of the server configuration, as
SHOW PROPERTIES lists it (ListPropertiesExecutor: KsqlConfig.getAllConfigPropsWithSecretsObfuscated, the
Streams settings as `ksql.streams.*`), and of a request's overrides (cloneWithPropertyOverwrite).

Not ported: the typed values inside getKsqlStreamConfigProps (SHOW PROPERTIES prints them as text),
getProducerClientConfigProps, overrideBreakingConfigsWithOriginalValues (command-topic replay of old
configs), shouldBeAbleToGetSharedRuntimesEnabledValue, and getKsqlFunctionsConfigProps, which feeds Java
UDFs' `configure` (this engine's Python extensions have their own settings API)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import Exec

Make = Callable[..., Exec]
DESER = "ksql.streams.default.deserialization.exception.handler"
PROD = "ksql.streams.default.production.exception.handler"
LOG_AND_FAIL = "io.confluent.ksql.errors.ProductionExceptionHandlerUtil$LogAndFailProductionExceptionHandler"
LOG_AND_CONTINUE = (
    "io.confluent.ksql.errors.ProductionExceptionHandlerUtil$LogAndContinueProductionExceptionHandler"
)


def test_should_set_initial_values_correctly(make_ex: Make) -> None:
    assert make_ex(**{"commit.interval.ms": 800}).properties()["ksql.streams.commit.interval.ms"] == "800"


def test_should_set_log_and_continue_exception_handler_by_default(make_ex: Make) -> None:
    props = make_ex().properties()
    assert props[DESER] == "io.confluent.ksql.errors.LogMetricAndContinueExceptionHandler"


def test_should_set_log_and_continue_exception_handler_when_fail_on_deserialization_error_false(
    make_ex: Make,
) -> None:
    props = make_ex(**{"ksql.fail.on.deserialization.error": "false"}).properties()
    assert props[DESER] == "io.confluent.ksql.errors.LogMetricAndContinueExceptionHandler"


def test_should_not_set_deserialization_exception_handler_when_fail_on_deserialization_error_true(
    make_ex: Make,
) -> None:
    assert DESER not in make_ex(**{"ksql.fail.on.deserialization.error": "true"}).properties()


def test_should_set_log_and_continue_exception_handler_when_fail_on_production_error_false(
    make_ex: Make,
) -> None:
    assert make_ex(**{"ksql.fail.on.production.error": "false"}).properties()[PROD] == LOG_AND_CONTINUE


def test_should_not_set_deserialization_exception_handler_when_fail_on_production_error_true(
    make_ex: Make,
) -> None:
    assert make_ex(**{"ksql.fail.on.production.error": "true"}).properties()[PROD] == LOG_AND_FAIL


def test_should_fail_on_production_error_by_default(make_ex: Make) -> None:
    assert make_ex().properties()[PROD] == LOG_AND_FAIL


def test_handlers_are_not_changed_by_a_request(make_ex: Make) -> None:
    """cloneWithPropertyOverwrite keeps the Streams settings the constructor derived: overriding the fail.on
    settings in a request changes no handler."""
    props = make_ex().properties(
        {"ksql.fail.on.deserialization.error": "true", "ksql.fail.on.production.error": "false"}
    )
    assert props[PROD] == LOG_AND_FAIL
    assert DESER in props


@pytest.mark.parametrize(
    ("name", "config", "listed"),
    [
        ("shouldSetStreamsConfigConsumerUnprefixedProperties", {"auto.offset.reset": "earliest"},
         {"ksql.streams.auto.offset.reset": "earliest"}),
        ("shouldSetStreamsConfigConsumerPrefixedProperties", {"consumer.fetch.min.bytes": "100"},
         {"ksql.streams.consumer.fetch.min.bytes": "100"}),
        ("shouldSetStreamsConfigConsumerKsqlPrefixedProperties", {"ksql.streams.consumer.fetch.min.bytes": "100"},
         {"ksql.streams.consumer.fetch.min.bytes": "100"}),
        ("shouldSetStreamsConfigProducerUnprefixedProperties", {"buffer.memory": "1024"},
         {"ksql.streams.buffer.memory": "1024"}),
        ("shouldSetStreamsConfigProducerPrefixedProperties", {"producer.buffer.memory": "1024"},
         {"ksql.streams.producer.buffer.memory": "1024"}),
        ("shouldSetStreamsConfigKsqlProducerPrefixedProperties", {"ksql.streams.producer.buffer.memory": "1024"},
         {"ksql.streams.producer.buffer.memory": "1024"}),
        ("shouldSetStreamsConfigKsqlTopicPrefixedProperties", {"ksql.streams.topic.min.insync.replicas": "2"},
         {"ksql.streams.topic.min.insync.replicas": "2"}),
        ("shouldSetStreamsConfigAdminClientProperties", {"request.timeout.ms": "3"},
         {"ksql.streams.request.timeout.ms": "3"}),
        ("shouldSetStreamsConfigProperties", {"cache.max.bytes.buffering": "128"},
         {"ksql.streams.cache.max.bytes.buffering": "128"}),
        ("shouldSetPrefixedStreamsConfigProperties", {"ksql.streams.cache.max.bytes.buffering": "128"},
         {"ksql.streams.cache.max.bytes.buffering": "128"}),
        ("shouldListKnownKsqlConfig", {"ksql.output.topic.name.prefix": "not sensitive"},
         {"ksql.output.topic.name.prefix": "not sensitive"}),
        ("shouldListUnknownKsqlFunctionConfigObfuscated", {"ksql.functions.some_udf.some.prop": "maybe sensitive"},
         {"ksql.functions.some_udf.some.prop": "[hidden]"}),
        ("shouldListKnownStreamsConfigObfuscated",
         {"application.id": "not sensitive", "ksql.streams.ssl.truststore.password": "sensitive!",
          "ksql.streams.consumer.ssl.truststore.password": "sensitive!"},
         {"ksql.streams.application.id": "not sensitive", "ksql.streams.ssl.truststore.password": "[hidden]",
          "ksql.streams.consumer.ssl.truststore.password": "[hidden]"}),
    ],
)  # fmt: skip
def test_listed(make_ex: Make, name: str, config: dict[str, str], listed: dict[str, str]) -> None:
    props = make_ex(**config).properties()
    assert {k: props.get(k) for k in listed} == listed


def test_prefixed_settings_are_not_listed_bare(make_ex: Make) -> None:
    """The prefixed-property cases' `is(nullValue())` halves: a consumer./producer./topic. setting is not a
    bare one, and ksql.streams.<x> is listed once."""
    props = make_ex(
        **{"ksql.streams.consumer.fetch.min.bytes": "100", "producer.buffer.memory": "1024",
           "ksql.streams.topic.min.insync.replicas": "2"}
    ).properties()  # fmt: skip
    assert "ksql.streams.fetch.min.bytes" not in props
    assert "ksql.streams.buffer.memory" not in props
    assert "ksql.streams.min.insync.replicas" not in props
    assert not any(k.startswith("ksql.streams.ksql.streams.") for k in props)


@pytest.mark.parametrize("order", ["prefixed first", "bare first"])
def test_should_override_streams_config_properties(make_ex: Make, order: str) -> None:
    """shouldOverrideStreamsConfigProperties: ksql.streams.<x> wins over <x> (originalsWithPrefixOverride),
    whichever comes first."""
    config = {"ksql.streams.ssl.truststore.location": "kafka.jks", "ssl.truststore.location": "https.jks"}
    if order == "bare first":
        config = dict(reversed(config.items()))
    assert make_ex(**config).properties()["ksql.streams.ssl.truststore.location"] == "kafka.jks"


def test_should_not_set_auto_offset_reset_by_default(make_ex: Make) -> None:
    """shouldNotSetAutoOffsetResetByDefault: KsqlConfig sets none (getKsqlStreamConfigProps has no
    auto.offset.reset), so SHOW PROPERTIES does not list it until a request (or the server) sets it."""
    ex = make_ex()
    assert "ksql.streams.auto.offset.reset" not in ex.properties()
    props = ex.properties({"auto.offset.reset": "earliest"})
    assert props["ksql.streams.auto.offset.reset"] == "earliest"
    assert "ksql.streams.auto.offset.reset" in props["<overwritten>"]


@pytest.mark.parametrize(
    ("name", "config", "overrides", "expected"),
    [
        ("shouldCloneWithKsqlPropertyOverwrite", {"ksql.output.topic.name.prefix": "test"},
         {"ksql.output.topic.name.prefix": "test-2"}, {"ksql.output.topic.name.prefix": "test-2"}),
        ("shouldCloneWithStreamPropertyOverwrite", {"fetch.min.bytes": "100"}, {"fetch.min.bytes": "200"},
         {"ksql.streams.fetch.min.bytes": "200"}),
        ("shouldCloneWithPrefixedStreamPropertyOverwrite", {"ksql.streams.fetch.min.bytes": "100"},
         {"ksql.streams.fetch.min.bytes": "200"}, {"ksql.streams.fetch.min.bytes": "200"}),
        ("shouldCloneWithMultipleOverwrites",
         {"auto.commit.interval.ms": "123", "auto.offset.reset": "latest"},
         {"num.stream.threads": "2", "auto.commit.interval.ms": "456", "auto.offset.reset": "earliest",
          "metadata.max.age.ms": "13"},
         {"ksql.streams.auto.commit.interval.ms": "456", "ksql.streams.auto.offset.reset": "earliest",
          "ksql.streams.num.stream.threads": "2", "ksql.streams.metadata.max.age.ms": "13"}),
    ],
)  # fmt: skip
def test_clone_with_overwrite(
    make_ex: Make, name: str, config: dict[str, str], overrides: dict[str, str], expected: dict[str, str]
) -> None:
    """cloneWithPropertyOverwrite: a request's properties over the server's, each overwritten one named."""
    props = make_ex(**config).properties(overrides)
    assert {k: props.get(k) for k in expected} == expected
    assert set(expected) <= set(props["<overwritten>"])


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("shouldFilterPropertiesForWhichTypeUnknown", "you.shall.not.pass"),
        ("shouldNotListUnresolvedServerConfig", "some.random.property"),
    ],
)
def test_unknown_settings_are_not_listed(make_ex: Make, name: str, key: str) -> None:
    """Only Streams settings KsqlConfigResolver resolves against a ConfigDef are listed."""
    props = make_ex(**{key: "wizard"}).properties()
    assert key not in props
    assert f"ksql.streams.{key}" not in props


def test_unresolved_settings_are_kept_but_not_listed(make_ex: Make) -> None:
    """shouldSetMonitoringInterceptorConfigProperties / ...ByClientType: an interceptor's own settings pass
    through to Streams unresolved, so SHOW PROPERTIES lists none of them; a topic. setting of a TopicConfig
    name is listed with its ksql.streams. prefix."""
    props = make_ex(
        **{"confluent.monitoring.interceptor.topic": "foo",
           "ksql.streams.consumer.confluent.monitoring.interceptor.topic": "foo",
           "producer.confluent.monitoring.interceptor.topic": "bar",
           "ksql.streams.topic.min.insync.replicas": "2",
           "ksql.streams.topic.not.a.topic.config": "2"}
    ).properties()  # fmt: skip
    assert not any("interceptor" in k for k in props)
    assert props["ksql.streams.topic.min.insync.replicas"] == "2"
    assert "ksql.streams.topic.not.a.topic.config" not in props


def test_only_ksql_config_properties_are_listed(make_ex: Make) -> None:
    """shouldNotListUnresolvedServerConfig for ksql.* names: getKsqlConfigPropsWithSecretsObfuscated lists
    KsqlConfig's own properties (and ksql.functions.*, hidden), not ProcessingLogConfig's
    ksql.logging.processing.* nor a name KsqlConfig does not define."""
    props = make_ex(**{"ksql.logging.processing.rows.include": "true", "ksql.nonsense": "1"}).properties()
    assert not [k for k in props if k.startswith("ksql.logging.processing.")]
    assert "ksql.sink.partitions" not in props and "ksql.sink.replicas" not in props
    assert "ksql.nonsense" not in props
    assert props["ksql.output.topic.name.prefix"] == ""
