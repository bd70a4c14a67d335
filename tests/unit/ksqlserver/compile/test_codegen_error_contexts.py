"""Code-generation errors name the step that compiles the expression, as ksqlDB 0.29's
CodeGenRunner.buildCodeGenFromParseTree does ("Invalid <type>: ..."): StreamFlatMapBuilder compiles each
table-function parameter on its own as "Table function", before the projection ("Select"). Operators
ExpressionTypeManager lets through but Janino refuses in the generated code (unary minus on a non-number,
LIKE on a non-STRING) carry Janino's message, located in the generated Java text. ExpressionTypeManager does not
type a NOT's operand, so a NULL compared under a NOT (IS NOT DISTINCT FROM is NOT(IS DISTINCT FROM)) fails in
SqlToJavaVisitor with a NullPointerException: "Unexpected error generating code for Select"."""

from __future__ import annotations

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

CREATE = "CREATE STREAM S (ID STRING KEY, I INT, A ARRAY<INT>, STR STRING, BO BOOLEAN) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT ID, EXPLODE(ARRAY[CAST(I AS BOOLEAN)]) AS R FROM S",
            "Invalid Table function: Cast of INTEGER to BOOLEAN is not supported.",
        ),
        ("SELECT ID, CAST(I AS BOOLEAN) AS R FROM S", "Invalid Select: Cast of INTEGER to BOOLEAN is not supported."),
        (
            "SELECT ID, CAST(I AS BOOLEAN) AS R FROM S WHERE CAST(I AS DATE) IS NULL",
            "Invalid Predicate: Cast of INTEGER to DATE is not supported.",
        ),
        (  # recorded from ksqlDB 0.29 (difffunc/errors "error -S")
            "SELECT ID, -STR AS R FROM S",
            'Invalid Select: Line 1, Column 2: Object of type "java.lang.String" cannot be converted to a numeric type.',
        ),
        (
            "SELECT ID, -BO AS R FROM S",
            'Invalid Select: Line 1, Column 2: Object of type "boolean" cannot be converted to a numeric type.',
        ),
        (
            "SELECT ID, NOT (I LIKE '1') AS R FROM S",
            'Invalid Select: Line 1, Column 25: No applicable constructor/method found for actual parameters '
            '"java.lang.Integer, java.lang.String"; candidates are: "default static boolean '
            'io.confluent.ksql.execution.codegen.helpers.LikeEvaluator.matches(java.lang.String, java.lang.String, '
            'java.util.Optional)", "public static boolean io.confluent.ksql.execution.codegen.helpers.LikeEvaluator'
            '.matches(java.lang.String, java.lang.String, char)", "public static boolean '
            'io.confluent.ksql.execution.codegen.helpers.LikeEvaluator.matches(java.lang.String, java.lang.String)".',
        ),
        # recorded from ksqlDB 0.29 (difffunc/cond "I IS NOT DISTINCT FROM NULL")
        ("SELECT ID, I IS NOT DISTINCT FROM NULL AS R FROM S", "Unexpected error generating code for Select"),
        ("SELECT ID, I FROM S WHERE NOT (I = NULL)", "Unexpected error generating code for Predicate"),
        (
            "SELECT ID, I IS DISTINCT FROM NULL AS R FROM S",
            "Comparison with NULL not supported: INTEGER IS DISTINCT FROM NULL\nUse 'IS NULL' or 'IS NOT NULL' instead.",
        ),
    ],
)
def test_codegen_errors_name_their_step(query: str, message: str) -> None:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={}), d)
    try:
        e.execute(CREATE)
        with pytest.raises(KsqlError) as err:
            e.execute(f"CREATE STREAM O AS {query};")
        # refused while SchemaRegisterInjector plans the CSAS: the REST message carries its prefix
        assert err.value.message == "Could not determine output schema for query due to error: " + message
    finally:
        e.close()
