"""The registry's state, rebuilt by applying `_schemas` records in Confluent's key/value JSON layout.

Keys (JSON, key order as Confluent writes them):
  {"keytype":"SCHEMA","subject":S,"version":V,"magic":1}  value: SchemaValue or null (hard delete)
  {"keytype":"CONFIG","subject":S,"magic":0}              value: {"compatibilityLevel":...} or null
  {"keytype":"MODE","subject":S,"magic":0}                value: {"mode":...} or null
  {"keytype":"DELETE_SUBJECT","subject":S,"magic":0}      value: {"subject":S,"version":latest}
  {"keytype":"CLEAR_SUBJECT","subject":S,"magic":0}       value: {"subject":S}
  {"keytype":"NOOP","magic":0}                            value: null
A global CONFIG/MODE key has no "subject" (Confluent omits empty fields).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

SCHEMA_KEY_MAGIC = 1


@dataclass
class SchemaRecord:
    subject: str
    version: int
    id: int
    schema: str
    schema_type: str = "AVRO"
    references: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False

    def value(self) -> dict[str, Any]:
        out: dict[str, Any] = {"subject": self.subject, "version": self.version, "id": self.id}
        if self.schema_type != "AVRO":
            out["schemaType"] = self.schema_type
        if self.references:
            out["references"] = self.references
        out["schema"] = self.schema
        out["deleted"] = self.deleted
        return out

    @property
    def content_key(self) -> tuple[str, str, str]:
        return (self.schema_type, self.schema, json.dumps(self.references, sort_keys=True))


def schema_key(subject: str, version: int) -> dict[str, Any]:
    return {"keytype": "SCHEMA", "subject": subject, "version": version, "magic": SCHEMA_KEY_MAGIC}


def subject_key(keytype: str, subject: str | None) -> dict[str, Any]:
    key: dict[str, Any] = {"keytype": keytype}
    if subject is not None:
        key["subject"] = subject
    key["magic"] = 0
    return key


NOOP_KEY = {"keytype": "NOOP", "magic": 0}


def encode(obj: dict[str, Any] | None) -> bytes | None:
    return None if obj is None else json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


class RegistryState:
    """Plain data plus `apply`; the caller serialises access (one lock in `Registry`)."""

    def __init__(self) -> None:
        self.versions: dict[str, dict[int, SchemaRecord]] = {}
        self.configs: dict[str | None, dict[str, Any]] = {}
        self.modes: dict[str | None, str] = {}
        self.max_id = 0
        # content -> id, kept after deletes so the same schema text gets its id back
        self.id_by_content: dict[tuple[str, str, str], int] = {}
        self.content_by_id: dict[int, tuple[str, str, str]] = {}

    def apply(self, key: dict[str, Any], value: dict[str, Any] | None) -> None:
        keytype = key.get("keytype")
        subject = key.get("subject")
        if keytype == "SCHEMA":
            self._apply_schema(key, value)
        elif keytype == "CONFIG":
            if value is None:
                self.configs.pop(subject, None)
            else:
                self.configs[subject] = {k: v for k, v in value.items() if k != "subject"}
        elif keytype == "MODE":
            if value is None or not value.get("mode"):
                self.modes.pop(subject, None)
            else:
                self.modes[subject] = value["mode"]
        elif keytype == "DELETE_SUBJECT" and value is not None and subject is not None:
            upto = int(value.get("version") or 0)
            for version, record in self.versions.get(subject, {}).items():
                if version <= upto:
                    record.deleted = True
        elif keytype == "CLEAR_SUBJECT" and subject is not None:
            self.versions.pop(subject, None)
        # NOOP and unknown key types (ASSOC, CONTEXT, ... of newer registries) change nothing here

    def _apply_schema(self, key: dict[str, Any], value: dict[str, Any] | None) -> None:
        subject, version = key.get("subject"), key.get("version")
        if not isinstance(subject, str) or not isinstance(version, int):
            return
        if value is None:
            versions = self.versions.get(subject)
            if versions is not None:
                versions.pop(version, None)
                if not versions:
                    del self.versions[subject]
            return
        record = SchemaRecord(
            subject=subject,
            version=version,
            id=int(value["id"]),
            schema=value.get("schema") or "",
            schema_type=value.get("schemaType") or "AVRO",
            references=list(value.get("references") or []),
            deleted=bool(value.get("deleted", False)),
        )
        self.versions.setdefault(subject, {})[version] = record
        self.max_id = max(self.max_id, record.id)
        self.id_by_content.setdefault(record.content_key, record.id)
        self.content_by_id.setdefault(record.id, record.content_key)

    # -- queries ---------------------------------------------------------------------------------
    def records(self, subject: str, include_deleted: bool = False) -> list[SchemaRecord]:
        found = sorted(self.versions.get(subject, {}).values(), key=lambda r: r.version)
        return found if include_deleted else [r for r in found if not r.deleted]

    def records_with_id(self, schema_id: int) -> list[SchemaRecord]:
        return sorted(
            (r for versions in self.versions.values() for r in versions.values() if r.id == schema_id),
            key=lambda r: (r.subject, r.version),
        )
