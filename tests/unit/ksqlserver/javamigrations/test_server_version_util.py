"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.util.ServerVersionUtilTest`: which server
versions the tool accepts (KsqlVersion.isAtLeast 6.0 / 0.10) and which take multi-key pull queries (6.1 /
0.14)."""

from __future__ import annotations

import pytest

from ksqlserver.migrations.versions import is_supported_version, version_supports_multi_key_pull_query


def _both(versions: list[str]) -> list[str]:
    return [f"v{v}" for v in versions] + versions


SUPPORTED = _both(["6.0.0", "6.1.0", "6.2.1", "0.10.0", "0.10.1", "0.11.0", "0.14.0", "0.14.0-rc899",
                   "0.14.0-rc899-ksqldb"])
UNSUPPORTED = _both(["5.5.5", "5.4.0", "4.0.1", "0.9.5", "0.8.0", "0.6.0", "0.6.0-rc123", "0.6.0-ksqldb"])
MULTI_KEY = _both(["6.1.0", "6.2.1", "0.14.0", "0.14.1", "0.15.0", "0.15.0-rc899", "0.15.0-rc899-ksqldb"])
NO_MULTI_KEY = _both(["6.0.3", "6.0.0", "5.5.5", "4.0.1", "0.13.5", "0.8.0", "0.6.0", "0.6.0-rc123",
                      "0.6.0-ksqldb"])


@pytest.mark.parametrize("version", SUPPORTED)
def test_should_return_supported_version(version: str) -> None:
    """shouldReturnSupportedVersion"""
    assert is_supported_version(version) is True


@pytest.mark.parametrize("version", UNSUPPORTED)
def test_should_return_unsupported_version(version: str) -> None:
    """shouldReturnUnsupportedVersion"""
    assert is_supported_version(version) is False


@pytest.mark.parametrize("version", MULTI_KEY)
def test_should_return_multi_key_pull_queries_supported(version: str) -> None:
    """shouldReturnMultiKeyPullQueriesSupported"""
    assert version_supports_multi_key_pull_query(version) is True


@pytest.mark.parametrize("version", NO_MULTI_KEY)
def test_should_return_multi_key_pull_queries_unsupported(version: str) -> None:
    """shouldReturnMultiKeyPullQueriesUnsupported"""
    assert version_supports_multi_key_pull_query(version) is False
