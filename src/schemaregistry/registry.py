"""The operations behind Confluent Schema Registry's REST API, on `RegistryState` kept by a `Store`.

Writers are serialised (`_write_lock`): an id or version is computed from the state, written, and read
back before the next writer looks. Readers take the short state lock only.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from schemaregistry.config import COMPATIBILITY_LEVELS, MODES, RegistryConfig
from schemaregistry.errors import (
    IncompatibleSchemaError,
    InvalidCompatibilityError,
    InvalidModeError,
    InvalidSchemaError,
    InvalidSubjectError,
    InvalidVersionError,
    OperationNotPermittedError,
    ReferenceExistsError,
    RegistryError,
    SchemaNotFoundError,
    SubjectCompatibilityNotConfiguredError,
    SubjectModeNotConfiguredError,
    SubjectNotFoundError,
    SubjectNotSoftDeletedError,
    SubjectSoftDeletedError,
    VersionNotFoundError,
    VersionNotSoftDeletedError,
    VersionSoftDeletedError,
)
from schemaregistry.kafkastore import Store, store_for
from schemaregistry.schemas import SCHEMA_TYPES, ParsedSchema, check_compatibility, parse_schema
from schemaregistry.state import RegistryState, SchemaRecord, schema_key, subject_key

log = logging.getLogger("schemaregistry")
MAX_VERSION = 2**31 - 1


@dataclass(frozen=True)
class SchemaRequest:
    """The body of a register / lookup / compatibility request."""

    schema: str
    schema_type: str = "AVRO"
    references: tuple[tuple[str, str, int], ...] = ()
    id: int | None = None
    version: int | None = None

    @classmethod
    def from_body(cls, body: Any) -> SchemaRequest:
        if not isinstance(body, dict):
            raise InvalidSchemaError("The request body must be a JSON object with a 'schema' field")
        schema = body.get("schema")
        if not isinstance(schema, str) or not schema.strip():
            raise InvalidSchemaError("Empty schema")
        schema_type = (body.get("schemaType") or "AVRO").upper()
        if schema_type not in SCHEMA_TYPES:
            raise InvalidSchemaError(f"Invalid schema type {body.get('schemaType')}")
        refs = []
        for ref in body.get("references") or []:
            if not isinstance(ref, dict) or not ref.get("name") or not ref.get("subject"):
                raise InvalidSchemaError(f"Invalid reference {ref!r}: name, subject and version are required")
            try:
                version = int(ref.get("version", -1))
            except (TypeError, ValueError) as exc:
                raise InvalidSchemaError(f"Invalid reference {ref!r}: version is not a number") from exc
            refs.append((str(ref["name"]), str(ref["subject"]), version))
        ident, version = body.get("id"), body.get("version")
        return cls(schema, schema_type, tuple(refs),
                   int(ident) if isinstance(ident, int) and ident > 0 else None,
                   int(version) if isinstance(version, int) and version > 0 else None)


def parse_version(text: str | int) -> int:
    """'latest' and -1 mean the latest version (returned as -1); otherwise 1..2^31-1."""
    if isinstance(text, int):
        value = text
    elif text == "latest":
        return -1
    else:
        try:
            value = int(text)
        except ValueError:
            raise InvalidVersionError(text) from None
    if value == -1:
        return -1
    if not 1 <= value <= MAX_VERSION:
        raise InvalidVersionError(text)
    return value


def check_subject(subject: str) -> str:
    if not subject or (subject.strip() != subject and not subject.strip()) or any(ord(c) < 32 for c in subject):
        raise InvalidSubjectError(subject)
    return subject


class Registry:
    def __init__(self, config: RegistryConfig, store: Store | None = None) -> None:
        self.config = config
        self.store = store or store_for(config)
        self.state = RegistryState()
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._parsed: OrderedDict[tuple[str, str, str], ParsedSchema] = OrderedDict()

    def start(self) -> None:
        self.store.start(self._apply)

    def close(self) -> None:
        self.store.close()

    def _apply(self, key: dict[str, Any], value: dict[str, Any] | None) -> None:
        with self._lock:
            self.state.apply(key, value)

    # -- parsing -----------------------------------------------------------------------------------
    def _resolve_refs(self, refs: tuple[tuple[str, str, int], ...] | list[dict[str, Any]],
                      depth: int = 0) -> tuple[list[ParsedSchema], list[str], list[dict[str, Any]]]:
        """Parsed referenced schemas, their import names, and the references as stored."""
        if depth > 32:
            raise InvalidSchemaError("Too many levels of schema references")
        parsed, names, stored = [], [], []
        for ref in refs:
            name, subject, version = (ref if isinstance(ref, tuple)
                                      else (ref["name"], ref["subject"], int(ref.get("version", -1))))
            with self._lock:
                versions = self.state.records(subject)
                record = (versions[-1] if versions and version == -1
                          else next((r for r in versions if r.version == version), None))
            if record is None:
                raise InvalidSchemaError(
                    f"Invalid schema: reference {name!r} to subject {subject!r} version {version} does not exist"
                )
            parsed.append(self._parse_record(record, depth + 1))
            names.append(name)
            stored.append({"name": name, "subject": subject, "version": record.version})
        return parsed, names, stored

    def _parse_record(self, record: SchemaRecord, depth: int = 0) -> ParsedSchema:
        key = record.content_key
        with self._lock:
            hit = self._parsed.get(key)
            if hit is not None:
                self._parsed.move_to_end(key)
                return hit
        refs, names, _ = self._resolve_refs(record.references, depth)
        parsed = parse_schema(record.schema_type, record.schema, refs, names)
        with self._lock:
            self._parsed[key] = parsed
            if len(self._parsed) > 1000:
                self._parsed.popitem(last=False)
        return parsed

    def parse_request(self, req: SchemaRequest) -> tuple[ParsedSchema, list[dict[str, Any]]]:
        if len(req.schema.encode()) > self.config.max_schema_bytes:
            raise InvalidSchemaError(f"Schema is larger than {self.config.max_schema_bytes} bytes")
        refs, names, stored = self._resolve_refs(req.references)
        try:
            parsed = parse_schema(req.schema_type, req.schema, refs, names)
        except InvalidSchemaError as exc:
            raise InvalidSchemaError(
                f"Invalid schema {req.schema} with refs {stored} of type {req.schema_type}, details: {exc.message}",
                req.schema,
            ) from exc
        return parsed, stored

    # -- config and mode ---------------------------------------------------------------------------
    def compatibility_level(self, subject: str | None) -> str:
        scopes = (subject, None) if subject is not None else (None,)
        with self._lock:
            for scope in scopes:
                level = self.state.configs.get(scope, {}).get("compatibilityLevel")
                if level:
                    return str(level)
        return self.config.default_compatibility

    def get_config(self, subject: str | None, default_to_global: bool = False) -> dict[str, Any]:
        with self._lock:
            config = self.state.configs.get(subject)
        if config and config.get("compatibilityLevel"):
            return dict(config)
        if subject is not None and not default_to_global:
            raise SubjectCompatibilityNotConfiguredError(subject)
        return {"compatibilityLevel": self.compatibility_level(None)}

    def set_config(self, subject: str | None, body: Any) -> dict[str, Any]:
        level = body.get("compatibility") if isinstance(body, dict) else None
        if level is None and isinstance(body, dict):
            level = body.get("compatibilityLevel")
        if not isinstance(level, str) or level.upper() not in COMPATIBILITY_LEVELS:
            raise InvalidCompatibilityError(level)
        level = level.upper()
        if subject is not None:
            check_subject(subject)
        self._mutate(subject_key("CONFIG", subject), {"compatibilityLevel": level})
        return {"compatibility": level}

    def delete_config(self, subject: str | None) -> dict[str, Any]:
        if subject is not None:
            with self._lock:
                if subject not in self.state.configs and subject not in self.state.versions:
                    raise SubjectNotFoundError(subject)
        previous = {"compatibilityLevel": self.compatibility_level(subject)}
        self._mutate(subject_key("CONFIG", subject), None)
        return previous

    def get_mode(self, subject: str | None, default_to_global: bool = False) -> dict[str, Any]:
        with self._lock:
            mode = self.state.modes.get(subject)
            global_mode = self.state.modes.get(None, self.config.default_mode)
        if mode:
            return {"mode": mode}
        if subject is not None and not default_to_global:
            raise SubjectModeNotConfiguredError(subject)
        return {"mode": global_mode}

    def mode_of(self, subject: str | None) -> str:
        with self._lock:
            return self.state.modes.get(subject) or self.state.modes.get(None) or self.config.default_mode

    def set_mode(self, subject: str | None, body: Any, force: bool = False) -> dict[str, Any]:
        mode = body.get("mode") if isinstance(body, dict) else None
        if not isinstance(mode, str) or mode.upper() not in MODES:
            raise InvalidModeError(mode)
        mode = mode.upper()
        if mode == "IMPORT" and not force:
            with self._lock:
                has = bool(self.state.versions.get(subject)) if subject else any(self.state.versions.values())
            if has:
                raise OperationNotPermittedError(
                    "Cannot import since found existing subjects" if subject is None
                    else f"Cannot import since found existing subject {subject}"
                )
        self._mutate(subject_key("MODE", subject), {"mode": mode})
        return {"mode": mode}

    def delete_mode(self, subject: str) -> dict[str, Any]:
        previous = {"mode": self.mode_of(subject)}
        self._mutate(subject_key("MODE", subject), None)
        return previous

    def _writable(self, subject: str | None, importing_ok: bool = True) -> str:
        mode = self.mode_of(subject)
        if mode in ("READONLY", "READONLY_OVERRIDE"):
            raise OperationNotPermittedError(f"Subject {subject} is in read-only mode")
        if mode == "IMPORT" and not importing_ok:
            raise OperationNotPermittedError(f"Subject {subject} is in import mode")
        return mode

    def _mutate(self, key: dict[str, Any], value: dict[str, Any] | None) -> None:
        with self._write_lock:
            self.store.write(key, value)

    # -- subjects and versions ---------------------------------------------------------------------
    def subjects(self, include_deleted: bool = False, prefix: str = "") -> list[str]:
        with self._lock:
            return sorted(s for s in self.state.versions
                          if s.startswith(prefix) and self.state.records(s, include_deleted))

    def _subject_records(self, subject: str, include_deleted: bool) -> list[SchemaRecord]:
        with self._lock:
            records = self.state.records(subject, include_deleted)
        if not records:
            raise SubjectNotFoundError(subject)
        return records

    def versions(self, subject: str, include_deleted: bool = False) -> list[int]:
        return [r.version for r in self._subject_records(subject, include_deleted)]

    def get_version(self, subject: str, version: str | int, include_deleted: bool = False) -> SchemaRecord:
        wanted = parse_version(version)
        records = self._subject_records(subject, include_deleted)
        if wanted == -1:
            return records[-1]
        for r in records:
            if r.version == wanted:
                return r
        raise VersionNotFoundError(wanted)

    def referenced_by(self, subject: str, version: str | int) -> list[int]:
        record = self.get_version(subject, version)
        with self._lock:
            return sorted({r.id for vs in self.state.versions.values() for r in vs.values() if not r.deleted
                           and any(ref.get("subject") == subject and ref.get("version") == record.version
                                   for ref in r.references)})

    # -- ids -----------------------------------------------------------------------------------------
    def schema_by_id(self, schema_id: int, subject: str | None = None) -> SchemaRecord:
        with self._lock:
            records = self.state.records_with_id(schema_id)
        if subject:
            records = [r for r in records if r.subject == subject] or records
        if not records:
            raise SchemaNotFoundError(f"Schema {schema_id} not found")
        return records[0]

    def parsed(self, record: SchemaRecord) -> ParsedSchema:
        return self._parse_record(record)

    def subjects_for_id(self, schema_id: int, include_deleted: bool = False) -> list[SchemaRecord]:
        with self._lock:
            records = [r for r in self.state.records_with_id(schema_id) if include_deleted or not r.deleted]
        if not records:
            raise SchemaNotFoundError(f"Schema {schema_id} not found")
        return records

    def all_schemas(self, prefix: str = "", include_deleted: bool = False, latest_only: bool = False) -> list[SchemaRecord]:
        out = []
        with self._lock:
            for subject in sorted(self.state.versions):
                if not subject.startswith(prefix):
                    continue
                records = self.state.records(subject, include_deleted)
                out += records[-1:] if latest_only else records
        return out

    # -- register / lookup ---------------------------------------------------------------------------
    def lookup(self, subject: str, req: SchemaRequest, include_deleted: bool = False) -> SchemaRecord:
        records = self._subject_records(subject, include_deleted)
        parsed, refs = self.parse_request(req)
        for r in reversed(records):
            if (r.schema_type, r.schema, r.references) == (req.schema_type, parsed.canonical, refs):
                return r
        raise SchemaNotFoundError("Schema not found")

    def register(self, subject: str, req: SchemaRequest) -> int:
        check_subject(subject)
        mode = self._writable(subject)
        parsed, refs = self.parse_request(req)
        with self._write_lock:
            with self._lock:
                all_records = self.state.records(subject, include_deleted=True)
                live = [r for r in all_records if not r.deleted]
                content = (req.schema_type, parsed.canonical, refs)
                for r in reversed(live):
                    if (r.schema_type, r.schema, r.references) == content:
                        if req.id is not None and req.id != r.id:
                            raise OperationNotPermittedError(
                                f"Schema already registered with id {r.id} instead of input id {req.id}"
                            )
                        return r.id
                existing_id = self.state.id_by_content.get(
                    (req.schema_type, parsed.canonical, json.dumps(refs, sort_keys=True))
                )
                max_version = max((r.version for r in all_records), default=0)
            if mode == "IMPORT":
                if req.id is None:
                    raise OperationNotPermittedError("Schema id is required in import mode")
                with self._lock:
                    taken = self.state.content_by_id.get(req.id)
                if taken is not None and taken[:2] != content[:2]:
                    raise OperationNotPermittedError(
                        f"Overwrite new schema with id {req.id} is not permitted."
                    )
                schema_id = req.id
                version = req.version or max_version + 1
            else:
                if req.id is not None and existing_id is not None and req.id != existing_id:
                    raise OperationNotPermittedError(
                        f"Schema already registered with id {existing_id} instead of input id {req.id}"
                    )
                previous = [self._parse_record(r) for r in live]
                level = self.compatibility_level(subject)
                problems = check_compatibility(level, parsed, previous)
                if problems:
                    checked = live[-1] if not level.endswith("_TRANSITIVE") else live[0]
                    details = [p.render() for p in problems]
                    details += [f"{{oldSchemaVersion: {checked.version}}}", f"{{oldSchema: '{checked.schema}'}}",
                                f"{{compatibility: '{level}'}}"]
                    raise IncompatibleSchemaError(subject, details)
                with self._lock:
                    schema_id = existing_id if existing_id is not None else self.state.max_id + 1
                version = max_version + 1
            record = SchemaRecord(subject, version, schema_id, parsed.canonical, req.schema_type, refs)
            self.store.write(schema_key(subject, version), record.value())
        log.info("registered %s version %d id %d (%s)", subject, version, schema_id, req.schema_type)
        return schema_id

    def test_compatibility(self, subject: str, version: str | int | None, req: SchemaRequest,
                           verbose: bool = False) -> dict[str, Any]:
        parsed, _ = self.parse_request(req)
        with self._lock:
            live = self.state.records(subject)
        level = self.compatibility_level(subject)
        if version is None:
            against = live
        else:
            wanted = parse_version(version)
            if not live:
                if wanted == -1:
                    return {"is_compatible": True}  # nothing registered yet: anything goes
                raise SubjectNotFoundError(subject)
            if wanted == -1:
                against = live[-1:]
            else:
                match = [r for r in live if r.version == wanted]
                if not match:
                    raise VersionNotFoundError(wanted)
                against = match
            level = level.removesuffix("_TRANSITIVE")
        problems = check_compatibility(level, parsed, [self._parse_record(r) for r in against])
        out: dict[str, Any] = {"is_compatible": not problems}
        if verbose:
            out["messages"] = [p.render() for p in problems] + ([f"{{compatibility: '{level}'}}"] if problems else [])
        return out

    # -- deletes ---------------------------------------------------------------------------------
    def delete_version(self, subject: str, version: str | int, permanent: bool = False) -> int:
        self._writable(subject, importing_ok=True)
        wanted = parse_version(version)
        with self._write_lock:
            records = self._subject_records(subject, include_deleted=True)
            if wanted == -1:
                live = [r for r in records if not r.deleted]
                if not live:
                    raise SubjectNotFoundError(subject)
                record = live[-1]
            else:
                match = [r for r in records if r.version == wanted]
                if not match:
                    raise VersionNotFoundError(wanted)
                record = match[0]
            if self._is_referenced(subject, record.version):
                raise ReferenceExistsError(f"{{magic=1,keytype=SCHEMA,subject={subject},version={record.version}}}")
            if permanent:
                if not record.deleted:
                    raise VersionNotSoftDeletedError(subject, record.version)
                self.store.write(schema_key(subject, record.version), None)
            else:
                if record.deleted:
                    raise VersionSoftDeletedError(subject, record.version)
                deleted = SchemaRecord(record.subject, record.version, record.id, record.schema,
                                       record.schema_type, record.references, deleted=True)
                self.store.write(schema_key(subject, record.version), deleted.value())
        return record.version

    def delete_subject(self, subject: str, permanent: bool = False) -> list[int]:
        self._writable(subject, importing_ok=True)
        with self._write_lock:
            records = self._subject_records(subject, include_deleted=True)
            live = [r for r in records if not r.deleted]
            for r in records:
                if self._is_referenced(subject, r.version):
                    raise ReferenceExistsError(f"{{magic=1,keytype=SCHEMA,subject={subject},version={r.version}}}")
            if permanent:
                if live:
                    raise SubjectNotSoftDeletedError(subject)
                for r in records:
                    self.store.write(schema_key(subject, r.version), None)
                with self._lock:
                    has_config, has_mode = subject in self.state.configs, subject in self.state.modes
                if has_config:
                    self.store.write(subject_key("CONFIG", subject), None)
                if has_mode:
                    self.store.write(subject_key("MODE", subject), None)
                return [r.version for r in records]
            if not live:
                raise SubjectSoftDeletedError(subject)
            self.store.write(subject_key("DELETE_SUBJECT", subject),
                             {"subject": subject, "version": max(r.version for r in records)})
            return [r.version for r in live]

    def _is_referenced(self, subject: str, version: int) -> bool:
        with self._lock:
            return any(not r.deleted and any(ref.get("subject") == subject and ref.get("version") == version
                                             for ref in r.references)
                       for vs in self.state.versions.values() for r in vs.values())

    def healthy(self) -> bool:
        return self.store.healthy()


__all__ = ["Registry", "RegistryError", "SchemaRequest", "parse_version"]
