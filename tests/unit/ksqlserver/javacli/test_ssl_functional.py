"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.SslFunctionalTest` (ksqldb-cli): the CLI's client and /ws/query
against a server listening on HTTPS. The Java test's key stores become a self-signed certificate for
localhost made here; the client trusts it through `ssl.truststore.location` (a PEM file for this CLI)."""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import json
import ssl
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import websocket
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ksqlserver.config import ServerConfig
from ksqlserver.console.client import RestClient, RestClientError
from ksqlserver.console.main import build_client, main
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer

JSON_KSQL_REQUEST = quote(json.dumps({"ksql": "PRINT ORDER_TOPIC FROM BEGINNING;"}))


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "server.pem", directory / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def https(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    cert, key = _certificate(tmp_path_factory.mktemp("tls"))
    driver = MemoryDriver()
    driver.create_topic("ORDER_TOPIC", 1, 1)
    engine = Engine(EngineConfig(service_id="default_", processing_log=False), driver)
    server = BackgroundServer(engine, ServerConfig(host="127.0.0.1", port=0, tls_cert=cert, tls_key=key)).start()
    assert server.url.startswith("https://")
    yield server.url, cert
    server.stop()
    engine.close()


def can_make_cli_request(url: str, client_props: dict[str, str]) -> int:
    client = build_client(url, {}, client_props, None, None)
    try:
        r = client.ksql("show topics;")
        return 200 if r.ok else int(r.body["error_code"])
    finally:
        client.close()


def test_should_not_be_able_to_use_cli_if_client_does_not_trust_server_cert(https: tuple[str, Path]) -> None:
    url, _ = https
    with pytest.raises(RestClientError) as e:
        can_make_cli_request(url, {})
    assert e.value.ssl  # an SSL handshake failure among the causes


def test_should_be_able_to_use_cli_over_https(https: tuple[str, Path]) -> None:
    url, cert = https
    assert can_make_cli_request(url, {"ssl.truststore.location": str(cert)}) == 200


def _ws(url: str, cert: Path | None) -> None:
    sslopt = {"cert_reqs": ssl.CERT_REQUIRED}
    if cert is not None:
        sslopt["ca_certs"] = str(cert)  # type: ignore[assignment]
    ws = websocket.create_connection(url.replace("https", "wss", 1) + f"/ws/query?request={JSON_KSQL_REQUEST}",
                                     sslopt=sslopt, timeout=10)
    ws.close()


def test_should_not_be_able_to_use_wss_if_client_does_not_trust_server_cert(https: tuple[str, Path]) -> None:
    url, _ = https
    with pytest.raises(ssl.SSLError):
        _ws(url, None)


def test_should_be_able_to_use_wss(https: tuple[str, Path]) -> None:
    url, cert = https
    _ws(url, cert)


def test_the_cli_names_the_ssl_problem(https: tuple[str, Path], tmp_path: Path) -> None:
    """RemoteServerSpecificCommand.validateClient: an SSL failure gets the HTTPS hint; with the trust store
    in --config-file the CLI works."""
    url, cert = https
    out = io.StringIO()
    main([url, "-e", "SHOW TOPICS"], stdout=out)
    assert f"Remote server at {url} looks to be configured to use HTTPS /" in out.getvalue()
    config = tmp_path / "cli.properties"
    config.write_text(f"ssl.truststore.location={cert}\n", encoding="utf-8")
    out = io.StringIO()
    assert main([url, "--config-file", str(config), "-e", "SHOW TOPICS"], stdout=out) == 0
    assert " ORDER_TOPIC " in out.getvalue()


def test_a_client_for_https_without_trust_refuses(https: tuple[str, Path]) -> None:
    url, _ = https
    client = RestClient(url)
    with pytest.raises(RestClientError, match=r"Error issuing GET to KSQL server\. path:/info"):
        client.server_info()
    client.close()
