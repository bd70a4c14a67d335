"""Conformance runners: ksqlDB's QTT files through the engine (`qtt`), REST files via the server (`rest`)."""
