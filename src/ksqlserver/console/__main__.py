"""`python -m ksqlserver.console`: the `ksql` command."""

from ksqlserver.console.main import entry

entry()
