"""Test directives: `--@type: contents` comments (ksqlDB's TestDirective and DirectiveParser)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from ksqlserver.testing.sqltests.errors import TestParsingError

DIRECTIVE_REGEX = re.compile(r"--@(?P<type>[a-zA-Z.]+):\s*(?P<contents>.*)")
_JAVA_PATTERN = "--@(?<type>[a-zA-Z.]+):\\s*(?<contents>.*)"  # as Pattern.toString prints it


class DirectiveType(enum.Enum):
    TEST = "test"
    EXPECTED_ERROR = "expected.error"
    EXPECTED_MESSAGE = "expected.message"
    UNKNOWN = "UNKNOWN"

    @classmethod
    def of(cls, name: str) -> DirectiveType:
        """Type.from: the lower-cased name, UNKNOWN for any other."""
        for t in cls:
            if t.value == name:
                return t
        return cls.UNKNOWN


@dataclass(frozen=True)
class TestDirective:
    """One directive; equality ignores where it is (as TestDirective.equals does)."""

    __test__ = False  # not a pytest test class

    type: DirectiveType
    contents: str
    line: int = field(default=1, compare=False)
    column: int = field(default=1, compare=False)  # 1-based

    @property
    def location(self) -> str:
        """NodeLocation.toString."""
        return f"Line: {self.line}, Col: {self.column}"

    def __str__(self) -> str:
        return f"--@{self.type.value}: {self.contents}"


def parse_directive(text: str, line: int = 1, column: int = 1) -> TestDirective:
    """DirectiveParser.parse of one comment's text (`column` 1-based)."""
    m = DIRECTIVE_REGEX.search(text.strip())
    if m is None:
        raise TestParsingError(
            f"Expected directive matching pattern {_JAVA_PATTERN} but got {text!r}", line, column
        )
    return TestDirective(DirectiveType.of(m.group("type").lower()), m.group("contents"), line, column)
