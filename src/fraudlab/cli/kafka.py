"""`fraudlab kafka <tool> [ARGS]...`: Apache Kafka's own command-line tools, from the stack's jars.

The same tools are in the venv under their scripts' names (`kafka-topics.sh`, `kafka-topics`, ...).
"""

from __future__ import annotations

import os

import click

from fraudlab.kafka_tools import TOOLS, ToolsConfig, find_tool
from fraudlab.kafka_tools.launcher import run


def _tool_list() -> str:
    width = max(len(t.name) for t in TOOLS.values())
    return "\n".join(f"  {t.name.removeprefix('kafka-'):<{width - 6}}  {t.script:<28} {t.summary}" for t in TOOLS.values())


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
    epilog="Tools (`topics`, `kafka-topics` and `kafka-topics.sh` name the same one):\n\n\b\n" + _tool_list(),
)
@click.argument("tool", required=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def kafka(tool: str | None, args: tuple[str, ...]) -> None:
    """Run one of Kafka's command-line tools with ARGS, e.g.

    fraudlab kafka topics --bootstrap-server 127.0.0.1:9092 --create --topic t --partitions 3
    """
    if tool is None:
        click.echo("Kafka's command-line tools (fraudlab kafka TOOL --help for a tool's options):\n" + _tool_list())
        return
    code = run(ToolsConfig.from_environment(os.environ), find_tool(tool), list(args))
    raise click.exceptions.Exit(code)
