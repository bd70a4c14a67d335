"""`fraudlab notebooks run`: the pipeline notebooks in order with papermill, against a running stack."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import click
import yaml

from fraudlab.cli.common import resolve_endpoints
from fraudlab.units import format_duration


@click.group()
def notebooks() -> None:
    """Run the pipeline notebooks unattended."""


@notebooks.command()
@click.option("--params", "params_file", type=click.Path(path_type=Path), default=None,
              help="YAML parameters [default: notebooks/params/demo.yaml]")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="executed notebooks, html/ and index.html (the report) [default: notebooks/out/<run id>]")
@click.option("--data", "data_path", type=click.Path(path_type=Path), default=None,
              help="the Kaggle creditcard.csv(.gz) to use instead of the parameters' data_path")
@click.option("-p", "--parameter", "overrides", multiple=True, metavar="NAME=VALUE",
              help="override one parameter (the value is read as YAML)")
@click.option("--only", multiple=True, help="run only these notebooks (e.g. 01_ingest), in the given order")
@click.option("--start-stack/--no-start-stack", default=True, show_default=True,
              help="start the embedded stack when the parameters name no running one")
@click.option("--state-dir", type=click.Path(path_type=Path), default=None, help="the embedded stack's state dir")
def run(params_file: Path | None, out_dir: Path | None, data_path: Path | None, overrides: tuple[str, ...],
        only: tuple[str, ...], start_stack: bool, state_dir: Path | None) -> None:
    """Execute the numbered notebooks; on a failing cell, name it and keep the executed notebook."""
    from fraudlab.cli.stack import recorded_profile
    from fraudlab.notebooks import (
        NotebookRunConfig,
        ParametersError,
        load_parameters,
        resolve_parameters,
        run_notebooks,
    )
    from fraudlab.pipeline.summary import load_summary, summary_text
    from fraudlab.stack import Stack, StackConfig, find_project_root, shared_dir

    root = find_project_root()
    shared = shared_dir(os.environ, root)
    params_file = params_file or root / "notebooks" / "params" / "demo.yaml"
    raw = load_parameters(params_file)
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ParametersError(None, f"'{item}' is not NAME=VALUE")
        raw[name] = yaml.safe_load(value) if value else ""
    if data_path is not None:
        raw["data_path"] = str(data_path.resolve())
    params = resolve_parameters(raw, root, shared)
    params.setdefault("run_id", time.strftime("r%Y%m%d%H%M%S"))
    out_dir = (out_dir or root / "notebooks" / "out" / str(params["run_id"])).resolve()
    params.setdefault("artifacts_dir", str(out_dir / "artifacts"))
    if params.get("data_path") and not Path(params["data_path"]).is_file():
        raise ParametersError(params_file, f"data_path {params['data_path']} is not a file")

    if not params.get("bootstrap_servers"):
        # No stack named: use the embedded one (started here if needed, reused when healthy).
        stack_config = StackConfig.default(project_root=root, state_dir=state_dir)
        stack_config = replace(stack_config, security=recorded_profile(stack_config.state_dir))
        if start_stack:
            click.echo("starting the embedded stack (reused if it is running) ...", err=True)
            Stack(stack_config).up(progress=False)
        endpoints = resolve_endpoints(None, None, None, stack_config.state_dir)
        params.update(bootstrap_servers=endpoints.bootstrap_servers, connect_url=endpoints.connect_url,
                      ksql_url=endpoints.ksql_url, spool_dir=str(endpoints.spool_dir),
                      client_config=str(endpoints.client_config or ""))
    click.echo(f"data: {params.get('data_path') or 'synthetic'}; run {params['run_id']}; output {out_dir}", err=True)

    config = NotebookRunConfig(notebooks_dir=root / "notebooks", out_dir=out_dir, parameters=params,
                               notebooks=only, progress=sys.stderr.isatty())
    result = run_notebooks(
        config,
        on_done=lambda nb: click.echo(f"{nb.name}: {'ok' if nb.ok else 'FAILED'} in {format_duration(nb.seconds)}",
                                      err=True),
    )
    click.echo(summary_text(load_summary(Path(params["artifacts_dir"]))))
    if result.report_path:
        click.echo(f"report: {result.report_path}")
    if result.error is not None:
        raise result.error
