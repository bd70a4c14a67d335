"""The metastore: every stream and table with its schema, topic and serde settings."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ksqlserver.catalog.types import LogicalSchema
from ksqlserver.errors import KsqlStatementError
from ksqlserver.formats import Serde, SerdeOptions, get_format

if TYPE_CHECKING:
    from ksqlserver.sql import ast


@dataclass(frozen=True)
class WindowInfo:
    kind: str  # TUMBLING, HOPPING, SESSION
    size_ms: int | None = None


@dataclass
class DataSource:
    """A stream or table: schema, topic, formats and the statement that created it."""

    name: str
    kind: str  # STREAM or TABLE
    schema: LogicalSchema
    topic: str
    key_format: str
    value_format: str
    key_options: SerdeOptions = field(default_factory=SerdeOptions)
    value_options: SerdeOptions = field(default_factory=SerdeOptions)
    timestamp_column: str | None = None
    timestamp_format: str | None = None
    window: WindowInfo | None = None
    statement: str = ""
    is_source: bool = False
    is_sink: bool = False  # created by CREATE ... AS SELECT

    @property
    def is_table(self) -> bool:
        return self.kind == "TABLE"

    @property
    def row_width(self) -> int:
        """Entries of a source row: the columns, ROWTIME, ROWPARTITION, ROWOFFSET and, for a windowed
        source, WINDOWSTART and WINDOWEND (a null-value record's row has one more: its marker)."""
        return len(self.schema.columns) + (5 if self.window is not None else 3)

    @property
    def empty_key(self) -> bool:
        """A key-less source whose key format has a serde for the empty key (JSON, DELIMITED, AVRO,
        PROTOBUF, PROTOBUF_NOSR, JSON_SR: GenericKeySerDe over an empty PersistenceSchema): its records'
        keys are read (a bad one fails the record) and a non-null key is written as that format's empty
        record."""
        return not self.schema.key and get_format(self.key_format).empty_key_struct

    @cached_property
    def key_serde(self) -> Serde:
        """Other key-less sources read no key bytes and write null keys, as the void serdes of ksqlDB's
        KAFKA and NONE formats (KafkaSerdeFactory, NoneFormat: KsqlVoidSerde) do."""
        fmt = get_format("NONE" if not self.schema.key and not self.empty_key else self.key_format)
        return fmt.serde(self.schema.key, self.key_options, True)

    @cached_property
    def value_serde(self) -> Serde:
        return get_format(self.value_format).serde(self.schema.value_only, self.value_options, False)

    @property
    def key_features(self) -> tuple[str, ...]:
        return get_format(self.key_format).features(self.schema.key, self.key_options, True)

    @property
    def value_features(self) -> tuple[str, ...]:
        return get_format(self.value_format).features(self.schema.value_only, self.value_options, False)


class MetaStore:
    """Sources by name; thread-safe (persistent query threads read it while statements change it)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._sources: dict[str, DataSource] = {}
        # CREATE TYPE registrations: name -> its type as written (other custom names in it resolved)
        self.types: dict[str, ast.Type] = {}
        # ksqlDB's drop constraints: source -> the sinks of CREATE ... AS SELECT statements that read it.
        # They outlive a TERMINATE of the query and go when the sink is dropped (MetaStoreImpl).
        self._readers: dict[str, set[str]] = {}

    def copy(self) -> MetaStore:
        """MetaStoreImpl.copy (KsqlEngine.createSandbox): the same sources and types in new maps, so a
        sandbox changes its copy only (sources are replaced on change, never mutated)."""
        other = MetaStore()
        with self._lock:
            other._sources = dict(self._sources)
            other.types = dict(self.types)
            other._readers = {name: set(readers) for name, readers in self._readers.items()}
        return other

    def get(self, name: str) -> DataSource | None:
        with self._lock:
            return self._sources.get(name)

    def require(self, name: str) -> DataSource:
        src = self.get(name)
        if src is None:
            raise KsqlStatementError(f"{name} does not exist.")
        return src

    def put(self, source: DataSource) -> None:
        with self._lock:
            self._sources[source.name] = source

    def remove(self, name: str) -> DataSource | None:
        with self._lock:
            for readers in self._readers.values():  # what `name` read may be dropped once it is gone
                readers.discard(name)
            return self._sources.pop(name, None)

    def add_references(self, sink: str, sources: Iterable[str]) -> None:
        """`sink` was created AS SELECT from `sources`: they cannot be dropped while it exists."""
        with self._lock:
            for source in sources:
                if source != sink:
                    self._readers.setdefault(source, set()).add(sink)

    def readers(self, name: str) -> list[str]:
        """The sinks created AS SELECT from `name`, sorted."""
        with self._lock:
            return sorted(self._readers.get(name, ()))

    def all(self) -> list[DataSource]:
        with self._lock:
            return list(self._sources.values())

    def by_topic(self, topic: str) -> list[DataSource]:
        with self._lock:
            return [s for s in self._sources.values() if s.topic == topic]


def did_you_mean(metastore: MetaStore, name: str, kind: str | None = None) -> str:
    """ksqlDB's hint for a source that does not exist: the sources whose names differ only in case (of
    `kind`, STREAM or TABLE, when given), "" when there are none."""
    matches = sorted(
        (s for s in metastore.all() if s.name.lower() == name.lower() and (kind is None or s.kind == kind)),
        key=lambda s: s.name,
    )
    if not matches:
        return ""
    if len(matches) == 1:
        m = matches[0].name
        if any(c.islower() for c in m):
            return f'\nDid you mean "{m}"? Hint: wrap the source name in double quotes to make it case-sensitive.'
        return f"\nDid you mean {m}? Hint: try removing double quotes from the source name."
    parts = []
    n = len(matches)
    for i, s in enumerate(matches):
        punct = ", " if i < n - 2 else ((" or " if i == 0 else ", or ") if i == n - 2 else "? ")
        parts.append(f'"{s.name}" ({s.kind}){punct}')
    return (
        "\nDid you mean "
        + "".join(parts)
        + "Hint: wrap the source name in double quotes to make it case-sensitive."
    )


def unknown_source_message(metastore: MetaStore, name: str) -> str:
    """A query's FROM or JOIN source that does not exist: DataSourceExtractor.visitAliasedRelation throws
    "<name> does not exist." and its hint, without a location, and EngineContext.prepare wraps that
    KsqlException as "Exception while preparing statement: <message>"."""
    return f"Exception while preparing statement: {name} does not exist.{did_you_mean(metastore, name)}"
