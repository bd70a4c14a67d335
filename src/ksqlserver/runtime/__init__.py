"""Query execution over a topic driver: the compiled pipeline, running queries, operators, state stores,
the processing log (see README.md)."""
