"""ALTER STREAM|TABLE name ADD [COLUMN] col type, ...: value columns added to a source's schema.

As ksqlDB 0.29: only for sources declared with CREATE STREAM/TABLE (not CREATE SOURCE, not the sinks of
CREATE ... AS SELECT); queries already running keep the schema they started with.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ksqlserver.catalog.types import VALUE, Column, LogicalSchema, ast_type
from ksqlserver.errors import KsqlStatementError
from ksqlserver.sql import ast
from ksqlserver.statements import entities
from ksqlserver.statements.state import EngineState, Session


def alter_source(state: EngineState, st: ast.AlterSource, session: Session) -> dict[str, Any]:
    kind = st.kind.lower()
    src = state.metastore.get(st.name)
    if src is not None and src.is_source:
        raise KsqlStatementError(
            f"Cannot alter {kind} '{st.name}': ALTER operations are not supported on source {kind}s."
        )
    if src is None:
        raise KsqlStatementError(f"Source {st.name} does not exist.")
    if src.kind != st.kind:
        raise KsqlStatementError(f"Incompatible data source type is {src.kind}, but statement was ALTER {st.kind}")
    if src.is_sink:
        raise KsqlStatementError("ALTER command is not supported for CREATE ... AS statements.")
    columns = list(src.schema.columns)
    taken = {c.name for c in columns}
    for c in st.columns:
        if c.name in taken:
            raise KsqlStatementError(
                f"Cannot add column `{c.name}` to schema. A column with the same name already exists."
            )
        taken.add(c.name)
        columns.append(Column(c.name, ast_type(c.type), VALUE))
    # LogicalSchema.asBuilder().valueColumn(...): the new columns go after those the CREATE listed
    order = src.schema.order + tuple(c.name for c in st.columns) if src.schema.order else ()
    altered = dataclasses.replace(src, schema=LogicalSchema(tuple(columns), order), statement=st.text)
    state.metastore.put(altered)
    what = "Stream" if src.kind == "STREAM" else "Table"
    return entities.current_status(
        st.text, f"{kind}/{st.name}/alter", f"{what} {st.name} altered.", None, state.next_seq()
    )
