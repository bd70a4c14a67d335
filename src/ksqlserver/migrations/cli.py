"""Migrations: the `ksql-migrations` command line (airline's Cli in Java): the global `-c/--config-file`
before or after the command, `help`, `--help`/`-h`, each command's options, the exit status."""

from __future__ import annotations

import sys
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from ksqlserver.migrations import MIGRATIONS_COMMAND, Log, MigrationError
from ksqlserver.migrations import commands as cmds
from ksqlserver.migrations.apply import Apply, ApplyOptions
from ksqlserver.migrations.files import get_migrations_dir

DESCRIPTIONS = {
    "apply": "Migrates the metadata schema to a new schema version.",
    "create": "Creates a blank migration file with the specified description, which can then be populated "
    "with ksqlDB statements and applied as the next schema version.",
    "destroy-metadata": "Destroys all ksqlDB server resources related to migrations, including the "
    "migrations metadata stream and table and their underlying Kafka topics. WARNING: this is not reversible!",
    "help": "Display help information",
    "info": "Displays information about the current and available migrations.",
    "initialize-metadata": "Initializes the migrations schema metadata (ksqlDB stream and table) on the "
    "ksqlDB server.",
    "new-project": "Creates a new migrations project directory structure and config file.",
    "validate": "Validates applied migrations against local files.",
}
_CONFIG = "[ {-c | --config-file} <config-file> ]"
SYNOPSES = {
    "apply": f"{MIGRATIONS_COMMAND} {_CONFIG} apply [ {{-a | --all}} ]\n"
    "        [ {-d | --define} <definedVars>... ] [ --dry-run ]\n"
    "        [ --headers <headersFile> ] [ {-h | --help} ] [ {-n | --next} ]\n"
    "        [ {-u | --until} <untilVersion> ] [ {-v | --version} <version> ]",
    "create": f"{MIGRATIONS_COMMAND} {_CONFIG} create [ {{-h | --help}} ]\n"
    "        [ {-v | --version} <version> ] [--] <description>",
    "new-project": f"{MIGRATIONS_COMMAND} {_CONFIG} new-project [ {{-h | --help}} ] [--]\n"
    "        <project-path> <ksql-server-url>...",
}
for _name in ("destroy-metadata", "info", "initialize-metadata", "validate"):
    SYNOPSES[_name] = f"{MIGRATIONS_COMMAND} {_CONFIG} {_name} [ {{-h | --help}} ]"
COMMANDS = sorted(DESCRIPTIONS)


def global_usage() -> str:
    """CliGlobalUsageGenerator's text."""
    lines = [f"usage: {MIGRATIONS_COMMAND} {_CONFIG} <command> [ <args> ]", "", "Commands are:"]
    lines += [f"    {name:<22}{DESCRIPTIONS[name]}" for name in COMMANDS]
    lines += ["", f"See '{MIGRATIONS_COMMAND} help <command>' for more information on a specific", "command.", ""]
    return "\n".join(lines)


_CONFIG_OPTION = ("-c <config-file>, --config-file <config-file>",
                  "Path to migrations configuration file. Required for all commands with the exception of "
                  "`new-project`.")
_HELP_OPTION = ("-h, --help", "Display help information")
_TARGET = "This option is part of the group 'target' from which only one option may be specified"
# each command's options and arguments as the Java @Option / @Arguments describe them
OPTION_HELP: dict[str, list[tuple[str, str]]] = {
    "apply": [
        ("-a, --all", "Run all available migrations\n\n" + _TARGET),
        ("-d <definedVars>, --define <definedVars>",
         "Define variables for the session. This is equivalent to including DEFINE statements before each "
         "migration. The `--define` option should be followed by a string of the form `name=value` and may "
         "be passed any number of times."),
        ("--dry-run",
         "Dry run the current command. No ksqlDB statements will be sent to the ksqlDB server. Note that this "
         "dry run is for purposes of displaying which migration files (and what ksqlDB statements) the "
         "command would run in non-dry-run mode, and does NOT attempt to validate whether the ksqlDB "
         "statements will be accepted by the ksqlDB server."),
        ("--headers <headersFile>",
         "Path to custom request headers file. These headers will be sent with all requests to the ksqlDB "
         "server as part of applying these migrations."),
        _HELP_OPTION,
        ("-n, --next", "Run the next available migration version\n\n" + _TARGET),
        ("-u <untilVersion>, --until <untilVersion>",
         "Run all available migrations up through the specified version\n\n" + _TARGET
         + "\n\nThis options value must fall in the following range: 1 <= value <= 999999"),
        ("-v <version>, --version <version>",
         "Run the migration with the specified version\n\n" + _TARGET
         + "\n\nThis options value must fall in the following range: 1 <= value <= 999999"),
    ],
    "create": [
        _HELP_OPTION,
        ("-v <version>, --version <version>",
         "(Optional) The schema version to initialize. Defaults to the next schema version based on existing "
         "migration files.\n\nThis options value must fall in the following range: 1 <= value <= 999999"),
        ("--", "This option can be used to separate command-line options from the list of arguments (useful "
         "when arguments might be mistaken for command-line options)"),
        ("<description>", "The description for the migration."),
    ],
    "new-project": [
        _HELP_OPTION,
        ("--", "This option can be used to separate command-line options from the list of arguments (useful "
         "when arguments might be mistaken for command-line options)"),
        ("<project-path> <ksql-server-url>",
         "project-path: the path that will be used as the root directory for this migrations project.\n"
         "ksql-server-url: the address of the ksqlDB server to connect to."),
    ],
}


def _fill(text: str, indent: int) -> str:
    pad = " " * indent
    return "\n".join(
        textwrap.fill(part, 79, initial_indent=pad, subsequent_indent=pad) if part else ""
        for part in text.split("\n")
    )


def command_usage(name: str) -> str:
    """Help.help for one command: NAME, SYNOPSIS and OPTIONS (airline's CliCommandUsageGenerator
    sections), with the descriptions of the Java command's options."""
    about = _fill(f"{MIGRATIONS_COMMAND} {name} - {DESCRIPTIONS[name]}", 8)
    synopsis = "\n".join("        " + line for line in SYNOPSES.get(name, "").split("\n"))
    options = [_CONFIG_OPTION, *OPTION_HELP.get(name, [_HELP_OPTION])]
    listed = "\n\n".join(f"        {names}\n{_fill(text, 12)}" for names, text in options)
    return f"NAME\n{about}\n\nSYNOPSIS\n{synopsis}\n\nOPTIONS\n{listed}\n"


@dataclass
class Parsed:
    """A parsed command line: the command (None for help), its config file, options and arguments."""

    command: str | None
    config_file: str | None = None
    options: dict[str, object] = field(default_factory=dict)
    arguments: list[str] = field(default_factory=list)
    help: bool = False


# option spellings -> (title, takes a value)
_OPTIONS: dict[str, dict[str, tuple[str, bool]]] = {
    "apply": {"-a": ("all", False), "--all": ("all", False), "-n": ("next", False), "--next": ("next", False),
              "-u": ("untilVersion", True), "--until": ("untilVersion", True), "-v": ("version", True),
              "--version": ("version", True), "--dry-run": ("dry-run", False), "-d": ("define", True),
              "--define": ("define", True), "--headers": ("headers", True)},
    "create": {"-v": ("version", True), "--version": ("version", True)},
}


def parse_args(args: Sequence[str], out: TextIO) -> Parsed | None:
    """Migrations.parseCommandFromArgs: None when help was printed; MigrationError for a bad line."""
    args = list(args)
    config_files: list[str] = []
    i = 0
    while i < len(args) and args[i] in ("-c", "--config-file"):
        if i + 1 >= len(args):
            raise MigrationError(f"Required values for option '{args[i]}' not provided")
        config_files.append(args[i + 1])
        i += 2
    if i >= len(args) or args[i] in ("--help", "-h"):
        out.write(global_usage())
        return None
    name = args[i]
    if name == "help":
        rest = args[i + 1:]
        if rest and rest[0] in DESCRIPTIONS and rest[0] != "help":
            out.write(command_usage(rest[0]))
        else:
            out.write(global_usage())
        return None
    if name not in DESCRIPTIONS:
        raise MigrationError(f"Command '{name}' not recognized")
    parsed = Parsed(name)
    spec = _OPTIONS.get(name, {})
    rest = args[i + 1:]
    j = 0
    positional_only = False
    while j < len(rest):
        arg = rest[j]
        if not positional_only and arg in ("-h", "--help"):
            parsed.help = True
        elif not positional_only and arg in ("-c", "--config-file"):
            if j + 1 >= len(rest):
                raise MigrationError(f"Required values for option '{arg}' not provided")
            config_files.append(rest[j + 1])
            j += 1
        elif not positional_only and arg in spec:
            title, takes_value = spec[arg]
            if takes_value:
                if j + 1 >= len(rest):
                    raise MigrationError(f"Required values for option '{title}' not provided")
                value = rest[j + 1]
                j += 1
                if title == "define":
                    parsed.options.setdefault("define", [])
                    parsed.options["define"].append(value)  # type: ignore[union-attr]
                else:
                    if title in parsed.options:
                        raise MigrationError(f"Option '{title}' is restricted to appearing at most once, but appeared 2 times")
                    parsed.options[title] = _int_option(title, value) if title in ("untilVersion", "version") else value
            else:
                if title in parsed.options:
                    raise MigrationError(f"Option '{title}' is restricted to appearing at most once, but appeared 2 times")
                parsed.options[title] = True
        elif arg == "--" and not positional_only:
            positional_only = True
        elif arg.startswith("-") and not positional_only and len(arg) > 1:
            raise MigrationError(f"Found unexpected parameters: [{arg}]")
        else:
            parsed.arguments.append(arg)
        j += 1
    if len(config_files) > 1:
        raise MigrationError(
            # airline's MutuallyExclusiveRestriction (@MutuallyExclusiveWith(tag = "config"))
            "Only one of the following options may be specified but 2 were found: -c, --config-file, -c, --config-file")
    parsed.config_file = config_files[0] if config_files else None
    if parsed.help:
        out.write(command_usage(name))
        return None
    _check_restrictions(parsed)
    return parsed


def _int_option(title: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise MigrationError(f"{title}: can not convert \"{value}\" to a int") from None
    if not 1 <= number <= 999999:
        # airline's ParseOptionOutOfRangeException (@IntegerRange(min = 1, max = 999999))
        raise MigrationError(
            f"Value for option '{title}' was given as '{value}' which is not in the acceptable range: "
            "1 <= value <= 999999")
    return number


def _check_restrictions(parsed: Parsed) -> None:
    if parsed.command == "apply":
        chosen = [t for t in ("all", "next", "untilVersion", "version") if t in parsed.options]
        if len(chosen) != 1:
            # airline's RequireFromRestriction (@RequireOnlyOne(tag = "target")): the options' names in a list
            names = "-a, --all, -n, --next, -u, --until, -v, --version"
            if chosen:
                raise MigrationError(
                    f"Only one of the following options may be specified but {len(chosen)} were found: {names}")
            raise MigrationError(f"One of the following options must be specified: {names}")
    if parsed.command == "create":
        if not parsed.arguments:
            raise MigrationError("Required arguments are missing: 'description'")
        if len(parsed.arguments) > 1:
            # ParseTooManyArgumentsException
            raise MigrationError(f"At most 1 arguments may be specified but {len(parsed.arguments)} were found")
    if parsed.command == "new-project" and not parsed.arguments:
        raise MigrationError("Required arguments are missing: 'project-path, ksql-server-url'")
    if parsed.command not in ("apply", "create", "new-project") and parsed.arguments:
        raise MigrationError(f"Found unexpected parameters: {parsed.arguments}")


def run_command(parsed: Parsed, ctx: cmds.Context, apply_factory: type[Apply] = Apply) -> int:
    """BaseCommand.runCommand: the command's status, then how long it took."""
    ctx.config_file = parsed.config_file
    started = time.monotonic()
    status = _dispatch(parsed, ctx, apply_factory)
    ctx.log.info(f"Execution time: {time.monotonic() - started:.4f} seconds")
    return status


def _dispatch(parsed: Parsed, ctx: cmds.Context, apply_factory: type[Apply]) -> int:
    name = parsed.command
    if name == "new-project":
        return cmds.new_project(ctx, parsed.arguments)
    if name == "create":
        return cmds.create(ctx, parsed.arguments[0], int(parsed.options.get("version", 0)))  # type: ignore[call-overload]
    config = ctx.load_config()
    if config is None:
        return 1
    if name == "initialize-metadata":
        return cmds.initialize(ctx, config)
    if name == "destroy-metadata":
        return cmds.destroy(ctx, config)
    migrations_dir = get_migrations_dir(str(ctx.config_file), config)
    if name == "info":
        return cmds.info(ctx, config, migrations_dir)
    if name == "validate":
        return cmds.validate_command(ctx, config, migrations_dir)
    o = parsed.options
    options = ApplyOptions(
        all=bool(o.get("all")), next=bool(o.get("next")), until=int(o.get("untilVersion", 0)),  # type: ignore[call-overload]
        version=int(o.get("version", 0)), dry_run=bool(o.get("dry-run")),  # type: ignore[call-overload]
        define=list(o["define"]) if "define" in o else None,  # type: ignore[call-overload]
        headers=o.get("headers"),  # type: ignore[arg-type]
    )
    return apply_factory(ctx, options).run(config, migrations_dir)


def main(args: Sequence[str], out: TextIO | None = None) -> int:
    """Migrations.main: the exit status."""
    stream = out if out is not None else sys.stdout
    log = Log(stream)
    try:
        parsed = parse_args(args, stream)
    except MigrationError as e:
        log.error(str(e))
        return 1
    if parsed is None:
        return 0
    return run_command(parsed, cmds.Context(log=log))


def entry() -> None:
    sys.exit(main(sys.argv[1:]))
