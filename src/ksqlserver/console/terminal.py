"""The CLI's terminal (`KsqlTerminal` / `JLineTerminal`): where output goes (and the spool file, which also
gets each input line as `\\nksql> LINE\\n`), its width, errors in red, and the input lines."""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path
from typing import TextIO

from ksqlserver.console import ConsoleError

PROMPT = "ksql> "  # JLineReader.DEFAULT_PROMPT
SECONDARY_PROMPT = ">"  # JLineReader: LineReader.SECONDARY_PROMPT_PATTERN


class Terminal:
    def __init__(self, out: TextIO | None = None, width: int | None = None) -> None:
        self.out = out if out is not None else sys.stdout
        self._width = width
        self.spool: TextIO | None = None
        self.spool_path: Path | None = None
        self.history: list[str] = []

    @property
    def width(self) -> int:
        """The terminal's columns; 0 without one (JLine's dumb terminal), as when output is piped."""
        if self._width is not None:
            return self._width
        if not self.out.isatty():
            return 0
        return shutil.get_terminal_size((0, 0)).columns

    def write(self, text: str) -> None:
        self.out.write(text)
        if self.spool is not None:
            self.spool.write(text)

    def println(self, text: str = "") -> None:
        self.write(text + "\n")

    def flush(self) -> None:
        self.out.flush()
        if self.spool is not None:
            self.spool.flush()

    def print_error(self, message: str) -> None:
        """`JLineTerminal.printError`: the message in red (AttributedString.toAnsi)."""
        self.println(f"\x1b[31m{message}\x1b[0m")

    def set_spool(self, path: Path) -> None:
        if self.spool is not None:
            raise ConsoleError("Cannot set two spools! Please issue SPOOL OFF.")
        try:
            self.spool = path.open("w", encoding="utf-8")
        except OSError as e:
            raise ConsoleError(f"Cannot SPOOL to file: {path}") from e
        self.spool_path = path
        self.println(f"Session will be spooled to {path.absolute()}")
        self.println("Enter SPOOL OFF to disable")

    def unset_spool(self) -> None:
        if self.spool is not None:
            self.spool.close()
        self.spool = None
        if self.spool_path is not None:
            self.println(f"Spool written to {self.spool_path.absolute()}")
        self.spool_path = None

    def record_line(self, line: str) -> None:
        """A line read: into the history (not twice in a row: HISTORY_IGNORE_DUPS), and into the spool
        after the prompt."""
        if not self.history or self.history[-1] != line:
            self.history.append(line)
        if self.spool is not None:
            self.spool.write(f"\n{PROMPT}{line}\n")

    def clear_screen(self) -> None:
        if self.out.isatty():
            self.out.write("\x1b[H\x1b[2J")

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None


class Reader:
    """The input: `input()` with the prompt on a terminal (readline's editing and history when the
    module is there), else the stream's lines. `read(continued)` is None at the end of the input."""

    def __init__(
        self, stream: TextIO | None = None, interactive: bool | None = None, echo: TextIO | None = None
    ) -> None:
        self.stream = stream if stream is not None else sys.stdin
        self.interactive = self.stream.isatty() if interactive is None else interactive
        # JLine's dumb terminal (input not a terminal) prints the prompt and echoes each line read
        self.echo = None if self.interactive else echo
        if self.interactive:
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401  (imported for its effect on input())

    def read(self, continued: bool = False) -> str | None:
        if not self.interactive:
            if self.echo is not None:
                self.echo.write(SECONDARY_PROMPT if continued else PROMPT)
            line = self.stream.readline()
            if not line:
                return None
            line = line.rstrip("\r\n")
            if self.echo is not None:
                self.echo.write(line + "\n")
            return line
        try:
            return input(SECONDARY_PROMPT if continued else PROMPT)
        except EOFError:
            return None
