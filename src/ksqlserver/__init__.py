"""ksqlserver: a ksqlDB 0.29-compatible streaming SQL engine and REST server."""

__version__ = "0.29.0"
