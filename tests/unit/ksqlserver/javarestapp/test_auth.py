"""Port of ksqlDB 0.29 `io.confluent.ksql.api.AuthTest` (ksqldb-rest-app) with what ksqldb-cli's
BasicAuthFunctionalTest adds for /ws/query and /ksql: basic authentication over every endpoint.

The Java test's JAAS realm `KsqlServer-Props` has `harry:changeme` (role `ksql-user`) and `maud:1234` (role
`not-ksql`); `authentication.roles=ksql-user`. Here the same users come from a Jetty-format password file
(`user: password,role`), read by `parse_credentials` / `parse_user_roles` as PropertyFileLoginModule does.
Failures: 401 "Unauthorized" (40100) for bad or missing credentials (Vert.x BasicAuthHandler's HttpException,
turned into a KsqlErrorMessage by FailureHandler), 403 "Forbidden" (40300) for a user without an allowed
role (RoleBasedAuthZHandler). The cases that plug a KsqlAuthorizationProvider or an AuthenticationPlugin
(shouldAllow...WithPermissionCheck, ...WithSecurityPlugin) need Java extension classes and are not ported;
`authentication.skip.paths` (shouldAllowQueryWithSecurityPluginRejectingIfInUnAuthedPaths[WithWildcard]) is,
as AuthHandlers.getAuthenticationSkipPathPattern applies it to basic auth too."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ksqlserver.config import parse_credentials, parse_user_roles
from ksqlserver.drivers.base import Record
from ksqlserver.server.auth import allowed_roles, skip_path_pattern, wildcards_to_regex

USER_WITH_ACCESS = ("harry", "changeme")
USER_WITHOUT_ACCESS = ("john", "bad")
USER_WITH_INCORRECT_ROLE = ("maud", "1234")
PASSWORD_FILE = "harry: changeme,ksql-user\nmaud: 1234,not-ksql\n"
PULL = "SELECT * FROM FOO;"
PUSH = {"sql": "SELECT * FROM FOO EMIT CHANGES;", "properties": {"auto.offset.reset": "earliest"}}


class AuthApp:
    def __init__(self, url: str) -> None:
        self.url = url

    def post(
        self, path: str, body: bytes, auth: tuple[str, str] | None = None, header: str | None = None
    ) -> httpx.Response:
        headers = {"Authorization": header} if header else {}
        with httpx.Client(http2=True, http1=False, timeout=30) as client:
            return client.post(self.url + path, content=body, headers=headers, auth=auth)

    def get(self, path: str, auth: tuple[str, str] | None = None) -> httpx.Response:
        return httpx.get(self.url + path, auth=auth, timeout=30)


def _start(rest: Any, tmp_path: Path, skip_paths: tuple[str, ...] = ()) -> AuthApp:
    users = tmp_path / "password-file"
    users.write_text(PASSWORD_FILE)
    _, driver, server = rest.start(
        server_options={
            "credentials": parse_credentials(str(users)),
            "user_roles": parse_user_roles(str(users)),
            "auth_roles": allowed_roles(["ksql-user"]),
            "auth_realm": "KsqlServer-Props",
            "auth_skip_paths": skip_paths,
        }
    )
    driver.create_topic("foo", 1, 1)
    driver.produce("foo", [Record(b"1234", json.dumps({"V": i}).encode(), i, 0) for i in range(3)])
    r = httpx.post(
        server.url + "/ksql",
        json={
            "ksql": "CREATE STREAM FOO (ROWKEY STRING KEY, V INT) WITH (kafka_topic='foo', value_format='json');"
        },
        auth=USER_WITH_ACCESS,
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return AuthApp(server.url)


@pytest.fixture()
def app(rest: Any, tmp_path: Path) -> Iterator[AuthApp]:
    yield _start(rest, tmp_path)


def _inserts_body() -> bytes:
    rows = [json.dumps({"target": "FOO"}), *(json.dumps({"ROWKEY": "k", "V": i}) for i in range(2))]
    return ("\n".join(rows) + "\n").encode()


REQUESTS = {
    "/query-stream": json.dumps(PUSH).encode(),
    "/close-query": json.dumps({"queryId": "foo"}).encode(),
    "/inserts-stream": _inserts_body(),
}


def _assert_error(r: httpx.Response, status: int, message: str, code: int) -> None:
    assert r.status_code == status, r.text
    assert r.json() == {"@type": "generic_error", "error_code": code, "message": message}


@pytest.mark.parametrize("path", list(REQUESTS))
@pytest.mark.parametrize("user", [USER_WITHOUT_ACCESS, None], ids=["bad-credentials", "no-credentials"])
def test_should_fail_with_bad_or_no_credentials(
    app: AuthApp, path: str, user: tuple[str, str] | None
) -> None:
    """AuthTest.shouldFail{Query,CloseQuery,InsertRequest}With{Bad,No}Credentials: 401, ERROR_CODE_UNAUTHORIZED,
    "Unauthorized"; Vert.x's BasicAuthHandler names the realm in WWW-Authenticate"""
    r = app.post(path, REQUESTS[path], auth=user)
    _assert_error(r, 401, "Unauthorized", 40100)
    assert r.headers["www-authenticate"] == 'Basic realm="KsqlServer-Props"'


@pytest.mark.parametrize("path", list(REQUESTS))
def test_should_fail_with_incorrect_role(app: AuthApp, path: str) -> None:
    """AuthTest.shouldFail{Query,CloseQuery,InsertRequest}WithIncorrectRole: 403, ERROR_CODE_FORBIDDEN, "Forbidden\""""
    _assert_error(app.post(path, REQUESTS[path], auth=USER_WITH_INCORRECT_ROLE), 403, "Forbidden", 40300)


def test_should_reject_non_basic_authorization_header(app: AuthApp) -> None:
    """AuthTest.shouldRejectRequestIfJaasConfiguredWIthNoSecurityPluginAndNotBasicAuth: a BEARER header with
    only JAAS configured is 401 (AuthHandlers.selectHandler)"""
    r = app.post("/query-stream", json.dumps({"sql": PULL}).encode(), header="BEARER quydwquywdg")
    _assert_error(r, 401, "Unauthorized", 40100)


def test_should_execute_pull_query_with_credentials(app: AuthApp) -> None:
    """AuthTest.shouldExecutePullQueryWithApiSecurityContext: the authorised user's pull query runs"""
    r = app.post("/query-stream", json.dumps({"sql": PULL}).encode(), auth=USER_WITH_ACCESS)
    assert r.status_code == 200, r.text
    meta, *rows = [json.loads(line) for line in r.text.split("\n") if line.strip()]
    assert meta["columnNames"] == ["ROWKEY", "V"]
    assert rows == [["1234", 0], ["1234", 1], ["1234", 2]]


def test_should_stream_inserts_with_credentials(app: AuthApp) -> None:
    """AuthTest.shouldStreamInsertsWithApiSecurityContext / shouldInsertWithAcksStream"""
    r = app.post("/inserts-stream", _inserts_body(), auth=USER_WITH_ACCESS)
    assert r.status_code == 200, r.text
    assert r.text == '{"status":"ok","seq":0}\n{"status":"ok","seq":1}\n'


def test_should_close_query_with_credentials(app: AuthApp) -> None:
    """AuthTest.shouldCloseQueryWithApiSecurityContext: /close-query ends the user's push query"""
    received: list[str] = []
    got, done = threading.Event(), threading.Event()

    def run() -> None:
        with (
            httpx.Client(http2=True, http1=False, timeout=30, auth=USER_WITH_ACCESS) as client,
            client.stream("POST", app.url + "/query-stream", content=json.dumps(PUSH).encode()) as r,
        ):
            for line in r.iter_lines():
                if line.strip():
                    received.append(line)
                if len(received) >= 2:
                    got.set()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert got.wait(15)
    query_id = json.loads(received[0])["queryId"]
    r = app.post("/close-query", json.dumps({"queryId": query_id}).encode(), auth=USER_WITH_ACCESS)
    assert r.status_code == 200, r.text
    assert done.wait(15)


def test_should_allow_info_with_credentials(app: AuthApp) -> None:
    """AuthTest.shouldAllowInfoWithPermissionCheck (GET /info as the user with access)"""
    assert app.get("/info", auth=USER_WITH_ACCESS).status_code == 200
    _assert_error(app.get("/info"), 401, "Unauthorized", 40100)


@pytest.mark.parametrize("path", ["/v1/metadata/id", "/v1/metadata", "/healthcheck"])
def test_should_allow_skipped_paths_without_authentication(app: AuthApp, path: str) -> None:
    """AuthTest.shouldAllowServiceMetadataIdWithoutAuthentication: AuthHandlers.KSQL_AUTHENTICATION_SKIP_PATHS"""
    assert app.get(path).status_code == 200


@pytest.mark.parametrize("skip", ["/query-stream", "/query*"])
def test_should_allow_query_in_unauthed_paths(rest: Any, tmp_path: Path, skip: str) -> None:
    """AuthTest.shouldAllowQueryWithSecurityPluginRejectingIfInUnAuthedPaths[WithWildcard]:
    `authentication.skip.paths` lets /query-stream through without credentials; other paths still need them"""
    app = _start(rest, tmp_path, skip_paths=(skip,))
    r = app.post("/query-stream", json.dumps({"sql": PULL}).encode())
    assert r.status_code == 200, r.text
    _assert_error(app.post("/inserts-stream", _inserts_body()), 401, "Unauthorized", 40100)


def _ws_status(url: str, header: str | None) -> int:
    """The status of a /ws/query upgrade (BasicAuthFunctionalTest.makeWsRequest)"""
    key = base64.b64encode(b"0123456789abcdef").decode()
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": key,
    }
    if header:
        headers["Authorization"] = header
    request = json.dumps({"ksql": "SELECT * FROM FOO EMIT CHANGES;", "streamsProperties": {}})
    with (
        httpx.Client(timeout=30) as client,
        client.stream("GET", url + "/ws/query", params={"request": request}, headers=headers) as r,
    ):
        return r.status_code


def _basic(user: tuple[str, str]) -> str:
    return "Basic " + base64.b64encode(f"{user[0]}:{user[1]}".encode()).decode()


def test_websocket_query_needs_credentials(app: AuthApp) -> None:
    """BasicAuthFunctionalTest.shouldNotBeAbleToUseWs{WithNoCreds,WithInvalidPassword,WithUnknownUser,
    WithValidCredsIfUserHasNoAccessToThisCluster} / shouldBeAbleToUseWsWithValidCreds"""
    assert _ws_status(app.url, None) == 401
    assert _ws_status(app.url, _basic(("harry", "wrong"))) == 401
    assert _ws_status(app.url, _basic(USER_WITHOUT_ACCESS)) == 401
    assert _ws_status(app.url, _basic(USER_WITH_INCORRECT_ROLE)) == 403
    assert _ws_status(app.url, _basic(USER_WITH_ACCESS)) == 101


def test_ksql_endpoint_error_codes(app: AuthApp) -> None:
    """BasicAuthFunctionalTest.shouldNotBeAbleToUseCli...: /ksql answers ERROR_CODE_UNAUTHORIZED for a wrong
    password or an unknown user, ERROR_CODE_FORBIDDEN for a user without the cluster's role"""
    body = json.dumps({"ksql": "SHOW STREAMS;"}).encode()
    assert app.post("/ksql", body, auth=("harry", "wrong")).json()["error_code"] == 40100
    assert app.post("/ksql", body, auth=("Unknown-user", "some password")).json()["error_code"] == 40100
    assert app.post("/ksql", body, auth=USER_WITH_INCORRECT_ROLE).json()["error_code"] == 40300
    assert app.post("/ksql", body, auth=USER_WITH_ACCESS).status_code == 200


def test_role_parsing() -> None:
    """RoleBasedAuthZHandler: `*` entries are dropped, `**` allows any role"""
    assert allowed_roles(["**"]) is None
    assert allowed_roles(["*", "admin"]) == ("admin",)
    assert allowed_roles(["*"]) == ()


def test_skip_path_pattern() -> None:
    """AuthHandlers.getAuthenticationSkipPathPattern / ServerUtils.convertCommaSeparatedWilcardsToRegex"""
    assert wildcards_to_regex(["/lag", "/heart*", "a.b-c"]).pattern == "/lag|/heart.*|a\\.b\\-c"
    pattern = skip_path_pattern(["/query*"])
    assert pattern.fullmatch("/query-stream") and pattern.fullmatch("/healthcheck")
    assert not pattern.fullmatch("/ksql") and not pattern.fullmatch("/v1/metadata/idx")


def test_server_settings_from_properties(tmp_path: Path) -> None:
    """KsqlRestConfig's authentication.roles / .realm / .skip.paths and a JAAS PropertyFileLoginModule password
    file (`user: password,role,...`) become the server's settings"""
    from ksqlserver.cli import build_configs, build_parser

    users = tmp_path / "password-file"
    users.write_text("# JAAS users\n" + PASSWORD_FILE)
    args = build_parser().parse_args(
        ["--bootstrap-servers", "memory://", "--basic-auth", str(users),
         "-p", "authentication.roles=ksql-user,admin", "-p", "authentication.realm=KsqlServer-Props",
         "-p", "authentication.skip.paths=/lag,/heartbeat"]
    )  # fmt: skip
    server, _ = build_configs(args)
    assert {u: s.value for u, s in server.credentials.items()} == {"harry": "changeme", "maud": "1234"}
    assert server.user_roles == {"harry": ("ksql-user",), "maud": ("not-ksql",)}
    assert server.auth_roles == ("ksql-user", "admin")
    assert server.auth_realm == "KsqlServer-Props"
    assert server.auth_skip_paths == ("/lag", "/heartbeat")


def test_basic_auth_from_a_jaas_config(tmp_path: Path) -> None:
    """KsqlRestConfig authentication.method=BASIC with authentication.realm: the users of that section of the
    JAAS config (TestBasicJaasConfig's file: PropertyFileLoginModule with a password file)"""
    from ksqlserver.cli import build_configs, build_parser
    from ksqlserver.config import ConfigError

    users = tmp_path / "password-file"
    users.write_text(PASSWORD_FILE)
    jaas = tmp_path / "jaas-config"
    jaas.write_text(
        "KsqlServer-Props {\n  org.eclipse.jetty.jaas.spi.PropertyFileLoginModule required\n"
        f'  file="{users}"\n  debug="true";\n}};\n'
    )

    def configs(*props: str) -> Any:
        argv = ["--bootstrap-servers", "memory://"]
        for p in props:
            argv += ["-p", p]
        return build_configs(build_parser().parse_args(argv))[0]

    server = configs("authentication.method=BASIC", "authentication.realm=KsqlServer-Props",
                     f"java.security.auth.login.config={jaas}", "authentication.roles=ksql-user")  # fmt: skip
    assert set(server.credentials) == {"harry", "maud"}
    assert server.user_roles["harry"] == ("ksql-user",)
    assert configs().credentials == {}
    with pytest.raises(ConfigError, match="String must be one of: NONE, BASIC"):
        configs("authentication.method=DIGEST")
    with pytest.raises(ConfigError, match="no JAAS realm 'Other'"):
        configs("authentication.method=BASIC", "authentication.realm=Other", f"java.security.auth.login.config={jaas}")
