"""What every schema type offers the registry: parse (raising `SchemaParseError`), a canonical text
that decides identity (same text, same id), and a compatibility check against another version."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from schemaregistry.errors import InvalidSchemaError


class SchemaParseError(InvalidSchemaError):
    """The schema text is not a valid schema of its type; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class Incompatibility:
    """One difference that breaks compatibility, printed in Confluent's detail format."""

    error_type: str
    description: str
    path: str
    additional_info: str

    def render(self) -> str:
        return (
            f"{{errorType:'{self.error_type}', description:'{self.description}', "
            f"additionalInfo:'{self.additional_info}'}}"
        )


class ParsedSchema(ABC):
    schema_type: str
    canonical: str

    @abstractmethod
    def compatibility(self, writer: ParsedSchema, reader_role: str, writer_role: str) -> list[Incompatibility]:
        """Differences that stop a reader with this schema from reading data written with `writer`
        (the roles, 'new' or 'old', only word the messages)."""
