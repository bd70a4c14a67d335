"""`fraudlab ksql apply DIR`: the pipeline's KSQL statements, in order, idempotently.
`fraudlab ksql test`: the same statements tested with ksqlDB's ksql-test-runner (no server, no broker)."""

from __future__ import annotations

from pathlib import Path

import click

from fraudlab.cli.common import endpoint_options, ksql_config, resolve_endpoints


@click.group()
def ksql() -> None:
    """The pipeline's KSQL statements (ksql/*.sql): apply them to a KSQL server, or test them (no server)."""


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


@ksql.command("test")
@click.argument("cases", nargs=-1, type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("-s", "--sql-file", "sql_files", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Statements to test (repeat to run several files in order, e.g. 01 then 02).")
@click.option("-i", "--input-file", type=click.Path(path_type=Path, dir_okay=False),
              help="ksqlDB's input records ({\"inputs\": [...]}).")
@click.option("-o", "--output-file", type=click.Path(path_type=Path, dir_okay=False),
              help="ksqlDB's expected output records ({\"outputs\": [...]}).")
@click.option("-e", "--extension-dir", type=click.Path(path_type=Path, file_okay=False),
              help="User-defined functions for the runner.")
@click.option("--run-id", default=None, help="Run whose topic/stream names fill ${...} (default: the case's, else demo).")
@click.option("--var", "overrides", multiple=True, metavar="NAME=VALUE", help="Override one ${NAME} variable.")
@click.option("--runner", default=None, metavar="COMMAND",
              help="The test runner to call (default: ksql-test-runner beside this Python; Confluent's works too).")
@click.option("--keep", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Keep the rendered statement files in this folder (to rerun ksql-test-runner by hand).")
def test_cmd(
    cases: tuple[Path, ...],
    sql_files: tuple[Path, ...],
    input_file: Path | None,
    output_file: Path | None,
    extension_dir: Path | None,
    run_id: str | None,
    overrides: tuple[str, ...],
    runner: str | None,
    keep: Path | None,
) -> None:
    """Test KSQL statements with ksqlDB's ksql-test-runner: no broker, about a second per test.

    \b
    fraudlab ksql test -s ksql/01_source_streams.sql -s ksql/02_preprocess.sql \\
        -i ksql/tests/02_preprocess/input.json -o ksql/tests/02_preprocess/output.json --run-id test
    fraudlab ksql test ksql/tests            # every case folder (test.json + input.json + output.json)

    Exit code 0 when every test passed, 1 otherwise. The runner's own lines ("Test passed!", "Test failed:
    ...") are shown as it prints them.
    """
    from dataclasses import replace

    from fraudlab.pipeline.ksql_testing import KsqlTestCase, KsqlTestOutcome, find_cases, run_cases

    variables = _parse_vars(overrides)
    if sql_files or input_file or output_file:
        if cases:
            raise click.UsageError("give either -s/-i/-o (one test) or case folders, not both")
        if not sql_files or output_file is None:
            raise click.UsageError("a single test needs -s/--sql-file and -o/--output-file")
        one = KsqlTestCase(sql_files[-1].stem, sql_files, output_file, input_file, run_id or "demo",
                           extension_dir=extension_dir)
        [outcome] = run_cases([one], runner, variables, keep)
        click.echo(outcome.stdout, nl=False)
        click.echo(outcome.stderr, nl=False, err=True)
        raise click.exceptions.Exit(0 if outcome.passed else 1)
    found = find_cases(list(cases) or [Path("ksql") / "tests"])
    if run_id is not None or extension_dir is not None:
        found = [replace(c, run_id=run_id or c.run_id, extension_dir=extension_dir or c.extension_dir) for c in found]

    def show(outcome: KsqlTestOutcome) -> None:
        status = "passed" if outcome.passed else "FAILED"
        click.echo(f"{outcome.case.name:<24} {status}  ({outcome.seconds:.2f} s)")
        if not outcome.passed:
            for line in (outcome.stderr or outcome.stdout).rstrip().splitlines():
                click.echo(f"    {line}")
            if keep is not None:
                click.echo("    rerun: " + " ".join(outcome.command))

    outcomes = run_cases(found, runner, variables, keep, show)
    failed = sum(not o.passed for o in outcomes)
    click.echo(f"{len(outcomes) - failed} passed, {failed} failed")
    raise click.exceptions.Exit(1 if failed else 0)


def _parse_vars(items: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE", param_hint="--var")
        out[name.strip()] = value.strip()
    return out
