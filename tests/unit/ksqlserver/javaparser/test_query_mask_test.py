"""ksqlDB 0.29's QueryMaskTest (ksqldb-parser, io.confluent.ksql.util), ported for what a client sees: the
masked text of a CREATE CONNECTOR, which ksqlDB answers with as the statement text
(`statements.connectors.masked_text`).

Not ported: the INSERT and invalid-statement cases (QueryMask's regex fallback), which only reach ksqlDB's
logs; a CREATE STREAM is never masked (shouldNotMaskValidCreateStream), and ours never masks it either."""

from __future__ import annotations

import pytest

from ksqlserver.statements.connectors import masked_text

_PROPS = (
    "    \"connector.class\" = 'PostgresSource', \n"
    "    'connection.url' = 'jdbc:postgresql://localhost:5432/my.db',\n"
    "    {mode}='bulk',\n"
    "    \"topic.prefix\"='jdbc-',\n"
    "    \"table.whitelist\"='users',\n"
    "    \"key\"='username');"
)
_MASKED = (
    "(\"connector.class\"='PostgresSource', 'connection.url'='[string]', {mode}='[string]', "
    "\"topic.prefix\"='[string]', \"table.whitelist\"='[string]', \"key\"='[string]');"
)


@pytest.mark.parametrize(
    ("head", "mode", "want_head"),
    [
        # shouldMaskIfNotExistSourceConnector
        ("CREATE SOURCE CONNECTOR IF NOT EXISTS testconnector WITH (", "`mode`",
         "CREATE SOURCE CONNECTOR IF NOT EXISTS testconnector WITH "),
        # shouldMaskSourceConnector
        ("CREATE SOURCE CONNECTOR `test-connector` WITH (", "`mode`", "CREATE SOURCE CONNECTOR `test-connector` WITH "),
        # shouldMaskSinkConnector: the keywords come back upper-cased
        ("CREATE Sink CONNECTOR `test-connector` WITH (", '"mode"', "CREATE SINK CONNECTOR `test-connector` WITH "),
        # shouldMaskValidCreateConnectorWithComment: the comment goes
        ("--this is a comment. \nCREATE SOURCE CONNECTOR `test-connector` WITH (", '"mode"',
         "CREATE SOURCE CONNECTOR `test-connector` WITH "),
    ],
)
def test_mask_connector(head: str, mode: str, want_head: str) -> None:
    """QueryMaskTest.shouldMask*Connector*: every value but connector.class's masked, the statement rebuilt."""
    assert masked_text(head + _PROPS.format(mode=mode)) == want_head + _MASKED.format(mode=mode)
