"""Query execution over a topic driver: persistent queries, transient push queries, the processing log."""
