"""The import graph of `src/`: no cycles anywhere, and the engine's stages layered as documented.

The graph is built from the source with `ast`, not by importing: every `import` and `from ... import`
counts, at module level, inside functions and under `TYPE_CHECKING` alike (a cycle hidden in a function
is still a cycle). Relative imports are resolved; `from pkg import name` is an edge to the submodule
`pkg.name` when there is one, else to `pkg` itself. Importing `a.b.c` runs `a/__init__` and `a/b/__init__`
too, but those implicit edges are not counted (every package would otherwise be "in a cycle" with the
modules its `__init__` re-exports).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

Graph = dict[str, set[str]]


def modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package's __init__) for every .py file under `root`."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        out[".".join(parts)] = (path, is_package)
    return out


def _edges(name: str, path: Path, is_package: bool, known: Iterable[str]) -> set[str]:
    known = set(known)
    package = name if is_package else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in known:
                    out.add(sub)
                elif target in known:
                    out.add(target)
    out.discard(name)
    return out


def import_graph(root: Path) -> Graph:
    found = modules(root)
    return {name: _edges(name, path, is_package, found) for name, (path, is_package) in found.items()}


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def _describe(found: list[list[str]], graph: Graph) -> str:
    lines = []
    for component in found:
        members = set(component)
        lines.append(" <-> ".join(component))
        lines += [f"    {m} -> {', '.join(sorted(graph[m] & members))}" for m in component]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph(SRC)


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    """A planted package with one cycle per kind of import the rules count."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\n",  # a submodule named in a from-import
        "pkg/b.py": "def f():\n    from . import a\n",  # relative, inside a function
        "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.sub.d import X\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/d.py": "import pkg.c as c\nX = 1\n",  # plain import with an alias
        "pkg/e.py": "from pkg.sub import d\n",  # no cycle: e is only a leaf importer
    }
    for rel, text in files.items():
        (tmp_path / rel).write_text(text)
    g = import_graph(tmp_path)
    assert g["pkg.a"] == {"pkg.b"} and g["pkg.b"] == {"pkg.a"}
    assert g["pkg.c"] == {"pkg.sub.d"} and g["pkg.sub.d"] == {"pkg.c"}
    assert cycles(g) == [["pkg.a", "pkg.b"], ["pkg.c", "pkg.sub.d"]]


def test_src_has_no_import_cycles(graph: Graph) -> None:
    found = cycles(graph)
    assert not found, "import cycles in src/:\n" + _describe(found, graph)


def test_ksqlserver_has_no_import_cycles(graph: Graph) -> None:
    engine = {
        m: {t for t in ts if t.startswith("ksqlserver")}
        for m, ts in graph.items()
        if m.startswith("ksqlserver")
    }
    found = cycles(engine)
    assert not found, "import cycles in src/ksqlserver:\n" + _describe(found, engine)


# stage -> stages it must never import (docs/ksqlserver/engine.md, "Layering")
FORBIDDEN = {
    "sql": ("catalog", "compile", "analyze", "plan", "runtime", "cluster", "statements", "engine", "server"),
    "catalog": ("compile", "analyze", "plan", "runtime", "cluster", "statements", "engine", "server"),
    "compile": ("analyze", "plan", "runtime", "cluster", "statements", "engine", "server"),
    "analyze": ("plan", "runtime", "cluster", "statements", "engine", "server"),
    "runtime": ("analyze", "plan", "cluster", "statements", "engine", "server"),
    "plan": ("cluster", "statements", "engine", "server"),
    "cluster": ("plan", "statements", "engine", "server"),
    "drivers": ("sql", "catalog", "compile", "analyze", "plan", "runtime", "cluster", "statements", "engine"),
    "formats": ("compile", "analyze", "plan", "runtime", "cluster", "statements", "engine", "server"),
    "functions": ("compile", "analyze", "plan", "runtime", "cluster", "statements", "engine", "server"),
    "statements": ("engine", "server"),
}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


# leaf modules every stage may use like a library: the code generator imports nothing of the engine
LIBRARIES = {"ksqlserver.compile.codegen"}


def test_engine_stages_import_only_downwards(graph: Graph) -> None:
    """`plan/` compiles and `runtime/` runs: plan imports runtime, never the reverse; and so on down."""
    wrong = sorted(
        f"{m} -> {t}"
        for m, targets in graph.items()
        if m.startswith("ksqlserver.")
        for t in targets
        if t.startswith("ksqlserver.") and t not in LIBRARIES and _stage(t) in FORBIDDEN.get(_stage(m), ())
    )
    assert not wrong, "imports against the stage layering:\n" + "\n".join(wrong)


def test_the_code_generator_is_a_leaf(graph: Graph) -> None:
    """What every stage may import must import nothing of the engine (or it would carry the stages in)."""
    for lib in LIBRARIES:
        assert not [t for t in graph[lib] if t.startswith("ksqlserver.")], lib


def test_at_most_eight_modules_at_the_top_of_ksqlserver() -> None:
    top = sorted(p.stem for p in (SRC / "ksqlserver").glob("*.py"))
    assert len(top) <= 8, top


def _top(module: str) -> str:
    return module.split(".")[0]


# top-level package -> top-level packages of src/ it must never import
INDEPENDENT = {
    "ksqlserver": ("fraudlab", "schemaregistry"),  # the engine works against Confluent's registry too
    "schemaregistry": ("fraudlab", "ksqlserver"),
    "knownprotos": ("fraudlab", "ksqlserver", "schemaregistry", "nativebuild"),  # shared by both: a leaf
    "nativebuild": ("fraudlab", "ksqlserver", "schemaregistry", "knownprotos"),
}


def test_the_engine_and_the_registry_import_neither_each_other_nor_fraudlab(graph: Graph) -> None:
    wrong = sorted(
        f"{m} -> {t}" for m, targets in graph.items() for t in targets if _top(t) in INDEPENDENT.get(_top(m), ())
    )
    assert not wrong, "imports across independent packages:\n" + "\n".join(wrong)
    assert any(_top(t) == "knownprotos" for m in graph if _top(m) == "ksqlserver" for t in graph[m])
    assert any(_top(t) == "knownprotos" for m in graph if _top(m) == "schemaregistry" for t in graph[m])


# what the `ksql` CLI (ksqlserver.console), a pure REST client, must never reach, even through what it imports
ENGINE_STAGES = ("engine", "plan", "runtime", "statements", "analyze", "compile", "drivers", "server", "catalog", "cluster")


def _reached(graph: Graph, package: str) -> set[str]:
    seen: set[str] = set()
    todo = [m for m in graph if m.startswith(package)]
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo += graph.get(m, set())
    return seen


@pytest.mark.parametrize(
    ("package", "witness"),
    [
        ("ksqlserver.console", "ksqlserver.console.session"),
        # `ksql-migrations` (ksqldb-tools) is a REST client as well: it reuses the console's RestClient
        ("ksqlserver.migrations", "ksqlserver.migrations.apply"),
    ],
)
def test_the_rest_clients_reach_no_engine_stage(graph: Graph, package: str, witness: str) -> None:
    """Everything `ksqlserver.console` (the `ksql` CLI) and `ksqlserver.migrations` (`ksql-migrations`)
    import, transitively, stays clear of the engine's stages: they talk to a server (ours or ksqlDB's) over
    HTTP only."""
    seen = _reached(graph, package)
    wrong = sorted(m for m in seen if m.startswith("ksqlserver.") and _stage(m) in ENGINE_STAGES)
    assert not wrong, f"{package} reaches the engine through:\n" + "\n".join(wrong)
    assert witness in seen
