"""CREATE TYPE / DROP TYPE / SHOW TYPES: custom type names, and their use anywhere a type is written.

A registered name stands for its type in column definitions, CAST targets and other types, as in ksqlDB
0.29 (the parser resolves it against the metastore's type registry). Here a statement's tree has its
`CustomType` nodes replaced by the registered types before its handler runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ksqlserver.catalog.types import ast_type
from ksqlserver.errors import KsqlStatementError
from ksqlserver.sql import ast
from ksqlserver.statements import entities
from ksqlserver.statements.state import EngineState, Session


def resolve(node: Any, types: Mapping[str, ast.Type]) -> Any:
    """`node` with every registered `CustomType` replaced (the same object when nothing changes).
    An unregistered name stays: typing it later gives the "Unknown type" error."""
    if isinstance(node, ast.CustomType):
        return types.get(node.name, node)
    if isinstance(node, tuple | list):
        items = [resolve(x, types) for x in node]
        if all(a is b for a, b in zip(items, node, strict=True)):
            return node
        return type(node)(items)
    if not isinstance(node, ast.Node) or not dataclasses.is_dataclass(node):
        return node
    changes = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, ast.Node | tuple | list):
            new = resolve(value, types)
            if new is not value:
                changes[f.name] = new
    return dataclasses.replace(node, **changes) if changes else node


def create_type(state: EngineState, st: ast.CreateType, session: Session) -> dict[str, Any]:
    types = state.metastore.types
    resolved = resolve(st.type, types)
    sql_type = ast_type(resolved)  # an unknown name inside it is an error now, not at first use
    existing = types.get(st.name)
    if existing is not None:
        registered = ast_type(existing)
        if not st.if_not_exists:
            raise KsqlStatementError(
                f"Cannot register custom type '{st.name}' since it is already registered with type: {registered}"
            )
        message = f"{st.name} is already registered with type {registered}"
    else:
        types[st.name] = resolved
        message = f"Registered custom type with name '{st.name}' and SQL type {sql_type}"
    return entities.current_status(st.text, f"type/{st.name}/create", message, None, state.next_seq())


def drop_type(state: EngineState, st: ast.DropType, session: Session) -> dict[str, Any]:
    types = state.metastore.types
    if st.name not in types:
        if not st.if_exists:
            raise KsqlStatementError(f"Type {st.name} does not exist.")
        message = f"Type '{st.name}' does not exist"
    else:
        del types[st.name]
        message = f"Dropped type '{st.name}'"
    return entities.current_status(st.text, f"type/{st.name}/drop", message, None, state.next_seq())


def list_types(state: EngineState, st: ast.Show) -> dict[str, Any]:
    listed = {name: entities.schema_json(ast_type(t)) for name, t in sorted(state.metastore.types.items())}
    return {"@type": "type_list", "statementText": st.text, "warnings": [], "types": listed}
