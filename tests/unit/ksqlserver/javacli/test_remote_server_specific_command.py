"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.console.cmd.RemoteServerSpecificCommandTest` (ksqldb-cli): the
`server` command. The mocked client becomes a client whose /info answer the test chooses (`Scripted`), or a
real server, or a port nobody listens on."""

from __future__ import annotations

import io
import socket
from typing import Any

import pytest

from ksqlserver.console import ConsoleError
from ksqlserver.console.client import Response, RestClient, RestClientError
from ksqlserver.console.commands import HELP_TEXTS
from ksqlserver.console.session import Cli
from ksqlserver.console.terminal import Terminal

INITIAL_SERVER_ADDRESS = "http://192.168.0.1:8080"
VALID_SERVER_ADDRESS = "http://localhost:8088"
CCLOUD_SERVER_ADDRESS = "https://pksqlc-abcde.us-west-2.aws.confluent.cloud:443"
SSL_DOC_URL = (
    "https://docs.ksqldb.io/en/latest/operate-and-deploy/installation/server-config/security/"
    "#configure-the-cli-for-https"
)


class Scripted(RestClient):
    """/info answers: `default_` at the valid address, the Confluent Cloud id at the cloud one, or `error`."""

    def __init__(self, error: Exception | Response | None = None) -> None:
        super().__init__(INITIAL_SERVER_ADDRESS)
        self.error = error

    def server_info(self) -> Response:
        if isinstance(self.error, Exception):
            raise self.error
        if isinstance(self.error, Response):
            return self.error
        service = "pksqlc-abcde" if self.server == CCLOUD_SERVER_ADDRESS else "default_"
        return Response(200, {"version": "0.29.0", "ksqlServiceId": service, "serverStatus": "RUNNING"})


def _run(args: list[str], client: RestClient) -> tuple[Cli, str]:
    out = io.StringIO()
    cli = Cli(client, Terminal(out, 0))
    cli.last_command_sequence_number = 7
    cli.maybe_handle_cli_command(" ".join(["server", *args]))
    return cli, out.getvalue()


def test_should_set_rest_client_server_address_when_non_empty_string_arg() -> None:
    cli, _ = _run([VALID_SERVER_ADDRESS], Scripted())
    assert cli.client.server == VALID_SERVER_ADDRESS


def test_should_throw_if_rest_client_throws_on_set() -> None:
    with pytest.raises(ConsoleError, match="The supplied serverAddress is invalid: localhost:8088"):
        _run(["localhost:8088"], Scripted())


def test_should_print_server_address_when_empty_string_arg() -> None:
    cli, out = _run([], Scripted())
    assert out == INITIAL_SERVER_ADDRESS + "\n"
    assert cli.client.server == INITIAL_SERVER_ADDRESS
    assert cli.last_command_sequence_number == 7  # not reset


def test_should_print_error_when_cant_connect_to_new_address() -> None:
    _, out = _run([VALID_SERVER_ADDRESS], Scripted(RestClientError("Failed to connect", "Boom")))
    assert "Boom" in out
    assert "Failed to connect" in out


def test_should_print_error_when_nothing_listens() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
    _, out = _run([url], RestClient(INITIAL_SERVER_ADDRESS))
    assert "Error issuing GET to KSQL server. path:/info\nCaused by: " in out


def test_should_output_new_server_details() -> None:
    _, out = _run([VALID_SERVER_ADDRESS], Scripted())
    assert "Server now: " + VALID_SERVER_ADDRESS in out


def test_should_print_error_on_error_response_from_rest_client() -> None:
    _, out = _run([VALID_SERVER_ADDRESS], Scripted(Response(500, {"error_code": 50000, "message": "it is broken"})))
    assert "it is broken" in out


def test_should_reset_cli_for_new_server() -> None:
    cli, _ = _run([VALID_SERVER_ADDRESS], Scripted())
    assert cli.last_command_sequence_number == -1


def test_should_report_error_if_failed_to_get_remote_ksql_server_info() -> None:
    _, out = _run([VALID_SERVER_ADDRESS], Scripted(RestClientError("failed", "oh no")))
    assert (
        "Remote server at " + VALID_SERVER_ADDRESS + " does not appear to be a valid KSQL\n"
        "server. Please ensure that the URL provided is for an active KSQL server."
    ) in out


def test_should_report_error_if_remote_ksql_server_is_using_ssl() -> None:
    _, out = _run([VALID_SERVER_ADDRESS], Scripted(RestClientError("failed", "oh no", ssl=True)))
    assert (
        "Remote server at " + VALID_SERVER_ADDRESS + " looks to be configured to use HTTPS /\n"
        "SSL. Please refer to the KSQL documentation on how to configure the CLI for SSL:\n" + SSL_DOC_URL
    ) in out


@pytest.mark.parametrize(("address", "ccloud"), [(VALID_SERVER_ADDRESS, False), (CCLOUD_SERVER_ADDRESS, True)])
def test_should_identify_ccloud_server(address: str, ccloud: bool) -> None:
    """shouldIdentifyNonCCloudServer, shouldIdentifyCCloudServer."""
    cli, _ = _run([address], Scripted())
    assert cli.client.is_ccloud is ccloud


def test_should_get_help() -> None:
    assert "server:\n\tShow the current server" in HELP_TEXTS["server"]
    assert "server <server>:\n\tChange the current server to <server>" in HELP_TEXTS["server"]


def test_against_a_real_server(make_resource: Any) -> None:
    server = make_resource(sources=False)
    cli, out = _run([server.server.url], RestClient(INITIAL_SERVER_ADDRESS))
    assert out == f"Server now: {server.server.url}\n"
    assert not cli.client.is_ccloud
    cli.client.close()
