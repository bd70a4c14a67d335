"""ksqlDB's PropertiesUtil.loadProperties: the server's properties files (`ksql-server.properties`), read as
java.util.Properties.load reads them, later files winning; any `java.`, `os.`, `sun.`, `user.`,
`line.separator`, `path.separator` or `file.separator` property refuses the whole load."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ksqlserver.config import ConfigError

BLACK_LIST = ("java.", "os.", "sun.", "user.", "line.separator", "path.separator", "file.separator")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def load_properties(files: Sequence[Path | str]) -> dict[str, str]:
    """PropertiesUtil.loadProperties(List<File>)."""
    properties: dict[str, str] = {}
    for f in files:
        try:
            data = Path(f).read_bytes()
        except OSError:
            raise ConfigError(f"Failed to load properties file: {f}", str(f)) from None
        properties.update(parse_properties(data.decode("latin-1")))  # Properties.load(InputStream): ISO 8859-1
    separator = os.linesep + "\t- "
    blacklisted = separator.join(k for k in properties if k.startswith(BLACK_LIST))
    if blacklisted:
        raise ConfigError(
            "Property file contains the following blacklisted properties (Please remove them an try again):"
            + separator
            + blacklisted,
            blacklisted,
        )
    return properties


def parse_properties(text: str) -> dict[str, str]:
    """java.util.Properties.load: `#` / `!` comments, `key=value`, `key: value` or `key value`, a line ending
    in an odd number of backslashes continued on the next (its leading blanks dropped), backslash escapes."""
    out: dict[str, str] = {}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].lstrip(" \t\f")
        i += 1
        if not line or line[0] in "#!":
            continue
        while _continues(line) and i < len(lines):
            line = line[:-1] + lines[i].lstrip(" \t\f")
            i += 1
        if _continues(line):
            line = line[:-1]
        key, value = _split(line)
        out[_unescape(key)] = _unescape(value)
    return out


def _continues(line: str) -> bool:
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _split(line: str) -> tuple[str, str]:
    """The key ends at the first unescaped `=`, `:` or blank; blanks and one `=` / `:` separate the value."""
    j = 0
    while j < len(line):
        c = line[j]
        if c == "\\":
            j += 2
            continue
        if c in "=: \t\f":
            break
        j += 1
    key, rest = line[:j], line[j:]
    rest = rest.lstrip(" \t\f")
    if rest[:1] in ("=", ":"):
        rest = rest[1:].lstrip(" \t\f")
    return key, rest


def _unescape(text: str) -> str:
    out = []
    j = 0
    while j < len(text):
        c = text[j]
        if c == "\\" and j + 1 < len(text):
            n = text[j + 1]
            if n == "u":
                digits = text[j + 2 : j + 6]
                if len(digits) < 4 or any(d not in "0123456789abcdefABCDEF" for d in digits):
                    raise ConfigError("Malformed \\uxxxx encoding.", text)
                out.append(chr(int(digits, 16)))
                j += 6
                continue
            out.append(_ESCAPES.get(n, n))
            j += 2
            continue
        out.append(c)
        j += 1
    return "".join(out)
