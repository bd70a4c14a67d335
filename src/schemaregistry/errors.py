"""The registry's errors: each carries the HTTP status and Confluent's error code and message, so the
REST layer answers exactly as Confluent Schema Registry does."""

from __future__ import annotations


class RegistryError(Exception):
    """Base of every error this package raises."""

    http_status = 500
    error_code = 50001

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict[str, object]:
        return {"error_code": self.error_code, "message": self.message}


class SubjectNotFoundError(RegistryError):
    http_status, error_code = 404, 40401

    def __init__(self, subject: str) -> None:
        super().__init__(f"Subject '{subject}' not found.")
        self.subject = subject


class VersionNotFoundError(RegistryError):
    http_status, error_code = 404, 40402

    def __init__(self, version: object) -> None:
        super().__init__(f"Version {version} not found.")
        self.version = version


class SchemaNotFoundError(RegistryError):
    http_status, error_code = 404, 40403

    def __init__(self, message: str = "Schema not found") -> None:
        super().__init__(message)


class SubjectSoftDeletedError(RegistryError):
    http_status, error_code = 404, 40404

    def __init__(self, subject: str) -> None:
        super().__init__(f"Subject '{subject}' was soft deleted.Set permanent=true to delete permanently")
        self.subject = subject


class SubjectNotSoftDeletedError(RegistryError):
    http_status, error_code = 404, 40405

    def __init__(self, subject: str) -> None:
        super().__init__(f"Subject '{subject}' was not deleted first before being permanently deleted")
        self.subject = subject


class VersionSoftDeletedError(RegistryError):
    http_status, error_code = 404, 40406

    def __init__(self, subject: str, version: int) -> None:
        super().__init__(
            f"Subject '{subject}' Version {version} was soft deleted.Set permanent=true to delete permanently"
        )


class VersionNotSoftDeletedError(RegistryError):
    http_status, error_code = 404, 40407

    def __init__(self, subject: str, version: int) -> None:
        super().__init__(
            f"Subject '{subject}' Version {version} was not deleted first before being permanently deleted"
        )


class SubjectCompatibilityNotConfiguredError(RegistryError):
    http_status, error_code = 404, 40408

    def __init__(self, subject: str) -> None:
        super().__init__(f"Subject '{subject}' does not have subject-level compatibility configured")


class SubjectModeNotConfiguredError(RegistryError):
    http_status, error_code = 404, 40409

    def __init__(self, subject: str) -> None:
        super().__init__(f"Subject '{subject}' does not have subject-level mode configured")


class IncompatibleSchemaError(RegistryError):
    http_status, error_code = 409, 409

    def __init__(self, subject: str, details: list[str]) -> None:
        super().__init__(
            f'Schema being registered is incompatible with an earlier schema for subject "{subject}", '
            f"details: [{', '.join(details)}]"
        )
        self.subject = subject
        self.details = details


class InvalidSchemaError(RegistryError):
    http_status, error_code = 422, 42201

    def __init__(self, message: str, schema: str | None = None) -> None:
        super().__init__(message)
        self.schema = schema


class InvalidVersionError(RegistryError):
    http_status, error_code = 422, 42202

    def __init__(self, version: object) -> None:
        super().__init__(
            f"The specified version '{version}' is not a valid version id. Allowed values are between "
            "[1, 2^31-1] and the string \"latest\""
        )
        self.version = version


class InvalidCompatibilityError(RegistryError):
    http_status, error_code = 422, 42203

    def __init__(self, level: object) -> None:
        super().__init__(
            "Invalid compatibility level. Valid values are none, backward, forward, full, "
            "backward_transitive, forward_transitive, and full_transitive"
        )
        self.level = level


class InvalidModeError(RegistryError):
    http_status, error_code = 422, 42204

    def __init__(self, mode: object) -> None:
        super().__init__("Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, IMPORT.")
        self.mode = mode


class OperationNotPermittedError(RegistryError):
    http_status, error_code = 422, 42205


class ReferenceExistsError(RegistryError):
    http_status, error_code = 422, 42206

    def __init__(self, key: str) -> None:
        super().__init__(f"One or more references exist to the schema {key}.")


class InvalidSubjectError(RegistryError):
    http_status, error_code = 422, 42208

    def __init__(self, subject: str) -> None:
        super().__init__(f"The specified subject '{subject}' is not a valid.")


class RequestError(RegistryError):
    """Malformed HTTP request: unknown path, bad JSON body, wrong method (plain HTTP codes)."""

    def __init__(self, message: str, http_status: int) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.error_code = http_status


class StoreError(RegistryError):
    """The Kafka-backed store failed (broker down, write not acknowledged)."""

    http_status, error_code = 500, 50001


class StoreTimeoutError(RegistryError):
    http_status, error_code = 500, 50002


class ConfigError(RegistryError):
    """A bad command-line option or configuration value; raised before the server starts."""
