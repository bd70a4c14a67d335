"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.BasicAuthFunctionalTest` (ksqldb-cli): the CLI's client
(`canMakeCliRequest`: GET /info with the credentials) and the /ws/query endpoint against a server that
requires HTTP basic auth. The Java test's JAAS password file (`user: password,role`) and
`authentication.roles=ksql-11` become the server's credentials, user roles and allowed roles, so a known
user of another cluster gets 403 as RoleBasedAuthZHandler answers."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import websocket

from ksqlserver.config import ServerConfig, parse_credentials, parse_user_roles
from ksqlserver.console.client import RestClient
from ksqlserver.console.main import main
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer
from ksqlserver.server.auth import allowed_roles

USER_WITH_ACCESS = ("harry", "changeme")
USER_NO_ACCESS = ("tom", "changeme")
UNKNOWN_USER = ("Unknown-user", "some password")
ERROR_CODE_UNAUTHORIZED = 40100
ERROR_CODE_FORBIDDEN = 40300
KSQL_CLUSTER_ID = "ksql-11"
PASSWORDS = (
    f"{USER_WITH_ACCESS[0]}: {USER_WITH_ACCESS[1]},{KSQL_CLUSTER_ID}\n"
    f"{USER_NO_ACCESS[0]}: {USER_NO_ACCESS[1]},ksql-other\n"
)


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = Engine(EngineConfig(service_id="default_", processing_log=False), MemoryDriver())
    users = tmp_path_factory.mktemp("basic-auth") / "password-file"
    users.write_text(PASSWORDS)
    config = ServerConfig(
        host="127.0.0.1",
        port=0,
        credentials=parse_credentials(str(users)),
        user_roles=parse_user_roles(str(users)),
        auth_roles=allowed_roles([KSQL_CLUSTER_ID]),
    )
    server = BackgroundServer(engine, config).start()
    yield server.url
    server.stop()
    engine.close()


def can_make_cli_request(url: str, credentials: tuple[str, str]) -> int:
    client = RestClient(url, auth=credentials)
    try:
        r = client.server_info()
        return 200 if r.ok else int(r.body["error_code"])
    finally:
        client.close()


def make_ws_request(url: str, credentials: tuple[str, str] | None) -> int:
    request = quote(json.dumps({"ksql": "SELECT * FROM KSQL_PROCESSING_LOG EMIT CHANGES;"}))
    headers = []
    if credentials is not None:
        token = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode()
        headers.append(f"Authorization: Basic {token}")
    try:
        ws = websocket.create_connection(url.replace("http", "ws", 1) + f"/ws/query?request={request}", header=headers,
                                         timeout=10)
    except websocket.WebSocketBadStatusException as e:
        return int(e.status_code)
    ws.close()
    return 200


def test_should_not_be_able_to_use_ws_with_no_creds(url: str) -> None:
    assert make_ws_request(url, None) == 401


def test_should_not_be_able_to_use_cli_with_invalid_password(url: str) -> None:
    assert can_make_cli_request(url, (USER_WITH_ACCESS[0], "wrong pass")) == ERROR_CODE_UNAUTHORIZED


def test_should_not_be_able_to_use_ws_with_invalid_password(url: str) -> None:
    assert make_ws_request(url, (USER_WITH_ACCESS[0], "wrong pass")) == 401


def test_should_not_be_able_to_use_cli_with_unknown_user(url: str) -> None:
    assert can_make_cli_request(url, UNKNOWN_USER) == ERROR_CODE_UNAUTHORIZED


def test_should_not_be_able_to_use_ws_with_unknown_user(url: str) -> None:
    assert make_ws_request(url, UNKNOWN_USER) == 401


def test_should_not_be_able_to_use_cli_with_valid_creds_if_user_has_no_access_to_this_cluster(url: str) -> None:
    assert can_make_cli_request(url, USER_NO_ACCESS) == ERROR_CODE_FORBIDDEN


def test_should_not_be_able_to_use_ws_with_valid_creds_if_user_has_no_access_to_this_cluster(url: str) -> None:
    assert make_ws_request(url, USER_NO_ACCESS) == 403


def test_should_be_able_to_use_cli_with_valid_creds(url: str) -> None:
    assert can_make_cli_request(url, USER_WITH_ACCESS) == 200


def test_should_be_able_to_use_ws_with_valid_creds(url: str) -> None:
    assert make_ws_request(url, USER_WITH_ACCESS) == 200


def test_the_cli_with_user_and_password(url: str) -> None:
    """`ksql -u harry -p changeme URL -e ...` runs; a wrong password says why the server refused."""
    out = io.StringIO()
    assert main([url, "-u", USER_WITH_ACCESS[0], "-p", USER_WITH_ACCESS[1], "-e", "SHOW STREAMS"], stdout=out) == 0
    assert " Stream Name | Kafka Topic" in out.getvalue()
    out = io.StringIO()
    main([url, "-u", USER_WITH_ACCESS[0], "-p", "wrong", "-e", "SHOW STREAMS"], stdout=out)
    assert "Couldn't connect to the KSQL server: Unauthorized\n" in out.getvalue()
