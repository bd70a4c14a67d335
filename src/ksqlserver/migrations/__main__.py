from ksqlserver.migrations.cli import entry

entry()
