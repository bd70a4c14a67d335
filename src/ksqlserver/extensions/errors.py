"""Errors of the extension loader and of plugin functions; all are `KsqlError`s carrying their input."""

from __future__ import annotations

from pathlib import Path

from ksqlserver.errors import KsqlError, KsqlFunctionError


class PluginError(KsqlError):
    """A plugin file that cannot be loaded or declares a bad function; names the file and the problem."""

    def __init__(self, message: str, file: Path | str = "") -> None:
        super().__init__(message)
        self.file = str(file)


class DeclarationError(PluginError):
    """A bad declaration (unknown type, missing name, conflicting overload); raised while importing."""


class FunctionSetupError(KsqlFunctionError):
    """A plugin function whose resources could not be set up (e.g. no model path configured)."""


class ConfigMissingError(PluginError):
    """A function setting (`ksql.functions.<name>.<key>`) the function needs but nobody set."""

    def __init__(self, function: str, key: str) -> None:
        super().__init__(
            f"function {function} needs the server property ksql.functions.{function.lower()}.{key}"
        )
        self.function = function
        self.key = key
