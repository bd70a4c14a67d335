"""What an aggregation's processing log names and says, as ksqlDB 0.29's AggregateNode builds its steps:
the node's context is `Aggregate`, its steps `Aggregate.Prepare` (the select of the required columns and
of each aggregate argument that is not a column, as an internal column `KSQL_INTERNAL_COL_<index>`),
`Aggregate.GroupBy`, `Aggregate.Aggregate`, `Aggregate.HavingFilter` and `Aggregate.Project`. Expressions
after the aggregation read its row: each aggregate call is the column `KSQL_AGG_VARIABLE_<index>`
(AggregateNode's aggregateExpressionRewriter), so the texts of the HAVING and Project steps name those."""

from __future__ import annotations

from ksqlserver.analyze.aggregate_query import AggregateQuery
from ksqlserver.analyze.scope import rewrite_refs
from ksqlserver.sql import ast
from ksqlserver.sql.printer import sql

PREPARE = "Aggregate.Prepare"
GROUP_BY = "Aggregate.GroupBy"
HAVING = "Aggregate.HavingFilter"
PROJECT = "Aggregate.Project"


def prepare_columns(aq: AggregateQuery) -> list[tuple[str, ast.Expression]]:
    """AggregateNode.InternalSchema's aggArgExpansions: the required columns, then each aggregate's column
    argument that is not a column reference, once per text, named by its index (the initial arguments, such
    as TOPK's k, are literals and stay out)."""
    out: list[tuple[str, ast.Expression]] = [(c, ast.ColumnRef(c)) for c in aq.required_columns]
    seen = {c for c in aq.required_columns}
    for x in aq.aggs:
        for arg in x.args:
            if isinstance(arg, ast.ColumnRef):
                if arg.name not in seen:
                    seen.add(arg.name)
                    out.append((arg.name, arg))
                continue
            text = sql(arg)
            if text not in seen:
                seen.add(text)
                out.append((f"KSQL_INTERNAL_COL_{len(out)}", arg))
    return out


def argument_texts(aq: AggregateQuery) -> dict[str, str]:
    """SelectValueMapper's text for each internal column of the Prepare step, by its expression's text."""
    return {
        sql(e): f"Error computing expression {sql(e)} for column {name} with index {i}"
        for i, (name, e) in enumerate(prepare_columns(aq))
        if name.startswith("KSQL_INTERNAL_COL_")
    }


def java_text(e: ast.Expression, aq: AggregateQuery) -> str:
    """An expression over the aggregation's row, as ksqlDB prints it after the aggregation: `$A<n>` is
    KSQL_AGG_VARIABLE_<n>, `$K<n>` the grouping expression."""

    def ref(c: ast.ColumnRef) -> ast.Node:
        if c.name.startswith("$A") and c.name[2:].isdigit():
            return ast.ColumnRef(f"KSQL_AGG_VARIABLE_{c.name[2:]}")
        if c.name.startswith("$K") and c.name[2:].isdigit():
            return aq.group_by[int(c.name[2:])][1]
        return c

    return sql(rewrite_refs(e, ref))  # type: ignore[arg-type]


def having_text(aq: AggregateQuery) -> str:
    """SqlPredicate's text for the HAVING step."""
    return f"Error evaluating predicate {java_text(aq.having, aq)}" if aq.having is not None else ""


def project_texts(aq: AggregateQuery, persistent: bool) -> list[str]:
    """SelectValueMapper's text for each projection of the Project step: a persistent query's grouping
    columns are its key (AggregateNode leaves them out of finalSelectExpressions), so they take no index."""
    texts = []
    index = 0
    for p in aq.projections:
        texts.append(f"Error computing expression {java_text(p.expression, aq)} for column {p.name} with index {index}")
        if not (persistent and p.is_key):
            index += 1
    return texts
