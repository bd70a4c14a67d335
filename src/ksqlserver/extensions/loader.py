"""Loading the extension directory at start, in the spirit of ksqlDB's `ksql.extension.dir`.

Every `*.py` file (not starting with `_`) is imported as its own module; the functions it declared with
`udf` / `udtf` / `udaf` (found on the module's attributes, so a one-line file that re-exports a
package's functions works) are added to a copy of the built-in registry. A file that fails to import,
declares nothing valid, or clashes with a built-in or another file is reported (logged, and listed as
a warning of SHOW FUNCTIONS) and skipped; the server still starts.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from ksqlserver.extensions.api import MARK, Declaration
from ksqlserver.extensions.errors import PluginError
from ksqlserver.extensions.functions import PluginFunction, build, pattern
from ksqlserver.functions import AGGREGATE_NAMES, FunctionRegistry, default_registry

log = logging.getLogger("ksqlserver.extensions")


@dataclass(frozen=True)
class PluginProblem:
    file: str
    error: str

    @property
    def message(self) -> str:
        return f"Failed to load extension {self.file}: {self.error}"


class ExtensionRegistry(FunctionRegistry):
    """The built-in functions plus the extension directory's; `problems` lists what failed to load."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[PluginProblem] = []
        self.plugins: list[PluginFunction] = []

    @property
    def load_warnings(self) -> list[str]:
        return [p.message for p in self.problems]


@dataclass
class _FileResult:
    declarations: dict[str, list[Declaration]] = field(default_factory=dict)


def _import(path: Path) -> ModuleType:
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    name = f"ksql_extension_{path.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise PluginError("not a Python module", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look modules up by name
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def declarations_of(module: ModuleType) -> dict[str, list[Declaration]]:
    """Declarations found on the module's attributes, by function name, each object counted once."""
    seen: set[int] = set()
    out: dict[str, list[Declaration]] = {}
    for value in list(vars(module).values()):
        decls = getattr(value, MARK, None) if not isinstance(value, ModuleType) else None
        if not decls or id(value) in seen:
            continue
        seen.add(id(value))
        for d in decls:
            out.setdefault(d.name, []).append(d)
    return out


def _check(name: str, decls: list[Declaration]) -> str | None:
    kinds = {d.kind for d in decls}
    if len(kinds) > 1:
        return f"function {name} is declared as {' and '.join(sorted(kinds))}"
    # UdfIndex.addFunction refuses a second function with the same ParamTypes (DECIMAL(4, 2) and
    # DECIMAL(8, 2) are both ParamTypes.DECIMAL)
    sigs = [tuple(pattern(p.type) for p in d.params) for d in decls]
    if len(set(sigs)) != len(sigs):
        return f"function {name} declares the same parameters twice"
    if any(d.batch for d in decls) and decls[0].kind != "SCALAR":
        return f"function {name}: only scalar functions can be batch functions"
    return None


def load_extensions(directory: Path | None, properties: Mapping[str, str]) -> FunctionRegistry:
    """The registry for an engine: the built-ins alone without a directory, else a copy plus plugins."""
    if directory is None:
        return default_registry()
    registry = ExtensionRegistry()
    builtins = default_registry()
    for f in builtins.all():
        registry.register(f)
    if not directory.is_dir():
        registry.problems.append(PluginProblem(str(directory), "the extension directory does not exist"))
        log.warning(registry.problems[-1].message)
        return registry
    owners: dict[str, str] = {}
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        try:
            found = declarations_of(_import(path))
        except Exception as e:  # any import failure: report it, keep going (SyntaxError included)
            _problem(registry, path, f"{type(e).__name__}: {e}")
            continue
        if not found:
            _problem(registry, path, "declares no functions (use @udf, @udtf or @udaf)")
            continue
        for name, decls in sorted(found.items()):
            problem = _check(name, decls)
            if problem is None and (builtins.get(name) is not None or name in AGGREGATE_NAMES):
                problem = f"function {name} clashes with a built-in function"
            if problem is None and name in owners:
                problem = f"function {name} is already declared by {owners[name]}"
            if problem is not None:
                _problem(registry, path, problem)
                continue
            fn = build(name, decls, str(path), properties)
            owners[name] = str(path)
            registry.register(fn)
            registry.plugins.append(fn)
            log.info("extension %s: %s function %s (%d variants)", path, fn.kind, name, len(decls))
    return registry


def _problem(registry: ExtensionRegistry, path: Path, error: str) -> None:
    registry.problems.append(PluginProblem(str(path), error))
    log.error(registry.problems[-1].message)
