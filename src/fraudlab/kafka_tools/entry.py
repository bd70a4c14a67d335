"""Console-script entry points: `kafka-topics.sh`, `kafka-topics`, ... in the venv's `bin/`.

Kept to the standard library and this package, so that a tool's start costs Python tens of
milliseconds before the JVM replaces it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from fraudlab.errors import FraudlabError
from fraudlab.kafka_tools.config import ToolsConfig
from fraudlab.kafka_tools.launcher import run
from fraudlab.kafka_tools.tools import find_tool


def run_tool(name: str, args: Sequence[str]) -> NoReturn:
    """Run the named tool with `args` and exit with its code; a missing Java or jars is one line on stderr."""
    try:
        tool = find_tool(name)
        code = run(ToolsConfig.from_environment(os.environ), tool, args)
    except FraudlabError as exc:
        prog = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else name  # the name it was called by
        print(f"{prog}: error: {exc}", file=sys.stderr)
        sys.exit(1)
    sys.exit(code)


def kafka_topics() -> NoReturn:
    run_tool("kafka-topics", sys.argv[1:])


def kafka_console_producer() -> NoReturn:
    run_tool("kafka-console-producer", sys.argv[1:])


def kafka_console_consumer() -> NoReturn:
    run_tool("kafka-console-consumer", sys.argv[1:])


def kafka_consumer_groups() -> NoReturn:
    run_tool("kafka-consumer-groups", sys.argv[1:])


def kafka_configs() -> NoReturn:
    run_tool("kafka-configs", sys.argv[1:])


def kafka_get_offsets() -> NoReturn:
    run_tool("kafka-get-offsets", sys.argv[1:])
