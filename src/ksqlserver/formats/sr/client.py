"""Schema Registry clients: Confluent's REST API over HTTP (the server's `ksql.schema.registry.url`), and
an in-memory registry for the in-memory driver (tests, the conformance runner).

Both cache what cannot change: a schema by id (one request per id per process) and the id a subject gave
a schema text. Latest versions are asked for each time (statements only). Errors are
`SchemaRegistryError`s with Confluent's codes and texts ("Subject 'x' not found.; error code: 40401");
a registry that does not answer raises `SchemaRegistryUnavailableError`.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ksqlserver.errors import SchemaRegistryError, SchemaRegistryUnavailableError

# Confluent's schemaType; AVRO is the default and is not sent
AVRO, PROTOBUF, JSON = "AVRO", "PROTOBUF", "JSON"


@dataclass(frozen=True)
class Reference:
    """A schema reference: the import name (proto file, Avro type, JSON document) -> subject/version."""

    name: str
    subject: str
    version: int


@dataclass(frozen=True)
class RegisteredSchema:
    """A schema as the registry holds it: type, text and references (resolved by the client on demand)."""

    schema_type: str
    schema: str
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class SubjectVersion:
    subject: str
    version: int
    schema_id: int
    schema: RegisteredSchema


def subject_name(topic: str, is_key: bool) -> str:
    """Confluent's TopicNameStrategy: `<topic>-key` / `<topic>-value`."""
    return f"{topic}-{'key' if is_key else 'value'}"


def _message(text: str, code: int) -> str:
    return f"{text}; error code: {code}"


class SchemaRegistryClient(ABC):
    """What the engine asks a registry; subclasses talk HTTP or keep schemas in memory."""

    # a sandbox's client (SandboxedSchemaRegistryClient): its registrations stay local, so the ids they
    # return are not the real registry's
    sandboxed = False

    def __init__(self) -> None:
        self._by_id: dict[int, RegisteredSchema] = {}
        self._ids: dict[tuple[str, RegisteredSchema], int] = {}
        self._lock = threading.Lock()
        self.requests = 0  # requests that reached the registry (the caches' effect is measurable)

    # -- cached lookups -----------------------------------------------------------------------------------

    def schema_by_id(self, schema_id: int) -> RegisteredSchema:
        """The schema with this id; cached for the life of the client (ids never change meaning)."""
        found = self._by_id.get(schema_id)
        if found is None:
            found = self._fetch_by_id(schema_id)
            with self._lock:
                self._by_id[schema_id] = found
        return found

    def register(self, subject: str, schema: RegisteredSchema) -> int:
        """Register `schema` under `subject` (or find it there); returns its id. Cached per subject."""
        key = (subject, schema)
        found = self._ids.get(key)
        if found is None:
            found = self._register(subject, schema)
            with self._lock:
                self._ids[key] = found
                self._by_id.setdefault(found, schema)
        return found

    def references(self, schema: RegisteredSchema) -> dict[str, RegisteredSchema]:
        """Every schema `schema` references, transitively: import name -> schema."""
        out: dict[str, RegisteredSchema] = {}
        todo = list(schema.references)
        while todo:
            ref = todo.pop()
            if ref.name in out:
                continue
            found = self.version(ref.subject, ref.version).schema
            out[ref.name] = found
            todo.extend(found.references)
        return out

    # -- uncached -------------------------------------------------------------------------------------------

    @abstractmethod
    def _fetch_by_id(self, schema_id: int) -> RegisteredSchema: ...

    @abstractmethod
    def _register(self, subject: str, schema: RegisteredSchema) -> int: ...

    @abstractmethod
    def latest(self, subject: str) -> SubjectVersion:
        """The latest version of `subject`; SchemaRegistryError 40401 when there is none."""

    @abstractmethod
    def version(self, subject: str, version: int) -> SubjectVersion: ...

    @abstractmethod
    def subjects(self) -> list[str]: ...

    @abstractmethod
    def delete_subject(self, subject: str, permanent: bool = False) -> None:
        """Deletes every version of `subject` (soft, or permanent after a soft delete); SchemaRegistryError
        40401 when there is no such subject."""

    def subject_exists(self, subject: str) -> bool:
        try:
            self.latest(subject)
        except SchemaRegistryError as e:
            if e.registry_code == 40401:
                return False
            raise
        return True


# --- in memory --------------------------------------------------------------------------------------------


@dataclass
class _Subject:
    versions: list[tuple[int, int]] = field(default_factory=list)  # (version, id)


class MemoryRegistryClient(SchemaRegistryClient):
    """A registry in this process, as Confluent's mock client behaves: ids assigned from 1 (a schema text
    already registered keeps its id), versions per subject, no compatibility checks. `register_with_id`
    lets a test harness give schemas the ids its files name."""

    def __init__(self) -> None:
        super().__init__()
        self._schemas: dict[int, RegisteredSchema] = {}
        self._subjects: dict[str, _Subject] = {}
        self._soft_deleted: set[str] = set()
        self._next_id = 1

    def _fetch_by_id(self, schema_id: int) -> RegisteredSchema:
        self.requests += 1
        found = self._schemas.get(schema_id)
        if found is None:
            raise SchemaRegistryError(
                _message(f"Schema {schema_id} not found", 40403), 404, 40403, schema_id=schema_id
            )
        return found

    def _register(self, subject: str, schema: RegisteredSchema) -> int:
        return self.register_with_id(subject, schema, None)

    def register_with_id(self, subject: str, schema: RegisteredSchema, schema_id: int | None) -> int:
        self.requests += 1
        with self._lock:
            if schema_id is None:
                schema_id = next((i for i, s in self._schemas.items() if s == schema), None)
            if schema_id is None:
                schema_id = self._next_id
            self._schemas[schema_id] = schema
            self._next_id = max(self._next_id, schema_id + 1)
            entry = self._subjects.setdefault(subject, _Subject())
            if not any(i == schema_id for _, i in entry.versions):
                version = entry.versions[-1][0] + 1 if entry.versions else 1
                entry.versions.append((version, schema_id))
            self._by_id[schema_id] = schema
            return schema_id

    def latest(self, subject: str) -> SubjectVersion:
        self.requests += 1
        entry = self._subjects.get(subject)
        if entry is None or not entry.versions:
            raise SchemaRegistryError(
                _message(f"Subject '{subject}' not found.", 40401), 404, 40401, subject=subject
            )
        version, schema_id = entry.versions[-1]
        return SubjectVersion(subject, version, schema_id, self._schemas[schema_id])

    def version(self, subject: str, version: int) -> SubjectVersion:
        self.requests += 1
        entry = self._subjects.get(subject)
        if entry is None:
            raise SchemaRegistryError(
                _message(f"Subject '{subject}' not found.", 40401), 404, 40401, subject=subject
            )
        for v, schema_id in entry.versions:
            if v == version:
                return SubjectVersion(subject, v, schema_id, self._schemas[schema_id])
        raise SchemaRegistryError(
            _message(f"Version {version} not found.", 40402), 404, 40402, subject=subject
        )

    def subjects(self) -> list[str]:
        return sorted(self._subjects)

    def delete_subject(self, subject: str, permanent: bool = False) -> None:
        self.requests += 1
        with self._lock:
            if self._subjects.pop(subject, None) is not None:
                self._soft_deleted.add(subject)
            elif permanent and subject in self._soft_deleted:
                self._soft_deleted.discard(subject)
            else:
                raise SchemaRegistryError(
                    _message(f"Subject '{subject}' not found.", 40401), 404, 40401, subject=subject
                )


# --- over HTTP ---------------------------------------------------------------------------------------------

_CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"


class HttpRegistryClient(SchemaRegistryClient):
    """Confluent Schema Registry's REST API at `url` (our `schemaregistry`, Confluent's, Apicurio's
    ccompat API). One keep-alive connection pool, shared by every query thread."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        import httpx  # only servers configured with a registry pay for the import

        super().__init__()
        self.url = url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.url, timeout=timeout, headers={"Accept": _CONTENT_TYPE, "Content-Type": _CONTENT_TYPE}
        )
        self._httpx = httpx

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, body: Any = None, **ids: Any) -> Any:
        self.requests += 1
        try:
            response = self._http.request(method, path, json=body)
        except self._httpx.HTTPError as e:
            raise SchemaRegistryUnavailableError(
                f"Schema Registry at {self.url} is unreachable: {type(e).__name__}: {e}", **ids
            ) from None
        if response.status_code >= 400:
            try:
                payload = response.json()
                code = int(payload.get("error_code", response.status_code))
                text = str(payload.get("message", response.text))
            except (ValueError, AttributeError):
                code, text = response.status_code, response.text.strip() or response.reason_phrase
            error = SchemaRegistryUnavailableError if response.status_code >= 500 else SchemaRegistryError
            raise error(_message(text, code), response.status_code, code, **ids)
        return response.json()

    @staticmethod
    def _schema(payload: dict[str, Any]) -> RegisteredSchema:
        refs = tuple(
            Reference(r["name"], r["subject"], int(r["version"])) for r in payload.get("references") or []
        )
        return RegisteredSchema(payload.get("schemaType") or AVRO, payload["schema"], refs)

    def _fetch_by_id(self, schema_id: int) -> RegisteredSchema:
        return self._schema(self._request("GET", f"/schemas/ids/{schema_id}", schema_id=schema_id))

    def _register(self, subject: str, schema: RegisteredSchema) -> int:
        body: dict[str, Any] = {"schema": schema.schema}
        if schema.schema_type != AVRO:
            body["schemaType"] = schema.schema_type
        if schema.references:
            body["references"] = [
                {"name": r.name, "subject": r.subject, "version": r.version} for r in schema.references
            ]
        path = f"/subjects/{quote(subject, safe='')}/versions"
        return int(self._request("POST", path, body, subject=subject)["id"])

    def _subject_version(self, subject: str, version: str) -> SubjectVersion:
        path = f"/subjects/{quote(subject, safe='')}/versions/{version}"
        payload = self._request("GET", path, subject=subject)
        return SubjectVersion(subject, int(payload["version"]), int(payload["id"]), self._schema(payload))

    def latest(self, subject: str) -> SubjectVersion:
        return self._subject_version(subject, "latest")

    def version(self, subject: str, version: int) -> SubjectVersion:
        return self._subject_version(subject, str(version))

    def subjects(self) -> list[str]:
        return list(self._request("GET", "/subjects"))

    def delete_subject(self, subject: str, permanent: bool = False) -> None:
        path = f"/subjects/{quote(subject, safe='')}" + ("?permanent=true" if permanent else "")
        self._request("DELETE", path, subject=subject)
