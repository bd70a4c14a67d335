"""ksqlDB's SQL-based testing tool (`run-ksql-test`, and the REST `/test` endpoint): test files of
`--@test:` sections, each run on a fresh engine over the in-memory driver, with the test-only ASSERT
statements. `reader` (files, directives, statements), `executor` (one test), `asserts` (AssertExecutor),
`cli` (the command line)."""
