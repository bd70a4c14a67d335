"""User-defined functions loaded from the extension directory (`--extension-dir`, `ksql.extension.dir`).

Plugin files import the declaration API from here: `udf`, `udtf`, `udaf`, `FunctionContext`, and
`ArgumentColumns` (the columnar form of a batch call).
The engine calls `load_extensions(directory, properties)` once at start.
"""

from ksqlserver.extensions.api import Declaration, FunctionContext, Param, udaf, udf, udtf
from ksqlserver.extensions.columns import ArgumentColumns
from ksqlserver.extensions.errors import ConfigMissingError, DeclarationError, FunctionSetupError, PluginError
from ksqlserver.extensions.loader import ExtensionRegistry, PluginProblem, load_extensions

__all__ = [
    "ArgumentColumns",
    "ConfigMissingError",
    "Declaration",
    "DeclarationError",
    "ExtensionRegistry",
    "FunctionContext",
    "FunctionSetupError",
    "Param",
    "PluginError",
    "PluginProblem",
    "load_extensions",
    "udaf",
    "udf",
    "udtf",
]
