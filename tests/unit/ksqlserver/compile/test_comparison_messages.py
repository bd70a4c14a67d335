"""The texts of a refused comparison in a CREATE ... AS SELECT, as ksqlDB 0.29 builds them:
ExpressionTypeManager.visitComparisonExpression throws KsqlStatementException(message naming the types only,
unlogged details naming the operands, statement = the comparison), which the projection's typing lets through
as thrown, and SchemaRegisterInjector.registerForCreateAs wraps both texts in "Could not determine output
schema for query due to error: ". ksqlDB's QTT harness accepts an expected message found in either text
(KsqlExpectedException.UnloggedMessageMatcher). Observed on the real engine (the /work/oracle oracle)."""

from __future__ import annotations

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

WRAP = "Could not determine output schema for query due to error: "


def test_comparison_of_string_to_integer() -> None:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    # as ksqlDB's test harness runs it (no TopicCreateInjector: the statement keeps its WITH clause)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, topic_injector=False), d)
    e.execute("CREATE STREAM SRC (K STRING KEY, S STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    with pytest.raises(KsqlError) as info:
        e.execute("CREATE STREAM OUT AS SELECT K, S = 1 AS R FROM SRC;")
    err = info.value
    assert err.logged_message == WRAP + "Cannot compare STRING to INTEGER with EQUAL."
    assert err.unlogged_message == (
        WRAP + "Cannot compare S (STRING) to 1 (INTEGER) with EQUAL.\nStatement: (S = 1)\n"
        "Statement: CREATE STREAM OUT AS SELECT\n  SRC.K K,\n  (SRC.S = 1) R\nFROM SRC SRC\nEMIT CHANGES"
    )
    # the wrapper's raw unlogged details (what KsqlResource answers): the prefix, the comparison's detailed message
    assert err.message == WRAP + "Cannot compare S (STRING) to 1 (INTEGER) with EQUAL.\nStatement: (S = 1)"
    e.close()


def test_syntax_error_message_and_details() -> None:
    """ParsingException (ksqlDB 0.29): getMessage() is "line L:C: Syntax error at line L:C", the detailed
    text ("line L:C: Syntax Error\\n...") is its unlogged details; ksqlDB's QTT harness matches either."""
    e = Engine(EngineConfig(service_id="x_", synchronous=True), MemoryDriver())
    with pytest.raises(KsqlError) as info:
        e.execute("CREATE STREAM SRC (K STRING KEY, S STRING)\n WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON') x;")
    err = info.value
    where = err.message.split(": ", 1)[0]
    assert err.message.startswith(where + ": Syntax Error")
    assert err.logged_message == f"{where}: Syntax error at {where}"
    e.close()
