"""Checks for the programs the stack runs on: Java 17+ and Maven."""

from __future__ import annotations

import re
import shutil
import subprocess

from fraudlab.stack.errors import JavaNotFoundError, MavenNotFoundError

MIN_JAVA = 17


def java_major_version(java: str = "java") -> int:
    """The major version of `java`, or JavaNotFoundError if it is missing, unusable or too old."""
    path = shutil.which(java)
    if path is None:
        raise JavaNotFoundError(f"'{java}' was not found on PATH; install a JDK or JRE 17+")
    try:
        out = subprocess.run([path, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise JavaNotFoundError(f"'{path} -version' failed: {exc}") from exc
    text = out.stderr + out.stdout
    match = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if not match:
        raise JavaNotFoundError(f"could not read the version from '{path} -version': {text.strip()[:200]}")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0_392" style
        major = int(match.group(2))
    if major < MIN_JAVA:
        raise JavaNotFoundError(f"'{path}' is Java {major}; Kafka 4 needs Java {MIN_JAVA} or newer")
    return major


def maven_path(maven: str = "mvn") -> str:
    path = shutil.which(maven)
    if path is None:
        raise MavenNotFoundError()
    return path
