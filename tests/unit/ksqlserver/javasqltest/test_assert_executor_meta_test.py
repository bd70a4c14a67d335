"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.test.driver.AssertExecutorMetaTest` (ksqldb-testing-tool):
AssertExecutor.MUST_MATCH covers every WITH property of a CREATE but those the tool does not support
(shouldCoverAllWithClauses)."""

from __future__ import annotations

from ksqlserver.catalog.sources import CREATE_ONLY_PROPS, KNOWN_PROPS
from ksqlserver.testing.sqltests.asserts import MUST_MATCH

# partitions, replicas, retention and cleanup policy: the testing tool does not support them
EXCLUDED = {"PARTITIONS", "REPLICAS", "RETENTION_MS", "CLEANUP_POLICY"}


def test_should_cover_all_with_clauses() -> None:
    """shouldCoverAllWithClauses: CommonCreateConfigs' properties (CreateConfigs' own are not among them)."""
    common = set(KNOWN_PROPS) - set(CREATE_ONLY_PROPS)
    coverage = {name for prop in MUST_MATCH for name in prop.with_clause}
    assert common - coverage == EXCLUDED
