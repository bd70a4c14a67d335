"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.util.MigrationsUtilTest`: the client options
built from the config (MigrationsUtil.createClientOptions)."""

from __future__ import annotations

from ksqlserver.migrations.client import create_client_options

NON_TLS_URL = "http://localhost:8088"
TLS_URL = "https://localhost:8088"


def test_should_create_non_tls_client_options() -> None:
    """shouldCreateNonTlsClientOptions: no TLS, so the stores stay "" whatever is given"""
    options = create_client_options(NON_TLS_URL, "user", "pass", None, "", None, None, "", "foo", False, True, None)
    assert options.use_tls is False
    assert (options.basic_auth_username, options.basic_auth_password) == ("user", "pass")
    assert (options.trust_store, options.trust_store_password) == ("", "")
    assert (options.key_store, options.key_store_password, options.key_password, options.key_alias) == ("", "", "", "")
    assert options.use_alpn is False
    assert options.verify_host is True
    assert options.request_headers == {}
    assert (options.host, options.port) == ("localhost", 8088)


def test_should_create_tls_client_options() -> None:
    """shouldCreateTlsClientOptions"""
    headers = {"h1": "v1", "h2": "v2"}
    options = create_client_options(TLS_URL, "user", "pass", "abc", None, None, None, None, None, True, True, headers)
    assert options.use_tls is True
    assert (options.basic_auth_username, options.basic_auth_password) == ("user", "pass")
    assert (options.trust_store, options.trust_store_password) == ("abc", "")
    assert (options.key_store, options.key_store_password, options.key_password, options.key_alias) == ("", "", "", "")
    assert options.use_alpn is True
    assert options.verify_host is True
    assert options.request_headers == headers
