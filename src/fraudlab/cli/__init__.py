"""`fraudlab` command line: a click group whose subcommands are imported lazily.

Lazy loading keeps `fraudlab stack status` fast: TensorFlow is only imported by the commands that
train or evaluate. Each subcommand lives in its own module and is registered in `_COMMANDS`.
"""

from __future__ import annotations

import importlib
import sys

import click

from fraudlab.errors import FraudlabError

# name -> "module:attribute" of a click command
_COMMANDS: dict[str, str] = {
    "stack": "fraudlab.cli.stack:stack",
    "ingest": "fraudlab.cli.ingest:ingest",
    "topics": "fraudlab.cli.topics:topics",
    "kafka": "fraudlab.cli.kafka:kafka",
    "train": "fraudlab.cli.train:train",
    "evaluate": "fraudlab.cli.train:evaluate",
    "score": "fraudlab.cli.score:score",
    "monitor": "fraudlab.cli.monitor:monitor",
    "dashboard": "fraudlab.cli.dashboard:dashboard",
    "ksql": "fraudlab.cli.ksql:ksql",
    "notebooks": "fraudlab.cli.notebooks:notebooks",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=LazyGroup)
@click.version_option(package_name="fraudlab")
def cli() -> None:
    """fraudlab: credit-card fraud detection on streaming data."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: known errors become one line on stderr and exit code 1, never a traceback."""
    try:
        # without standalone mode click returns a command's exit code (click.exceptions.Exit) instead of exiting
        code = cli.main(args=argv, standalone_mode=False)
        if isinstance(code, int) and code != 0:
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except FraudlabError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
