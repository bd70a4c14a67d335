"""Sandboxed engines, as KsqlEngine.createSandbox makes them for StandaloneExecutor.validateStatements and
RequestValidator.validate: statements run on one exactly as on the engine it copies, but nothing reaches the
cluster or the registry. Topics are copied (names, partitions, configs; no records) into an in-memory driver,
the registry is read through and written locally (SandboxedSchemaRegistryClient), and new queries are
planned but never run (synchronous mode). `sandbox_of` starts from an empty metastore (headless mode's
start-up, before anything ran); `snapshot_of` also copies a running engine's metastore and queries."""

from __future__ import annotations

import dataclasses
from typing import Any

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.errors import SchemaRegistryError
from ksqlserver.formats.sr.client import (
    MemoryRegistryClient,
    RegisteredSchema,
    SchemaRegistryClient,
    SubjectVersion,
)

# `Engine` is never imported here: the engine imports this module for RequestValidator's sandbox, so the
# sandbox is built as `type(engine)(...)` and engines are typed `EngineLike`.
EngineLike = Any  # ksqlserver.engine.Engine

_NOT_FOUND = (40401, 40402, 40403)


class SandboxRegistry(SchemaRegistryClient):
    """SandboxedSchemaRegistryClient: lookups ask the real registry, then (on "not found") what the sandbox
    registered; registrations and deletions stay in the sandbox."""

    sandboxed = True

    def __init__(self, real: SchemaRegistryClient) -> None:
        super().__init__()
        self._real = real
        self._local = MemoryRegistryClient()

    def _fetch_by_id(self, schema_id: int) -> RegisteredSchema:
        try:
            return self._real.schema_by_id(schema_id)
        except SchemaRegistryError as e:
            if e.registry_code not in _NOT_FOUND:
                raise
        return self._local.schema_by_id(schema_id)

    def _register(self, subject: str, schema: RegisteredSchema) -> int:
        return self._local.register(subject, schema)

    def latest(self, subject: str) -> SubjectVersion:
        try:
            return self._real.latest(subject)
        except SchemaRegistryError as e:
            if e.registry_code not in _NOT_FOUND:
                raise
        return self._local.latest(subject)

    def version(self, subject: str, version: int) -> SubjectVersion:
        try:
            return self._real.version(subject, version)
        except SchemaRegistryError as e:
            if e.registry_code not in _NOT_FOUND:
                raise
        return self._local.version(subject, version)

    def subjects(self) -> list[str]:
        return sorted({*self._real.subjects(), *self._local.subjects()})

    def delete_subject(self, subject: str, permanent: bool = False) -> None:
        if subject in self._local.subjects():
            self._local.delete_subject(subject, permanent)
        else:
            self._real.latest(subject)  # the real registry's "not found", else nothing changes


def sandbox_of(engine: EngineLike) -> EngineLike:
    """A synchronous engine with the same configuration and function registry (extensions are not loaded
    again), over a copy of the engine's topics and a sandboxed registry. Close it after use."""
    driver = MemoryDriver()
    for name, info in engine.driver.topics().items():
        driver.create_topic(name, info.partitions, info.replicas, dict(info.config))
    config = dataclasses.replace(
        engine.config,
        synchronous=True,
        processing_log=False,
        command_topic=False,
        state_dir=None,
        extension_dir=None,
    )
    real = engine.state.schema_registry
    sandbox = type(engine)(config, driver, SandboxRegistry(real) if real is not None else None)
    sandbox.state.registry = engine.state.registry
    sandbox.sandboxed = True
    sandbox._command_rate = None  # the real run takes the rate limiter's permits
    return sandbox


class SandboxedQuery:
    """SandboxedPersistentQueryMetadataImpl / SandboxedTransientQueryMetadata: a running query as a sandbox
    sees it. Its id, plan, sources, sink and status read through to the real query; stopping, pausing,
    resuming or draining it changes nothing (TERMINATE and DROP in the sandbox only forget it)."""

    def __init__(self, real: Any) -> None:
        self._real = real

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance checks (PersistentQuery, TransientQuery) see the real kind
        return type(self._real)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def _nothing(self, *args: Any, **kwargs: Any) -> None:
        return None

    stop = start = pause = resume = drain = step = checkpoint = use_cache = begin = close = _nothing


def snapshot_of(engine: EngineLike) -> EngineLike:
    """KsqlEngine.createSandbox of a running engine: `sandbox_of` with a copy of its metastore (sources,
    types, drop constraints), its persistent, source-table and transient queries (as `SandboxedQuery`), and
    its query id and command sequence counters, taken under the engine lock. No record is copied, so it is
    cheap enough to make for each request that needs it. Close it after use."""
    sandbox = sandbox_of(engine)
    # query ids and sequence numbers as the real engine takes them (from command topic offsets, or sequential),
    # so errors naming a query made earlier in the request name it as the real run will
    sandbox.config = dataclasses.replace(sandbox.config, command_topic=engine.config.command_topic)
    sandbox.state.config = sandbox.config
    real, copy = engine.state, sandbox.state
    with real.lock:
        copy.metastore = real.metastore.copy()
        copy.persistent = {k: SandboxedQuery(q) for k, q in real.persistent.items()}  # type: ignore[misc]
        copy.transient = {k: SandboxedQuery(q) for k, q in real.transient.items()}  # type: ignore[misc]
        copy.source_tables = dict(real.source_tables)
        copy.query_counter = real.query_counter
        copy.command_seq = real.command_seq
    return sandbox
