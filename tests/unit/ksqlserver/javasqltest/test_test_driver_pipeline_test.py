"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.test.driver.TestDriverPipelineTest` (ksqldb-testing-tool):
records flow from a topic through every query reading it, in order (shouldHandleSingleTopology,
shouldHandleLinearChainTopology, shouldHandleMultiSourceTopology,
shouldHandleTwoTopologiesWithSameInputDifferentOutput, shouldHandleOneOutputIsInputToTwoTopologies,
shouldDetectLoops). The Java test mocks the topology drivers; here real queries connect the topics."""

from __future__ import annotations

from collections.abc import Callable

A = "CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');\n"
B = "CREATE STREAM b (id INT KEY, col1 INT) WITH (kafka_topic='b', value_format='JSON');\n"
ROW1 = "INSERT INTO a (rowtime, id, col1) VALUES (1, 1, 1);\n"


def _expect(stream: str, *rows: str) -> str:
    return "".join(f"ASSERT VALUES {stream} (rowtime, id, col1) VALUES {r};\n" for r in rows)


def test_should_handle_single_topology(failure: Callable[[str], str | None]) -> None:
    """shouldHandleSingleTopology"""
    sql = "--@test: t\n" + A + "CREATE STREAM b AS SELECT * FROM a;\n" + ROW1 + _expect("b", "(1, 1, 1)")
    assert failure(sql) is None


def test_should_handle_linear_chain_topology(failure: Callable[[str], str | None]) -> None:
    """shouldHandleLinearChainTopology"""
    sql = (
        "--@test: t\n" + A + "CREATE STREAM b AS SELECT * FROM a;\nCREATE STREAM c AS SELECT * FROM b;\n" + ROW1
        + _expect("b", "(1, 1, 1)") + _expect("c", "(1, 1, 1)")
    )
    assert failure(sql) is None


def test_should_handle_multi_source_topology(failure: Callable[[str], str | None]) -> None:
    """shouldHandleMultiSourceTopology: a and b both written to c, in the order they were written."""
    sql = (
        "--@test: t\n" + A + B + "CREATE STREAM c AS SELECT * FROM a;\nINSERT INTO c SELECT * FROM b;\n" + ROW1
        + "INSERT INTO b (rowtime, id, col1) VALUES (1, 1, 2);\n" + _expect("c", "(1, 1, 1)", "(1, 1, 2)")
    )
    assert failure(sql) is None


def test_should_handle_two_topologies_with_same_input_different_output(failure: Callable[[str], str | None]) -> None:
    """shouldHandleTwoTopologiesWithSameInputDifferentOutput"""
    sql = (
        "--@test: t\n" + A + "CREATE STREAM b AS SELECT * FROM a;\nCREATE STREAM c AS SELECT * FROM a;\n" + ROW1
        + _expect("b", "(1, 1, 1)") + _expect("c", "(1, 1, 1)")
    )
    assert failure(sql) is None


def test_should_handle_one_output_is_input_to_two_topologies(failure: Callable[[str], str | None]) -> None:
    """shouldHandleOneOutputIsInputToTwoTopologies"""
    sql = (
        "--@test: t\n" + A + "CREATE STREAM b AS SELECT * FROM a;\nCREATE STREAM c AS SELECT * FROM b;\n"
        "CREATE STREAM d AS SELECT * FROM b;\n" + ROW1
        + _expect("b", "(1, 1, 1)") + _expect("c", "(1, 1, 1)") + _expect("d", "(1, 1, 1)")
    )
    assert failure(sql) is None


def test_should_detect_loops(failure: Callable[[str], str | None]) -> None:
    """shouldDetectLoops: "Detected illegal cycle in topology: a->b->a" (topic names)."""
    sql = (
        "--@test: t\n" + A + "CREATE STREAM b WITH (kafka_topic='b') AS SELECT * FROM a;\n"
        "INSERT INTO a SELECT * FROM b;\n" + ROW1
    )
    message = failure(sql)
    assert message is not None and "Detected illegal cycle in topology: a->b->a" in message


def test_a_query_sees_only_records_written_after_it(failure: Callable[[str], str | None]) -> None:
    """TestDriverPipeline.addDriver: a query's driver is fed only the records piped after it was added."""
    sql = "--@test: t\n" + A + ROW1 + "CREATE STREAM b AS SELECT * FROM a;\n" + _expect("b", "(1, 1, 1)")
    message = failure(sql)
    assert message is not None and "Expected another record, but all records have already been read:" in message
