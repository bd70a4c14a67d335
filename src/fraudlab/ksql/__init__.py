"""fraudlab's KSQL client: statements, bounded push and pull queries, descriptions and the idempotent
`apply` of the pipeline's `ksql/*.sql` files, all through the ksqlDB REST API (ksql-python), so they
run unchanged against the embedded `ksqlserver` and real ksqlDB (basic auth and TLS trust from a client
properties file; `offsets` warns when a persistent query would start at the latest offset).
`PipelineNames` names every topic, stream and table of a pipeline run."""

from fraudlab.ksql.apply import Applied, apply, existing_sources, server_bundle, sql_files
from fraudlab.ksql.client import (
    StatementResult,
    client,
    describe,
    function_names,
    function_signatures,
    pull_frame,
    query_frame,
    results_frame,
    run_sql_file,
    source_info,
)
from fraudlab.ksql.config import EARLIEST, KsqlConfig
from fraudlab.ksql.errors import (
    KsqlClientError,
    KsqlConnectionError,
    KsqlInputError,
    QueryTimeoutError,
    StatementError,
)
from fraudlab.ksql.names import PipelineNames
from fraudlab.ksql.statements import created_source, render, split_statements, sql_string

__all__ = [
    "EARLIEST",
    "Applied",
    "KsqlClientError",
    "KsqlConfig",
    "KsqlConnectionError",
    "KsqlInputError",
    "PipelineNames",
    "QueryTimeoutError",
    "StatementError",
    "StatementResult",
    "apply",
    "client",
    "created_source",
    "describe",
    "existing_sources",
    "function_names",
    "function_signatures",
    "pull_frame",
    "query_frame",
    "render",
    "results_frame",
    "run_sql_file",
    "server_bundle",
    "source_info",
    "split_statements",
    "sql_files",
    "sql_string",
]
