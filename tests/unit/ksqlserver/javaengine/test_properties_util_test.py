"""Port of ksqlDB 0.29 `io.confluent.ksql.properties.PropertiesUtilTest` (shouldLoadPropsFromFile,
shouldLoadPropsFromMultipleFiles, shouldThrowIfFailedToLoadProps, shouldThrowIfPropsFileContainsBlackListedProps)
over ksqlserver.properties_file and the server command line's properties files (KsqlServerMain's
`ksql-server-start <properties file>`). Not ported: applyOverrides / filterByKey / coerceTypes (Java map helpers;
the request-property coercion messages are ported with the REST tests) and the map's immutability."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ksqlserver.cli import build_configs, build_parser
from ksqlserver.config import ConfigError
from ksqlserver.properties_file import load_properties, parse_properties


def _file(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text)
    return f


def test_should_load_props_from_file(tmp_path: Path) -> None:
    """shouldLoadPropsFromFile: comments skipped, values kept as written."""
    f = _file(tmp_path, "a.properties", f"# Comment{os.linesep}some.prop=some value{os.linesep}some.other.prop=124{os.linesep}")
    result = load_properties([f])
    assert result["some.prop"] == "some value" and result["some.other.prop"] == "124"


def test_should_load_props_from_multiple_files(tmp_path: Path) -> None:
    """shouldLoadPropsFromMultipleFiles: a later file's value wins."""
    f = _file(tmp_path, "a.properties", "# Comment\nsome.prop=some value\nsome.other.prop=124\n")
    other = _file(tmp_path, "b.properties", "some.prop=other value\na=b")
    assert load_properties([f, other]) == {"some.prop": "other value", "some.other.prop": "124", "a": "b"}


def test_should_throw_if_failed_to_load_props() -> None:
    """shouldThrowIfFailedToLoadProps."""
    with pytest.raises(ConfigError) as e:
        load_properties([Path("i_do_not_exist")])
    assert "Failed to load properties file: i_do_not_exist" in e.value.message


def test_should_throw_if_props_file_contains_black_listed_props(tmp_path: Path) -> None:
    """shouldThrowIfPropsFileContainsBlackListedProps: every blacklisted name, in one message."""
    f = _file(tmp_path, "a.properties", "java.some.disallowed.setting=something\njava.not.another.one=v")
    with pytest.raises(ConfigError) as e:
        load_properties([f])
    assert "Property file contains the following blacklisted properties" in e.value.message
    assert "java.some.disallowed.setting" in e.value.message and "java.not.another.one" in e.value.message


@pytest.mark.parametrize("prefix", ["java.", "os.", "sun.", "user.", "line.separator", "path.separator", "file.separator"])
def test_every_black_listed_prefix_is_refused(tmp_path: Path, prefix: str) -> None:
    """PropertiesUtil.BLACK_LIST (shouldFilterBlackListedFromOverrides' prefixes)."""
    f = _file(tmp_path, "a.properties", f"{prefix}props.x=unexpected\nshould.not.be.filtered=value")
    with pytest.raises(ConfigError):
        load_properties([f])


def test_java_properties_syntax() -> None:
    """java.util.Properties.load, which loadPropsFromFile uses: `:` and blank separators, `!` comments, line
    continuations, escapes."""
    text = "! comment\n  a : 1\nb 2\nc=x\\\n    y\nd=tab\\there\ne=\\u0041\nf\\=g=h\nempty=\n"
    assert parse_properties(text) == {"a": "1", "b": "2", "c": "xy", "d": "tab\there", "e": "A", "f=g": "h", "empty": ""}


def test_server_command_line_reads_properties_files(tmp_path: Path) -> None:
    """KsqlServerMain: the properties file gives bootstrap.servers, ksql.service.id and listeners; the command
    line's options win over it."""
    f = _file(tmp_path, "ksql-server.properties",
              "bootstrap.servers=memory://\nksql.service.id=svc_\nlisteners=http://0.0.0.0:8099\nksql.extra=1\n")  # fmt: skip
    server, engine = build_configs(build_parser().parse_args([str(f)]))
    assert (server.host, server.port) == ("0.0.0.0", 8099)
    assert engine.service_id == "svc_" and engine.properties["ksql.extra"] == "1"
    assert engine.properties["bootstrap.servers"] == "memory://"
    server, engine = build_configs(build_parser().parse_args([str(f), "--service-id", "other_", "-p", "ksql.extra=2"]))
    assert engine.service_id == "other_" and engine.properties["ksql.extra"] == "2"


def test_server_command_line_needs_bootstrap_servers() -> None:
    with pytest.raises(ConfigError):
        build_configs(build_parser().parse_args([]))
