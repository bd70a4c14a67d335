"""`fraudlab ksql apply DIR`: the pipeline's KSQL statements, in order, idempotently."""

from __future__ import annotations

from pathlib import Path

import click

from fraudlab.cli.common import endpoint_options, ksql_config, resolve_endpoints


@click.group()
def ksql() -> None:
    """Run the pipeline's KSQL statements (ksql/*.sql) against a KSQL server."""


@ksql.command("apply")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=Path("ksql"))
@click.option("--run-id", default="demo", show_default=True, help="Pipeline run whose topic/stream names to use.")
@click.option("--var", "overrides", multiple=True, metavar="NAME=VALUE", help="Override one ${NAME} variable.")
@click.option("--only", "only", multiple=True, metavar="FILE", help="Apply only these files (e.g. 04_scoring.sql).")
@click.option("--latest", is_flag=True, help="Start new queries at the latest offsets (default: earliest).")
@endpoint_options
def apply_cmd(
    directory: Path,
    run_id: str,
    overrides: tuple[str, ...],
    only: tuple[str, ...],
    latest: bool,
    bootstrap_servers: str | None,
    connect_url: str | None,
    ksql_url: str | None,
    state_dir: Path | None,
) -> None:
    """Apply DIRECTORY's NN_*.sql files in order (default ./ksql); existing streams/tables are skipped."""
    from fraudlab.ksql import Applied, PipelineNames, apply, sql_files

    variables: dict[str, str] = PipelineNames.for_run(run_id).variables()
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE", param_hint="--var")
        variables[name.strip()] = value.strip()
    files = sql_files(directory)
    if only:
        missing = sorted(set(only) - {f.name for f in files})
        if missing:
            raise click.BadParameter(f"no such file(s) in {directory}: {', '.join(missing)}", param_hint="--only")
        files = [f for f in files if f.name in only]
    endpoints = resolve_endpoints(bootstrap_servers, connect_url, ksql_url, state_dir)
    offset = "latest" if latest else "earliest"
    config = ksql_config(endpoints, properties={"ksql.streams.auto.offset.reset": offset})

    def show(result: Applied) -> None:
        what = result.target or result.statement[:60]
        click.echo(f"{result.file:<22} {result.status:<8} {what}")

    results = apply(config, files, variables, show)
    created = sum(r.status == "created" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    click.echo(f"{len(results)} statements: {created} created, {skipped} skipped (already there)")
