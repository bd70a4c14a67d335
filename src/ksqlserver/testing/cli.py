"""`ksql-test-runner -s statements.sql -i input.json -o output.json [-e extension-dir]`.

ksqlDB 0.29's testing tool on this engine: the same options, output lines and exit codes.

- passed: `\\t >>> Test passed!` on stdout, exit 0;
- failed: `\\t>>>>> Test failed: <description>` on stderr, exit 1;
- a missing or malformed file: `Invalid arguments: <problem>` on stderr, exit 1;
- a bad command line: the option parser's message and a pointer to `--help` on stderr, exit 0 (ksqlDB's
  tool returns normally after printing them);
- `-h`/`--help`: the usage text, exit 0.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from ksqlserver.testing import messages
from ksqlserver.testing.errors import TestFileError, UsageError

PROG = "ksql-test-runner"

# (long name, short name, value title, required, description), in the tool's declaration order
_OPTIONS = (
    ("--input-file", "-i", "inputFile", False, "A JSON file containing the input records."),
    ("--output-file", "-o", "outputFile", True, "A JSON file containing the expected output records."),
    ("--sql-file", "-s", "statementsFile", True, "A SQL file containing KSQL statements to be tested."),
    ("--extension-dir", "-e", "extensionDir", False, "A directory containing extensions."),
)


@dataclass(frozen=True)
class Options:
    sql_file: str
    output_file: str
    input_file: str | None = None
    extension_dir: str | None = None


def usage() -> str:
    """The help text, laid out as the tool's option parser prints it."""
    return usage_text(PROG, "The KSQL testing tool", _OPTIONS)


Option = tuple[str, str, str, bool, str]


def usage_text(prog: str, description: str, options: Sequence[Option]) -> str:
    """Airline's help for a command: its name, synopsis and options (sorted by long name)."""
    synopsis = []
    for long, short, title, required, _ in sorted(options):
        part = f"{{{long} | {short}}} <{title}>"
        synopsis.append(part if required else f"[ {part} ]")
    lines = ["NAME", f"        {prog} - {description}", "", "SYNOPSIS"]
    lines.append(f"        {prog} " + "\n                ".join(synopsis))
    lines += ["", "OPTIONS"]
    for long, short, title, _, text in sorted(options):
        lines += [
            f"        {long} <{title}>, {short} <{title}>",
            f"            {text}",
            "",
            "            This option may occur a maximum of 1 times",
            "",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def parse_args(argv: Sequence[str]) -> Options | None:
    """The options, or None for `--help`; a bad command line raises `UsageError` with the parser's text."""
    args = list(argv)
    if len(args) == 1 and args[0] in ("--help", "-h"):
        return None
    found = parse_options(args, _OPTIONS)
    return Options(
        sql_file=found["--sql-file"],
        output_file=found["--output-file"],
        input_file=found.get("--input-file"),
        extension_dir=found.get("--extension-dir"),
    )


def parse_options(args: Sequence[str], options: Sequence[Option]) -> dict[str, str]:
    """Airline's SingleCommand.parse for options that take one value each: the value by long name; a bad
    command line raises `UsageError` with the parser's text."""
    by_name = {n: opt for opt in options for n in opt[:2]}
    found: dict[str, list[str]] = {}
    unexpected: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        name, value = arg, None
        if arg.startswith("--") and "=" in arg:
            name, _, value = arg.partition("=")
        elif not arg.startswith("--"):
            prefix = next((n for n in by_name if not n.startswith("--") and arg.startswith(n) and arg != n), None)
            if prefix is not None:
                name, value = prefix, arg[len(prefix):]
        opt = by_name.get(name)
        if opt is None:
            unexpected.append(arg)
            i += 1
            continue
        if value is None:
            if i + 1 >= len(args):
                raise UsageError(f"Required values for option '{opt[0]}' not provided", opt[0])
            value = args[i + 1]
            i += 1
        found.setdefault(opt[0], []).append(value)
        i += 1
    if unexpected:
        raise UsageError(f"Found unexpected parameters: [{', '.join(unexpected)}]", unexpected[0])
    for long, _, _, required, _ in options:
        values = found.get(long, [])
        if len(values) > 1:
            raise UsageError(
                f"Option {long} may be specified a maximum of 1 times but was found {len(values)} times", long
            )
        if required and not values:
            raise UsageError(f"Required option '{long}' is missing", long)
    return {k: v[0] for k, v in found.items()}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the tool; returns the exit code."""
    from ksqlserver.testing.runner import run_test_files

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        options = parse_args(sys.argv[1:] if argv is None else argv)
    except UsageError as e:
        print(e.message, file=err)
        print(messages.USAGE_HINT, file=err)
        return 0
    if options is None:
        out.write(usage())
        return 0
    try:
        result = run_test_files(options.sql_file, options.input_file, options.output_file, options.extension_dir)
    except TestFileError as e:
        print(messages.INVALID_ARGUMENTS_PREFIX + e.message, file=err)
        return 1
    if result.passed:
        print(messages.PASSED, file=out)
        return 0
    print(messages.FAILED_PREFIX + result.message, file=err)
    return 1


def entry() -> None:
    """The `ksql-test-runner` console script."""
    sys.exit(main())
