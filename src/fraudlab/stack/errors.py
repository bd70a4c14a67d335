"""Errors of the embedded stack; each names the program, port or file at fault."""

from __future__ import annotations

from pathlib import Path

from fraudlab.errors import FraudlabError


class StackError(FraudlabError):
    """Base class for stack problems."""


class JavaNotFoundError(StackError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"Java 17 or newer is required to run Kafka: {detail}")
        self.detail = detail


class MavenNotFoundError(StackError):
    def __init__(self) -> None:
        super().__init__(
            "Maven ('mvn') is required to fetch the Kafka jars and was not found on PATH; install Maven 3.6+"
        )


class JarFetchError(StackError):
    def __init__(self, pom: Path, log_tail: str) -> None:
        super().__init__(f"could not fetch the jars of {pom} with Maven:\n{log_tail}")
        self.pom = pom
        self.log_tail = log_tail


class PortInUseError(StackError):
    def __init__(self, service: str, port: int, holder: str | None) -> None:
        who = f" by {holder}" if holder else " by another program"
        super().__init__(
            f"port {port} for {service} is already taken{who}; choose another with --{service}-port "
            "or stop that program"
        )
        self.service = service
        self.port = port
        self.holder = holder


class ServiceDiedError(StackError):
    def __init__(self, service: str, log_path: Path, log_tail: str) -> None:
        super().__init__(f"{service} exited while starting; last lines of {log_path}:\n{log_tail}")
        self.service = service
        self.log_path = log_path
        self.log_tail = log_tail


class ServiceTimeoutError(StackError):
    def __init__(self, service: str, seconds: float, log_path: Path, log_tail: str) -> None:
        super().__init__(
            f"{service} did not answer within {seconds:.0f} s; last lines of {log_path}:\n{log_tail}"
        )
        self.service = service
        self.log_path = log_path


class StackConflictError(StackError):
    """A stack already runs in this state directory with other ports."""
