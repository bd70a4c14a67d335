"""Reading Confluent's wire format (magic byte 0, 4-byte schema id, payload) and the schemas its ids name.

`SchemaCache` asks the registry once per schema id per process (confluent-kafka's client, which caches
too); what it cannot resolve becomes a `WireFormatError` naming the id and the registry's answer, so a
consumer can dead-letter the record with that reason.
"""

from __future__ import annotations

import struct
import threading
from dataclasses import dataclass
from typing import Any

from fraudlab.errors import FraudlabError
from fraudlab.registry.client import RegistrySettings, registry_client

MAGIC = 0
_HEADER = struct.Struct(">bI")


class WireFormatError(FraudlabError):
    """A record that is not in Confluent's wire format, or whose schema cannot be had; `reason` says why."""

    def __init__(self, reason: str, schema_id: int | None = None, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.schema_id = schema_id
        self.transient = transient  # the registry did not answer: the same record may read later


def split(value: bytes) -> tuple[int, memoryview]:
    """(schema id, payload); WireFormatError for a record without the magic byte."""
    if len(value) < 5 or value[0] != MAGIC:
        first = f"0x{value[0]:02x}" if value else "no bytes"
        raise WireFormatError(
            f"not in Confluent's wire format: magic byte {first}, expected 0x00 (was it written as plain "
            "JSON or DELIMITED? then read it with that value format)"
        )
    return _HEADER.unpack_from(value)[1], memoryview(value)[5:]


@dataclass(frozen=True)
class Registered:
    schema_id: int
    schema_type: str  # AVRO, PROTOBUF, JSON
    schema: str


class SchemaCache:
    """Schemas by id from the registry at `settings.url`, each fetched once; failures are cached only
    when the registry answered (an unknown id stays unknown; an outage is retried)."""

    def __init__(self, settings: RegistrySettings | str) -> None:
        self.settings = RegistrySettings(url=settings) if isinstance(settings, str) else settings
        self._client: Any = None
        self._known: dict[int, Registered | WireFormatError] = {}
        self._lock = threading.Lock()
        self.fetches = 0  # requests for schemas by id that reached the registry

    def get(self, schema_id: int) -> Registered:
        found = self._known.get(schema_id)
        if found is None:
            found = self._fetch(schema_id)
            if not (isinstance(found, WireFormatError) and found.transient):
                with self._lock:
                    self._known[schema_id] = found
        if isinstance(found, WireFormatError):
            raise found
        return found

    def _fetch(self, schema_id: int) -> Registered | WireFormatError:
        from confluent_kafka.schema_registry.error import SchemaRegistryError

        url = self.settings.url
        try:
            if self._client is None:
                self._client = registry_client(self.settings, check=False)
            self.fetches += 1
            schema = self._client.get_schema(schema_id)
        except SchemaRegistryError as exc:
            if exc.http_status_code >= 500 or exc.http_status_code < 0:
                return WireFormatError(
                    f"schema id {schema_id}: the schema registry at {url} failed ({exc.error_message})",
                    schema_id, transient=True,
                )
            return WireFormatError(
                f"schema id {schema_id} is unknown to the schema registry at {url} "
                f"(error {exc.error_code}: {exc.error_message})", schema_id,
            )
        except Exception as exc:
            return WireFormatError(
                f"schema id {schema_id}: the schema registry at {url} does not answer ({type(exc).__name__})",
                schema_id, transient=True,
            )
        return Registered(schema_id, schema.schema_type or "AVRO", schema.schema_str)
