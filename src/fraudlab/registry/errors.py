"""Errors of fraudlab's registry layer; each names the registry URL or the subject it concerns."""

from __future__ import annotations

from fraudlab.errors import FraudlabError


class RegistryUnavailableError(FraudlabError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"the schema registry at {url} does not answer ({reason}); start it with 'fraudlab stack up'"
        )
        self.url = url


class SchemaRegistryRequestError(FraudlabError):
    """The registry answered with an error: Confluent's code and message are kept."""

    def __init__(self, what: str, http_status: int, error_code: int, message: str) -> None:
        super().__init__(f"{what}: schema registry error {error_code} (HTTP {http_status}): {message}")
        self.http_status = http_status
        self.error_code = error_code
        self.registry_message = message
