"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.ServerUtilTest`: the server's address is its first
listener (ServerUtil.getServerAddress), an invalid one a configuration error, a trailing slash ignored
(parseHostInfo)."""

from __future__ import annotations

import pytest

from ksqlserver.config import ConfigError, parse_listen


def test_should_throw_config_exception_if_invalid_server_address() -> None:
    """ServerUtilTest.shouldThrowConfigExceptionIfInvalidServerAddress"""
    with pytest.raises(ConfigError):
        parse_listen("invalid")


def test_should_return_server_address() -> None:
    """ServerUtilTest.shouldReturnServerAddress: the first of the listeners."""
    assert parse_listen("http://localhost:8088, http://localhost:9099") == ("localhost", 8088)


def test_should_return_server_port_with_trailing_slash() -> None:
    """ServerUtilTest.shouldReturnServerPortWithTrailingSlash"""
    assert parse_listen("http://localhost:8088/")[1] == 8088
