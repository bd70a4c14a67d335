"""The %%ksql magics against a secured KSQL server (HTTPS with the stack's own CA, HTTP basic auth), as
`fraudlab stack up --security sasl_ssl` runs it: the credentials come from the stack's record (its state
dir's stack.json and client config) or a client properties file, and a client without them gets one line
saying why, no traceback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from fraudlab.magics import KsqlMagics, default_connection, stack_connection
from fraudlab.magics.magic import _connect_arguments
from fraudlab.stack.security import KSQL_USER, ensure_material, write_client_config
from ksqlserver.config import Secret, ServerConfig
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(the server's https URL, the state dir of a stack record naming it and its client config)."""
    state = tmp_path_factory.mktemp("secured-stack")
    material = ensure_material(state, "sasl_ssl", "127.0.0.1")
    driver = MemoryDriver()
    driver.create_topic("cards", partitions=1)
    driver.produce("cards", [Record(None, json.dumps({"ID": i}).encode(), 1_000 + i) for i in range(3)])
    config = ServerConfig(port=0, credentials={KSQL_USER: Secret(material.passwords[KSQL_USER])},
                          tls_cert=material.pem("ksql"), tls_key=material.key("ksql"))
    with BackgroundServer(Engine(EngineConfig(service_id="secmagic_"), driver), config) as srv:
        client_config = write_client_config(material, "127.0.0.1:1", srv.url)
        (state / "stack.json").write_text(json.dumps({
            "bootstrap_servers": "127.0.0.1:1", "ksql_url": srv.url, "security": "sasl_ssl",
            "client_config": str(client_config)}))
        yield srv.url, state


@pytest.fixture()
def shell(monkeypatch: pytest.MonkeyPatch) -> Iterator[InteractiveShell]:
    # ksql-python-ng trusts the server's CA through SSL_CERT_FILE: put it back after each test
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    yield InteractiveShell.instance()


def run(ip: InteractiveShell, source: str) -> tuple[Any, str]:
    with capture_output() as out:
        result = ip.run_cell(source)
    return result, out.stdout + out.stderr


def test_the_stack_record_gives_url_user_and_ca(secured: tuple[str, Path]) -> None:
    url, state = secured
    config = stack_connection(state)
    assert config is not None and config.url == url and config.username == KSQL_USER
    assert config.password is not None and str(config.password) not in repr(config)
    assert config.ca_location and Path(config.ca_location).read_text().startswith("-----BEGIN CERTIFICATE")
    assert stack_connection(state / "nowhere") is None
    # the environment names the stack (or a client config) the same way
    assert default_connection({"FRAUDLAB_STATE_DIR": str(state)}) == config
    by_file = default_connection({"FRAUDLAB_CLIENT_CONFIG": str(state / "security" / "client.properties")})
    assert (by_file.url, by_file.username, by_file.ca_location) == (url, KSQL_USER, config.ca_location)
    assert default_connection({"FRAUDLAB_KSQL_URL": "http://h:1"}).username is None


def test_statements_and_push_queries_over_https_with_basic_auth(
    secured: tuple[str, Path], shell: InteractiveShell
) -> None:
    url, state = secured
    shell.register_magics(KsqlMagics(shell, "http://127.0.0.1:9"))
    ok, printed = run(shell, f"%ksql_connect --state-dir {state}")
    assert ok.success, printed
    assert f"at {url}" in printed and f"as user {KSQL_USER}" in printed
    created, printed = run(shell, "%ksql CREATE STREAM cards_s (ID INT) WITH (kafka_topic='cards', "
                                  "value_format='JSON');")
    assert created.success, printed
    rows, printed = run(shell, "%%ksql -o t_rows --limit 3 --timeout 20 --no-live\n"
                               "SET 'auto.offset.reset'='earliest';\nSELECT ID FROM cards_s EMIT CHANGES;")
    assert rows.success, printed
    assert sorted(shell.user_ns["t_rows"]["ID"]) == [0, 1, 2]
    # the same URL again keeps the credentials: they are for this server
    again, printed = run(shell, f"%ksql_connect {url}")
    assert again.success and f"as user {KSQL_USER}" in printed, printed


@pytest.mark.parametrize(
    ("how", "reason"),
    [("no-credentials", "HTTP 401: the server requires basic auth and refused no credentials"),
     ("wrong-password", "HTTP 401: the server requires basic auth and refused user"),
     ("no-ca", "the server's certificate is not trusted")],
)
def test_a_client_without_the_stacks_credentials_gets_one_line(
    secured: tuple[str, Path], shell: InteractiveShell, tmp_path: Path, how: str, reason: str
) -> None:
    url, state = secured
    shell.register_magics(KsqlMagics(shell, "http://127.0.0.1:9"))
    props = (state / "security" / "client.properties").read_text()
    if how == "no-credentials":
        ca = next(ln.split("=", 1)[1] for ln in props.splitlines() if "ssl.ca.location" in ln and "ksql" in ln)
        # trusted, but without a user
        bad = tmp_path / "ca-only.properties"
        bad.write_text(f"fraudlab.ksql.url={url}\nfraudlab.ksql.ssl.ca.location={ca}\n")
        line = f"%ksql_connect --client-config {bad}"
    elif how == "wrong-password":
        bad = tmp_path / "wrong.properties"
        bad.write_text("\n".join(ln if "basic.auth.user.info" not in ln else
                                 f"fraudlab.ksql.basic.auth.user.info={KSQL_USER}:nope"
                                 for ln in props.splitlines()) + "\n")
        line = f"%ksql_connect --client-config {bad}"
    else:
        line = f"%ksql_connect {url}"  # not the recorded stack of this project: no credentials, no CA
    refused, printed = run(shell, line)
    assert not refused.success
    lines = [ln for ln in printed.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in printed, printed
    assert lines[0].startswith(f"cannot reach the KSQL server at {url}: ") and reason in lines[0], lines[0]


def test_connect_arguments() -> None:
    assert _connect_arguments("") == ("", None, None)
    assert _connect_arguments("https://h:1 --state-dir=/s") == ("https://h:1", Path("/s"), None)
    assert _connect_arguments("--client-config '/a b/c.properties'") == ("", None, Path("/a b/c.properties"))
    for bad, why in [("--state-dir", "needs a value"), ("--nope", "unknown option"), ("http://a http://b", "one URL")]:
        with pytest.raises(Exception, match=why):
            _connect_arguments(bad)
