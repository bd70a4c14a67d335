"""A sandboxed engine, as KsqlEngine.createSandbox makes one for StandaloneExecutor.validateStatements:
statements run on it exactly as on the engine it copies, but nothing reaches the cluster or the registry.
Topics are copied (names, partitions, configs) into an in-memory driver, the registry is read through and
written locally (SandboxedSchemaRegistryClient), and queries are planned but never run (synchronous mode).
The sandbox starts from an empty metastore: it is made for an engine that has run nothing yet (headless
mode's start-up)."""

from __future__ import annotations

import dataclasses

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import SchemaRegistryError
from ksqlserver.formats.sr.client import (
    MemoryRegistryClient,
    RegisteredSchema,
    SchemaRegistryClient,
    SubjectVersion,
)

_NOT_FOUND = (40401, 40402, 40403)


class SandboxRegistry(SchemaRegistryClient):
    """SandboxedSchemaRegistryClient: lookups see what the sandbox registered, then the real registry;
    registrations and deletions stay in the sandbox."""

    def __init__(self, real: SchemaRegistryClient) -> None:
        super().__init__()
        self._real = real
        self._local = MemoryRegistryClient()

    def _fetch_by_id(self, schema_id: int) -> RegisteredSchema:
        try:
            return self._local.schema_by_id(schema_id)
        except SchemaRegistryError as e:
            if e.registry_code not in _NOT_FOUND:
                raise
        return self._real.schema_by_id(schema_id)

    def _register(self, subject: str, schema: RegisteredSchema) -> int:
        return self._local.register(subject, schema)

    def latest(self, subject: str) -> SubjectVersion:
        if subject in self._local.subjects():
            return self._local.latest(subject)
        return self._real.latest(subject)

    def version(self, subject: str, version: int) -> SubjectVersion:
        if subject in self._local.subjects():
            return self._local.version(subject, version)
        return self._real.version(subject, version)

    def subjects(self) -> list[str]:
        return sorted({*self._real.subjects(), *self._local.subjects()})

    def delete_subject(self, subject: str, permanent: bool = False) -> None:
        if subject in self._local.subjects():
            self._local.delete_subject(subject, permanent)
        else:
            self._real.latest(subject)  # the real registry's "not found", else nothing changes


def sandbox_of(engine: Engine) -> Engine:
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
    sandbox = Engine(config, driver, SandboxRegistry(real) if real is not None else None)
    sandbox.state.registry = engine.state.registry
    return sandbox
