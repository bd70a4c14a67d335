"""CREATE / DROP / DESCRIBE CONNECTOR, SHOW [SOURCE|SINK] CONNECTORS, SHOW CONNECTOR PLUGINS: ksqlDB 0.29's
connector statements, run against the Kafka Connect worker at `ksql.connect.url`.

As ksqlDB's ConnectExecutor, DropConnectorExecutor, ListConnectorsExecutor, DescribeConnectorExecutor and
ListConnectorPluginsExecutor: Connect's own failures come back as "<what failed>: <Connect's response
body>" with Connect's HTTP status (error code = status x 100, no statement text); a CREATE is checked
first (the name is free unless IF NOT EXISTS; the config passes Connect's validation). Entities as
ksqlDB's CreateConnectorEntity ("connector_info"), DropConnectorEntity ("drop_connector"), ConnectorList
("connector_list"), ConnectorDescription ("connector_description"), ConnectorPluginsList
("connector_plugins_list") and WarningEntity ("warning_entity"); their statement text is ksqlDB's masked
one (CREATE CONNECTOR's property values other than connector.class read '[string]').

None of this takes the engine lock except DESCRIBE's look at the metastore: a slow Connect worker must not
hold up other statements.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ksqlserver.connect import ConnectClient, ConnectResponse, java_map_text, resolve, supported
from ksqlserver.errors import KsqlBadRequestError, KsqlError, KsqlInternalError
from ksqlserver.formats.javatext import java_decimal, py_java_double
from ksqlserver.sql import ast
from ksqlserver.sql.tokens import Kind, tokenize
from ksqlserver.statements import entities
from ksqlserver.statements.state import EngineState, Session

_CLASS = "connector.class"
_MASKED = "'[string]'"


class ConnectorRequestError(KsqlBadRequestError):
    """A connector statement Connect refused: ksqlDB answers with Connect's HTTP status, an error code of
    status x 100 and its own "<what failed>: <Connect's body>" message."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = status * 100


def _client(state: EngineState) -> ConnectClient:
    return state.connect_client()


def _raise_for(response: ConnectResponse[Any], what: str) -> None:
    if response.error is not None:
        raise ConnectorRequestError(f"{what}: {response.error}", response.status)


def _warning(statement: str, message: str) -> dict[str, Any]:
    e = entities._base("warning_entity", statement)
    e["message"] = message
    return e


# ---- CREATE CONNECTOR ----------------------------------------------------------------------------------------


def _value_text(value: ast.PropertyValue) -> str | None:
    """A WITH value as ksqlDB's `Literal.getValue().toString()` gives it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return py_java_double(value)
    if isinstance(value, Decimal):
        return java_decimal(value)
    return str(value)


def connector_config(st: ast.CreateConnector) -> dict[str, str | None]:
    """The config ksqlDB sends: the WITH properties as text, natively supported connectors' shorthand
    resolved, and `name`."""
    config = resolve({k: _value_text(v) for k, v in st.properties.items()})
    config["name"] = st.name
    return config


def masked_text(text: str) -> str:
    """ksqlDB's QueryMask of a CREATE CONNECTOR: the statement rebuilt from its tokens with every property
    value but connector.class's replaced by '[string]', and a `;`."""
    tokens = [t for t in tokenize(text) if t.kind is not Kind.EOF]
    try:
        at = next(i for i, t in enumerate(tokens) if t.is_keyword("WITH"))
    except StopIteration:
        return text
    head = tokens[:at]
    out = "CREATE " + head[1].value  # SOURCE | SINK
    out += " CONNECTOR"
    if any(t.is_keyword("EXISTS") for t in head):
        out += " IF NOT EXISTS"
    out += " " + head[-1].text
    props: list[str] = []
    i = at + 2  # past WITH (
    while i < len(tokens) and not tokens[i].is_op(")"):
        key = tokens[i]
        j = i + 2  # past the key and =
        value_start = j
        while j < len(tokens) and not tokens[j].is_op(",", ")"):
            j += 1
        plain_key = key.value if key.kind is Kind.STRING else key.value.lower()
        if plain_key == _CLASS and value_start < len(tokens):
            value = text[tokens[value_start].start:tokens[j - 1].end]
        else:
            value = _MASKED
        props.append(f"{key.text}={value}")
        i = j + 1 if j < len(tokens) and tokens[j].is_op(",") else j
    return f"{out} WITH ({', '.join(props)});"


def _exists(client: ConnectClient, name: str) -> bool:
    response = client.connectors()
    if response.error is not None:
        raise KsqlInternalError(f"Failed to check for existing connector: {response.error}")
    return any(c.lower() == name.lower() for c in response.datum or ())


def _validation_errors(client: ConnectClient, config: Mapping[str, str | None], copied: int) -> list[str]:
    """ConnectExecutor.validateConfigs: what is wrong with the config, as ksqlDB words it."""
    connector_class = config.get(_CLASS)
    if connector_class is None:
        return [f"Connector config {java_map_text(config, copied)} contains no connector type"]
    if not connector_class.strip():
        return ["Connector type cannot be empty"]
    response = client.validate(connector_class, config)
    if response.error is not None:
        return [response.error]
    errors = []
    for item in (response.datum or {}).get("configs") or ():
        value = item.get("value") or {}
        if value.get("errors"):
            errors.append(f"{value.get('name')} - {'. '.join(value['errors'])}")
    return errors


def create_connector(state: EngineState, st: ast.CreateConnector, session: Session) -> dict[str, Any]:
    statement = masked_text(st.text)
    try:
        return _create(_client(state), st, statement)
    except KsqlError as e:  # errors name the statement masked, as ksqlDB logs and answers it
        e.statement_text = e.statement_text or statement
        raise


def _create(client: ConnectClient, st: ast.CreateConnector, statement: str) -> dict[str, Any]:
    # the checks ksqlDB's request validator makes before anything runs
    if not st.if_not_exists and _exists(client, st.name):
        raise ConnectorRequestError(f"Connector {st.name} already exists", 409)
    config = connector_config(st)
    # a HashMap copied from the WITH properties (resolved), then given `name`: what the message prints
    errors = _validation_errors(client, config, len(st.properties))
    if errors:
        raise KsqlBadRequestError("Validation error: " + "\n".join(errors))
    # ConnectExecutor.execute
    if st.if_not_exists and _exists(client, st.name):
        return _warning(statement, f"Connector {st.name} already exists")
    response = client.create(st.name, config)
    _raise_for(response, "Failed to create connector")
    e = entities._base("connector_info", statement)
    e["info"] = _connector_info(response.datum or {})
    return e


def _connector_info(info: Mapping[str, Any]) -> dict[str, Any]:
    """Connect's ConnectorInfo as ksqlDB re-serialises it."""
    return {
        "name": info.get("name"),
        "config": dict(info.get("config") or {}),
        "tasks": [{"connector": t.get("connector"), "task": t.get("task")} for t in info.get("tasks") or ()],
        "type": info.get("type"),
    }


# ---- DROP CONNECTOR ------------------------------------------------------------------------------------------


def drop_connector(state: EngineState, st: ast.DropConnector, session: Session) -> dict[str, Any]:
    response = _client(state).delete(st.name)
    if response.error is not None:
        if st.if_exists and response.status == 404:
            return _warning(st.text, f"Connector '{st.name}' does not exist.")
        _raise_for(response, "Failed to drop connector")
    e = entities._base("drop_connector", st.text)
    e["connectorName"] = st.name
    return e


# ---- SHOW CONNECTORS / CONNECTOR PLUGINS -------------------------------------------------------------------


def _summarize_state(status: Mapping[str, Any]) -> str:
    """ListConnectorsExecutor.summarizeState: the connector's state, or for a running one how many of its
    tasks run ("WARNING" when it has tasks and none runs)."""
    state = (status.get("connector") or {}).get("state")
    if state != "RUNNING":
        return str(state)
    tasks = status.get("tasks") or []
    running = sum(1 for t in tasks if t.get("state") == "RUNNING")
    word = "WARNING" if tasks and running == 0 else "RUNNING"
    return f"{word} ({running}/{len(tasks)} tasks RUNNING)"


def show_connectors(state: EngineState, st: ast.Show, session: Session) -> dict[str, Any]:
    client = _client(state)
    listed = client.connectors()
    _raise_for(listed, "Failed to list connectors")
    scope = (st.connector_type or "ALL").lower()
    infos: list[dict[str, Any]] = []
    warnings: list[dict[str, str]] = []
    for name in listed.datum or ():
        described = client.describe(name)
        if described.datum is not None and scope in ("all", described.datum.get("type")):
            status = client.status(name)
            if status.datum is None:
                # ksqlDB reads the missing status here and fails the statement (a connector deleted
                # between the list and its status)
                raise KsqlInternalError("No value present", st.text)
            infos.append(
                {
                    "name": name,
                    "type": described.datum.get("type"),
                    "className": (described.datum.get("config") or {}).get(_CLASS),
                    "state": _summarize_state(status.datum),
                }
            )
        elif described.error is not None:
            if scope == "all":
                infos.append({"name": name, "type": "unknown"})
            warnings.append({"message": f"Could not describe connector {name}: {described.error}"})
    e = entities._base("connector_list", st.text)
    e["warnings"] = warnings
    e["connectors"] = [{k: v for k, v in info.items() if v is not None} for info in infos]
    return e


def show_plugins(state: EngineState, st: ast.Show, session: Session) -> dict[str, Any]:
    response = _client(state).plugins()
    _raise_for(response, "Failed to list connector plugins")
    plugins = []
    for p in response.datum or ():
        plugin = {"className": p.get("className", p.get("class")), "type": p.get("type"), "version": p.get("version")}
        plugins.append({k: v for k, v in plugin.items() if v is not None})
    e = entities._base("connector_plugins_list", st.text)
    e["connectorsPlugins"] = plugins
    return e


# ---- DESCRIBE CONNECTOR --------------------------------------------------------------------------------------


def _state_json(s: Mapping[str, Any], task: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": s.get("id")} if task else {}
    out["state"] = s.get("state")
    out["worker_id"] = s.get("worker_id")
    if s.get("trace"):
        out["trace"] = s["trace"]
    return out


def _status_json(status: Mapping[str, Any]) -> dict[str, Any]:
    """Connect's ConnectorStateInfo as ksqlDB re-serialises it (a trace only when there is one)."""
    return {
        "name": status.get("name"),
        "connector": _state_json(status.get("connector") or {}, task=False),
        "tasks": [_state_json(t, task=True) for t in status.get("tasks") or ()],
        "type": status.get("type"),
    }


def describe_connector(state: EngineState, st: ast.DescribeConnector, session: Session) -> dict[str, Any]:
    client = _client(state)
    status = client.status(st.name)
    _raise_for(status, "Failed to query connector status")
    info = client.describe(st.name)
    _raise_for(info, "Failed to describe connector")
    config = (info.datum or {}).get("config") or {}
    topics: list[str] = []
    warnings: list[dict[str, str]] = []
    sources: list[dict[str, Any]] = []
    # as ksqlDB, only connectors it supports natively have their topics (and so sources) looked up
    if supported(config.get(_CLASS)):
        answered = client.topics(st.name)
        if answered.error is not None:
            if answered.status != 404:  # an older worker without /topics: no warning
                warnings.append({"message": f"Could not list related topics due to error: {answered.error}"})
        else:
            topics = list(((answered.datum or {}).get(st.name) or {}).get("topics") or [])
        with state.lock:
            sources = [
                entities.source_description(s, [], [], False, 0, 0, "")
                for s in state.metastore.all()
                if s.topic in topics
            ]
    e = entities._base("connector_description", st.text)
    e.update(
        {
            "connectorClass": config.get(_CLASS),
            "status": _status_json(status.datum or {}),
            "sources": sources,
            "topics": topics,
            "warnings": warnings,
        }
    )
    return e


def show(state: EngineState, st: ast.Show, session: Session) -> dict[str, Any]:
    """SHOW [SOURCE|SINK] CONNECTORS and SHOW CONNECTOR PLUGINS."""
    if st.what == "CONNECTOR PLUGINS":
        return show_plugins(state, st, session)
    return show_connectors(state, st, session)
