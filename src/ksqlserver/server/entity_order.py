"""The field order ksqlDB 0.29's REST API writes its entities in (ApiJsonMapper: Jackson puts the type id first,
then a class's @JsonCreator properties in their order, then its other properties in declaration order, the
superclass's first). KsqlEntity declares `statementText` and `warnings`, so `warnings` comes right after the
creator's properties unless the creator takes it. Clients parse JSON, so only text comparisons see this."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# @type -> the creator's properties (KsqlEntity subclasses in ksqldb-rest-model)
_ENTITY_CREATORS: dict[str, tuple[str, ...]] = {
    "currentStatus": ("statementText", "commandId", "commandStatus", "commandSequenceNumber", "warnings"),
    "properties": ("statementText", "properties", "overwrittenProperties", "defaultProperties"),
    "queries": ("statementText", "queries"),
    "sourceDescription": ("statementText", "sourceDescription", "warnings"),
    "queryDescription": ("statementText", "queryDescription"),
    "topicDescription": ("statementText", "name", "topic", "format", "schemaString"),
    "streams": ("statementText", "streams"),
    "tables": ("statementText", "tables"),
    "kafka_topics": ("statementText", "topics"),
    "kafka_topics_extended": ("statementText", "topics"),
    "source_descriptions": ("statementText", "sourceDescriptions", "warnings"),
    "query_descriptions": ("statementText", "queryDescriptions"),
    "describe_function": ("statementText", "name", "description", "author", "version", "path", "functions", "type"),
    "function_names": ("statementText", "functions"),
    "connector_info": ("statementText", "info"),
    "drop_connector": ("statementText", "connectorName"),
    "connector_list": ("statementText", "warnings", "connectors"),
    "connector_plugins_list": ("statementText", "warnings", "connectorsPlugins"),
    "connector_description": ("statementText", "connectorClass", "status", "sources", "topics", "warnings"),
    "type_list": ("statementText", "types"),
    "warning_entity": ("statementText", "message"),
    "variables": ("statementText", "variables"),
    "terminate_query": ("statementText", "queryId", "wasTerminated"),
    "assert_topic": ("statementText", "topicName", "exists"),
    "assert_schema": ("statementText", "subject", "id", "exists"),
}
# SourceDescription's and QueryDescription's creators (QueryDescription's other getter follows: state)
_SOURCE_DESCRIPTION = (
    "name", "windowType", "readQueries", "writeQueries", "fields", "type", "timestamp", "statistics", "errorStats",
    "extended", "keyFormat", "valueFormat", "topic", "partitions", "replication", "statement", "queryOffsetSummaries",
    "sourceConstraints", "clusterStatistics", "clusterErrorStats",
)  # fmt: skip
_QUERY_DESCRIPTION = (
    "id", "statementText", "windowType", "fields", "sources", "sinks", "topology", "executionPlan",
    "overriddenProperties", "ksqlHostQueryStatus", "queryType", "queryErrors", "tasksMetadata", "consumerGroupId",
)  # fmt: skip
_NESTED = {
    "sourceDescription": _SOURCE_DESCRIPTION,
    "sourceDescriptions": _SOURCE_DESCRIPTION,
    "queryDescription": _QUERY_DESCRIPTION,
    "queryDescriptions": _QUERY_DESCRIPTION,
}


def _ordered(obj: Mapping[str, Any], first: Sequence[str]) -> dict[str, Any]:
    out = {k: obj[k] for k in first if k in obj}
    out.update((k, v) for k, v in obj.items() if k not in out)
    return out


def java_order(entity: Mapping[str, Any]) -> dict[str, Any]:
    """`entity` with its fields (and its source / query descriptions') in the order ksqlDB writes them."""
    creator = _ENTITY_CREATORS.get(str(entity.get("@type")))
    if creator is None:
        return dict(entity)
    first = ("@type", *creator) if "warnings" in creator else ("@type", *creator, "warnings")
    out = _ordered(entity, first)
    for key, order in _NESTED.items():
        value = out.get(key)
        if isinstance(value, dict):
            out[key] = _ordered(value, order)
        elif isinstance(value, list):
            out[key] = [_ordered(v, order) if isinstance(v, dict) else v for v in value]
    return out
