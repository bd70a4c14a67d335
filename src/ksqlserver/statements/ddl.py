"""CREATE STREAM/TABLE, DROP, SET and UNSET: statements that change the metastore or the session."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from ksqlserver.catalog.metastore import DataSource, did_you_mean
from ksqlserver.catalog.properties import check_known_property, check_property_value, normalise
from ksqlserver.catalog.registry_schemas import infer_for_create, register_schemas
from ksqlserver.catalog.sources import (
    CLEANUP_POLICY_SET,
    PREPARE,
    TABLE_RETENTION_SET,
    build_source,
    check_key_constraints,
    check_table_elements,
    schema_from_columns,
    upper_props,
    validate_with_clause,
)
from ksqlserver.errors import (
    KsqlBadRequestError,
    KsqlInternalError,
    KsqlStatementError,
    SchemaRegistryError,
    error_chain_message,
)
from ksqlserver.formats import get_format
from ksqlserver.functions import timefmt
from ksqlserver.plan.upgrade import source_upgrade_error
from ksqlserver.sql import ast, formatter, variables
from ksqlserver.statements import entities, topics
from ksqlserver.statements.injected import create_source_text
from ksqlserver.statements.state import EngineState, Session, SourceTableQuery

log = logging.getLogger("ksqlserver.statements")


def check_new_name(state: EngineState, name: str, kind: str, or_replace: bool) -> bool:
    """True if it exists and may be replaced; raises if it exists otherwise.

    With OR REPLACE a source of the other kind is not refused here: ksqlDB (MetaStoreImpl.putSource through
    StructuredDataSource.canUpgradeTo) reports it as a type that is not upgradeable, with the other issues."""
    existing = state.metastore.get(name)
    if existing is None:
        return False
    if or_replace:
        return True
    what = existing.kind.lower()
    raise KsqlStatementError(
        f"Cannot add {kind.lower()} '{name}': A {what} with the same name already exists"
    )


def check_request_names(statements: list[ast.Statement]) -> None:
    """RequestValidator.validate runs a request's statements in a sandbox before any runs: a CREATE of a
    name an earlier statement of the same request creates fails the request with nothing executed
    (DdlCommandExec's "already exists"). Names the metastore already has are left to each statement, and so
    is a CREATE ... AS SELECT: SchemaRegisterInjector's sandbox planning refuses its name
    (EngineExecutor.maybeCreateSinkDdl) and words it as a planning error, which the request's sandbox
    (`Engine._validate`) meets in order."""
    created: dict[str, str] = {}
    for st in statements:
        if isinstance(st, ast.DropSource):
            created.pop(st.name, None)
        elif isinstance(st, ast.CreateSource | ast.CreateAsSelect) and not (st.or_replace or st.if_not_exists):
            earlier = created.get(st.name)
            if earlier is not None and isinstance(st, ast.CreateSource):
                raise KsqlStatementError(
                    f"Cannot add {st.kind.lower()} '{st.name}': A {earlier.lower()} with the same name already "
                    "exists",
                    st.text,
                )
            created[st.name] = st.kind


def exists_response(
    state: EngineState, st: ast.CreateSource | ast.CreateAsSelect, existing: DataSource
) -> dict[str, Any]:
    """The answer to CREATE ... IF NOT EXISTS of a name the metastore has, once every check passed (ksqlDB
    validates and injects the statement first, topic checks and all). With a command topic,
    DistributingExecutor.checkIfNotExistsResponse: a warning naming the statement as sent, no command;
    without, the engine's result (DdlCommandExec.executeCreateStream/Table's message)."""
    kind = st.kind.lower()
    if state.config.command_topic:
        # String.format of the SourceName, whose toString back-quotes it (observed on ksqlDB 0.29 built from
        # source: scripts/oracle/scenarios/errors.json step 27)
        return entities.warning(st.text, f"Cannot add {kind} `{st.name}`: A {kind} with the same name already exists.")
    return entities.current_status(
        st.text,
        f"{kind}/`{st.name}`/create",
        f"Cannot add {kind} {st.name}: A {existing.kind.lower()} with the same name already exists.",
        None,
        state.next_seq(),
    )


def _server_flag(session: Session, name: str) -> bool:
    return str(session.props.server.get(name, "true")).strip().lower() == "true"


def check_timestamp_format(props: dict[str, ast.PropertyValue]) -> None:
    """PropertiesConfig.validateDateTimeFormat, the last check CreateSource(As)Properties make when AstBuilder
    builds the statement: the pattern must compile (DateTimeFormatter.ofPattern)."""
    pattern = upper_props(props).get("TIMESTAMP_FORMAT")
    if pattern is None:
        return
    try:
        timefmt.formatter(str(pattern))
    except ValueError as e:
        raise KsqlStatementError(
            f"{PREPARE}Invalid datetime format for config:TIMESTAMP_FORMAT, reason:{e}"
        ) from None


def create_source(state: EngineState, st: ast.CreateSource, session: Session) -> dict[str, Any]:
    _check_feature_flags(st, session)
    check_table_elements(st.columns)
    validate_with_clause(st.properties, create_as=False)  # AstBuilder builds the properties after the elements
    check_timestamp_format(st.properties)
    check_key_constraints(st.kind, st.columns)
    existing = state.metastore.get(st.name)
    declared = schema_from_columns(st.kind, st.columns)
    # columns the statement leaves out come from the Schema Registry when the format can infer them
    schema, with_props, raw = infer_for_create(
        st.name, st.kind, declared, st.properties, session.props, state.schema_registry
    )
    src = build_source(
        st.name, st.kind, schema, with_props, session.props, st.text, is_source=st.is_source,
        registry=state.schema_registry,
    )
    # the statement as ksqlDB's injectors leave it, which ksqlDB keeps and answers with
    injector = state.config.topic_injector
    text = create_source_text(st, declared, schema, with_props, session.props, topic_injector=injector)
    src = dataclasses.replace(src, statement=text)
    # TopicCreateInjector runs before the engine's CreateSourceFactory refuses an upgrade, a source without
    # columns or a table without PRIMARY KEY (the WITH clause's own errors come first, as build_source's do)
    w = upper_props(st.properties)
    example = create_source_text(st, declared, schema, with_props, session.props, missing_topic=True)
    spec = _check_topic(state, st, src.topic, w, example)
    # the engine's own checks (EngineExecutor.plan, CreateSourceFactory) run on the injected statement:
    # RequestValidator reports their errors with its text, as it answers a success (observed on ksqlDB 0.29:
    # a duplicate plain CREATE's statementText is the re-printed statement)
    try:
        if st.is_source and not _server_flag(session, "ksql.source.table.materialization.enabled"):
            # EngineExecutor.plan, after the injectors: the server's setting alone counts (getConfig(false))
            raise KsqlStatementError(
                "Cannot execute command because source table materialization is disabled.", st.text
            )
        # then CreateSourceFactory.createStreamCommand/createTableCommand, in its order: the columns, the name
        # (unless OR REPLACE or IF NOT EXISTS), a table's PRIMARY KEY, OR REPLACE on a source stream/table
        if not schema.columns:
            raise KsqlStatementError("The statement does not define any columns.", st.text)
        check_new_name(state, st.name, st.kind, st.or_replace or st.if_not_exists)
        if st.kind == "TABLE" and not schema.key:
            raise KsqlStatementError("Tables require a PRIMARY KEY. Please define the PRIMARY KEY.", st.text)
        if st.or_replace and (st.is_source or (existing is not None and existing.is_source)):
            what = st.kind.lower()
            raise KsqlStatementError(
                f"Cannot add {what} '{st.name}': CREATE OR REPLACE is not supported on source {what}s.", st.text
            )
        if st.or_replace and existing is not None:  # only compatible changes: columns added at the end
            issue = source_upgrade_error(existing, src)
            if issue is not None:
                raise KsqlStatementError(f"Cannot upgrade data source: {issue}", st.text)
    except KsqlStatementError as e:
        e.statement_text = text
        raise
    if existing is not None and st.if_not_exists and (not st.or_replace or state.config.command_topic):
        # DdlCommandExec stops at the name (it replaces under OR REPLACE); with a command topic
        # DistributingExecutor.checkIfNotExistsResponse answers any IF NOT EXISTS of a known name, OR REPLACE
        # too, once RequestValidator's sandbox accepted it. What the injectors made stays.
        topics.ensure_topic(state.driver, spec, state.config.topic_injector)
        register_schemas(state.schema_registry, src, False, raw)
        return exists_response(state, st, existing)
    topics.ensure_topic(state.driver, spec, state.config.topic_injector)
    register_schemas(state.schema_registry, src, False, raw)
    state.metastore.put(src)
    state.table_views.pop(src.name, None)
    command_id = f"{st.kind.lower()}/`{st.name}`/create"
    if st.kind == "TABLE" and st.is_source:
        # EngineExecutor.execute runs a source table's plan as a CREATE_SOURCE persistent query, so the
        # command's status is InteractiveStatementExecutor.getSuccessMessage's for a query
        query_id = state.new_query_id("CST", src.name)
        app_id = state.config.query_application_id(query_id, session.persistent_prefix)
        cst = SourceTableQuery(query_id, text, src.name, dict(session.props.overrides), app_id)
        state.source_tables[src.name] = cst
        message = f"Created query with ID {cst.query_id}"
        return entities.current_status(text, command_id, message, cst.query_id, state.next_seq())
    state.source_tables.pop(src.name, None)
    what = "Stream" if st.kind == "STREAM" else "Table"
    return entities.current_status(text, command_id, f"{what} created", None, state.next_seq())


def _check_topic(
    state: EngineState, st: ast.CreateSource, topic: str, w: dict[str, Any], example: str
) -> topics.TopicSpec:
    """TopicCreateInjector.injectForCreateSource: the cleanup policy follows the kind of source (a table's
    topic is compacted, windowed or not), so neither it nor a table's retention may be set; a missing topic
    needs PARTITIONS (`example`: the statement that would create it); an existing one must fit the WITH
    clause (KafkaTopicClient.createTopic). Without the injector (ksqlDB's test harness) only
    CreateSourceFactory.ensureTopicExists checks the topic."""
    if not state.config.topic_injector:
        if state.driver.topic(topic) is None:
            raise KsqlStatementError(f"Kafka topic does not exist: {topic}", st.text)
        return topics.source_topic(state.driver, topic, st.kind, w)
    if "CLEANUP_POLICY" in w:
        raise KsqlBadRequestError(CLEANUP_POLICY_SET, st.text)
    if state.driver.topic(topic) is None and "PARTITIONS" not in w:
        raise KsqlBadRequestError(_missing_topic(example, topic))
    if st.kind == "TABLE" and "RETENTION_MS" in w:
        raise KsqlBadRequestError(TABLE_RETENTION_SET, st.text)
    spec = topics.source_topic(state.driver, topic, st.kind, w)
    topics.check_existing(state.driver, spec)
    return spec


def drop(state: EngineState, st: ast.DropSource, session: Session) -> dict[str, Any]:
    src = state.metastore.get(st.name)
    cid = f"{st.kind.lower()}/{st.name}/drop"
    text = st.text
    if st.delete_topic:
        _check_topic_delete(state, st, src)
        if state.config.topic_injector:  # Injectors.DEFAULT's TopicDeleteInjector (not in the test harness)
            # the statement goes on re-formatted without its DELETE TOPIC (SqlFormatter.visitDrop)
            text = formatter.drop_source(dataclasses.replace(st, delete_topic=False)) + ";"
    if src is None:
        if st.if_exists:
            return entities.current_status(
                text, cid, f"Source `{st.name}` does not exist.", None, state.next_seq()
            )
        hint = did_you_mean(state.metastore, st.name, st.kind)
        raise KsqlStatementError(f"{st.kind.capitalize()} {st.name} does not exist.{hint}", text)
    if src.kind != st.kind:  # DropSourceFactory writes the types in lower case (ALTER's check does not)
        raise KsqlStatementError(
            f"Incompatible data source type is {src.kind.lower()}, but statement was DROP {st.kind.lower()}",
            text,
        )
    # EngineContext.throwIfInsertQueriesExist: INSERT INTO queries reading or writing the source
    inserts = [q for q in state.persistent.values() if q.kind == "INSERT"]
    readers = sorted(q.query_id for q in inserts if st.name in query_sources(q))
    writers = sorted(q.query_id for q in inserts if q.sink.name == st.name)
    if readers or writers:
        raise KsqlStatementError(
            f"Cannot drop {st.name}.\nThe following queries read from this source: [{', '.join(readers)}]."
            f"\nThe following queries write into this source: [{', '.join(writers)}].\nYou need to "
            f"terminate them before dropping {st.name}.",
            text,
        )
    # MetaStoreImpl.deleteSource: the sinks created AS SELECT from it, whether or not their queries run
    derived = state.metastore.readers(st.name)
    if derived:
        raise KsqlStatementError(
            f"Cannot drop {st.name}.\nThe following streams and/or tables read from this source: "
            f"[{', '.join(derived)}].\nYou need to drop them before dropping {st.name}.",
            text,
        )
    # its CREATE ... AS SELECT query goes with it, and that query's internal topics and state
    for q in [q for q in state.persistent.values() if q.sink.name == st.name]:
        retire_query(state, state.persistent.pop(q.query_id))
    state.metastore.remove(st.name)
    state.source_tables.pop(st.name, None)
    view = state.table_views.pop(st.name, None)
    if view is not None:
        view.close()
    # TopicDeleteInjector deletes the topic when the request comes in and enqueues the DROP without its
    # DELETE TOPIC, so replaying the command topic deletes nothing (RecoveryTest.shouldNotDeleteTopicsOnRecovery)
    if st.delete_topic and not state.replaying:
        _delete_topic_and_subjects(state, src)
    return entities.current_status(
        text, cid, f"Source `{st.name}` (topic: {src.topic}) was dropped.", None, state.next_seq()
    )


def _check_topic_delete(state: EngineState, st: ast.DropSource, src: Any) -> None:
    """TopicDeleteInjector's checks, which ksqlDB makes before the DROP's own."""
    if src is None:
        if not st.if_exists:
            raise KsqlStatementError(
                f"Could not find source to delete topic for: ConfiguredStatement{{statement={st.text.strip()}",
                st.text,
            )
        return
    if src.is_source:
        raise KsqlStatementError(f"Cannot delete topic for read-only source: {st.name}", st.text)
    using = sorted(s.name for s in state.metastore.by_topic(src.topic) if s.name != src.name)
    if using:
        raise KsqlStatementError(
            f"Refusing to delete topic. Found other data sources ({', '.join(using)}) using topic {src.topic}",
            st.text,
        )


def _delete_topic_and_subjects(state: EngineState, src: Any) -> None:
    """The topic, then its key and value subjects when their formats take schemas from the registry (a
    subject that is not there is fine), as TopicDeleteInjector does."""
    try:
        state.driver.delete_topic(src.topic)
    except Exception as e:
        raise KsqlStatementError(f"Could not delete the corresponding kafka topic: {src.topic}") from e
    registry = state.schema_registry
    if registry is None:
        return
    failure: Exception | None = None
    for is_key, fmt in ((True, src.key_format), (False, src.value_format)):
        if not get_format(fmt).schema_inference:
            continue
        try:
            registry.delete_subject(f"{src.topic}-{'key' if is_key else 'value'}")
        except SchemaRegistryError as e:
            if e.registry_code != 40401:
                failure = failure or e
        except Exception as e:  # the registry unreachable: the other subject is still tried
            failure = failure or e
    if failure is not None:
        raise KsqlStatementError(f"Could not clean up the schema registry for topic: {src.topic}") from failure


def _check_feature_flags(st: ast.CreateSource, session: Session) -> None:
    """FeatureFlagChecker.throwOnDisabledFeatures (RequestHandler, before any executor): HEADER(S) columns
    need ksql.headers.columns.enabled; a KsqlException, hence a 40000 bad request."""
    if session.props.get("ksql.headers.columns.enabled", "true").lower() == "false" and any(
        c.constraint in ("HEADERS", "HEADER") for c in st.columns
    ):
        kind = "Stream" if st.kind == "STREAM" else "Table"  # CreateSource.SourceType's names
        raise KsqlBadRequestError(f"Cannot create {kind} because schema with headers columns is disabled.", st.text)


def set_property(state: EngineState, st: ast.SetProperty, session: Session) -> None:
    # PropertyOverrider.set: the name must resolve and the value parse before the session changes
    check_known_property(st.name, st.text)
    check_property_value(st.name, st.value)
    session.props = session.props.with_overrides({st.name: st.value})


def unset_property(state: EngineState, st: ast.UnsetProperty, session: Session) -> None:
    check_known_property(st.name, st.text)  # PropertyOverrider.unset
    session.props = session.props.without(normalise(st.name)).without(st.name)


def define_variable(state: EngineState, st: ast.DefineVariable, session: Session) -> None:
    # names are case-insensitive: a name defined before keeps its first spelling
    key = next((k for k in session.variables if k.upper() == st.name.upper()), st.name)
    session.variables[key] = st.value


def undefine_variable(state: EngineState, st: ast.UndefineVariable, session: Session) -> dict[str, Any] | None:
    if variables.remove(session.variables, st.name):
        return None
    return {
        "@type": "warning_entity",
        "statementText": st.text,
        "message": f"Cannot undefine variable '{st.name}' which was never defined",
        "warnings": [],
    }


def _missing_topic(example: str, topic: str) -> str:
    """TopicCreateInjector.injectForCreateSource's message for a source on a topic that does not exist, with
    the injected statement and PARTITIONS=2 as an example that would create it."""
    return (
        f"Topic '{topic}' does not exist. If you want to create a new topic for the stream/table please "
        "re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and "
        f"optionally 'REPLICAS'). For example: {example}"
    )


def query_sources(q: Any) -> set[str]:
    """The names of every source a persistent query reads (all sides of a join)."""
    names = {q.pipeline.source.name}
    plan = q.plan
    analysed = getattr(plan, "query", None)  # an aggregation's plan holds its analysis
    join = getattr(analysed, "join", None)
    for step in getattr(plan, "steps", ()):
        join = getattr(step, "join", None) or join
    if join is not None:
        names |= {leaf.source.name for leaf in join.leaves}
    return names


def retire_query(state: EngineState, q: Any) -> None:
    """TERMINATE / DROP: stop a persistent query and delete what it kept, as ksqlDB does: its internal
    topics (`_confluent-ksql-<service id><ksql.persistent.prefix><id>-...`: changelogs, repartition topics), its state stores
    and their local snapshots. CREATE OR REPLACE stops a query without this (its successor resumes)."""
    q.stop()
    prefix = f"{q.application_id or state.config.query_application_id(q.query_id)}-"
    state.stores.cleanup(q.query_id)
    for topic in list(state.driver.topics()):
        if topic.startswith(prefix):
            try:
                state.driver.delete_topic(topic)
            except Exception as e:  # cleanup is best effort: the query is terminated either way
                log.warning("query %s: could not delete internal topic %s (%s)", q.query_id, topic, e)
    _delete_internal_subjects(state, prefix[:-1])


_INTERNAL_SUBJECT_ENDS = tuple(f"-{kind}-{part}" for kind in ("changelog", "repartition") for part in ("key", "value"))


def _delete_internal_subjects(state: EngineState, application_id: str) -> None:
    """SchemaRegistryUtil.cleanupInternalTopicSchemas: the subjects of the query's changelog and repartition
    topics, soft then permanently deleted; best effort, as the topics."""
    registry = state.schema_registry
    if registry is None:
        return
    try:
        subjects = [s for s in registry.subjects() if s.startswith(application_id) and s.endswith(_INTERNAL_SUBJECT_ENDS)]
    except Exception as e:
        log.warning("could not clean up the schema registry for query %s (%s)", application_id, e)
        return
    for subject in subjects:
        try:
            registry.delete_subject(subject)
            registry.delete_subject(subject, permanent=True)
        except Exception as e:
            log.warning("could not clean up the schema registry for query %s, subject %s (%s)",
                        application_id, subject, e)


def alter_system(state: EngineState, st: ast.AlterSystem, session: Session) -> dict[str, Any]:
    """ALTER SYSTEM needs ksqlDB's shared runtimes (Confluent Cloud); off by default, as in ksqlDB. The request
    validator does not check ALTER SYSTEM (CustomValidators.ALTER_SYSTEM_PROPERTY), so the refusal comes from
    ValidatedCommandFactory.createForAlterSystemQuery inside DistributingExecutor's transaction, which wraps it:
    a 500 "Could not write the statement '...' into the command topic." caused by the refusal."""
    if session.props.get("ksql.runtime.feature.shared.enabled", "false").lower() != "true":
        cause = "Cannot alter system configs when KSQL_SHARED_RUNTIME_ENABLED is turned off."
    else:
        cause = "ALTER SYSTEM is not supported by this server"
    message = error_chain_message([f"Could not write the statement '{st.text}' into the command topic.", cause])
    raise KsqlInternalError(message, st.text)
