"""`python -m ksqlserver.testing`: the same as `ksql-test-runner`."""

from ksqlserver.testing.cli import entry

entry()
