"""Errors of Kafka's command-line tools as fraudlab runs them; each names what is missing and the fix."""

from __future__ import annotations

from pathlib import Path

from fraudlab.errors import FraudlabError


class KafkaToolError(FraudlabError):
    """Base class: a Kafka tool could not be started."""


class UnknownToolError(KafkaToolError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"no Kafka tool named {name!r}; known: {', '.join(known)}")
        self.name = name


class JavaMissingError(KafkaToolError):
    def __init__(self, java: str) -> None:
        super().__init__(
            f"Kafka's tools need Java 17+ and {java!r} was not found (install a JDK or JRE 17+, or set JAVA_HOME)"
        )
        self.java = java


class JarsMissingError(KafkaToolError):
    def __init__(self, lib_dir: Path, jar: str) -> None:
        super().__init__(
            f"the Kafka jars are not in {lib_dir} (no {jar}); fetch them with `fraudlab stack fetch` "
            "(or `make setup`)"
        )
        self.lib_dir = lib_dir
        self.jar = jar
