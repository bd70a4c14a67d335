"""The secured profiles' material and settings, without a broker: certificates chain to the stack's CA with
loopback names, passwords stay private, the client config round-trips through `KafkaConfig.from_file`,
and the KSQL server serves HTTPS with basic auth from the same files."""

from __future__ import annotations

import ssl
import stat
from pathlib import Path

import httpx
import pytest
from cryptography import x509

from fraudlab.kafka import KafkaConfig
from fraudlab.kafka.config import ClientConfigError, read_properties
from fraudlab.ksql import KsqlConfig
from fraudlab.stack import StackConfig
from fraudlab.stack.security import (
    USERS,
    SecurityProfileError,
    broker_properties,
    check_profile,
    ensure_material,
    java_client_properties,
    ksql_server_arguments,
    scram_format_arguments,
    write_client_config,
)
from ksqlserver.config import ServerConfig, parse_credentials, parse_kafka_config


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return ensure_material(tmp_path_factory.mktemp("state"), "sasl_ssl", "127.0.0.1")


def test_certificates_chain_to_the_ca_and_name_loopback(material) -> None:  # type: ignore[no-untyped-def]
    ca = x509.load_pem_x509_certificate(material.ca.read_bytes())
    for who in ("broker", "ksql", "client"):
        chain = x509.load_pem_x509_certificates(material.pem(who).read_bytes())
        leaf = chain[0]
        assert leaf.issuer == ca.subject
        leaf.verify_directly_issued_by(ca)
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert "localhost" in names.get_values_for_type(x509.DNSName)
        assert "127.0.0.1" in {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
        assert stat.S_IMODE(material.key(who).stat().st_mode) == 0o600
    assert stat.S_IMODE((material.dir / "secrets.json").stat().st_mode) == 0o600
    assert len(set(material.passwords.values())) == len(material.passwords)  # one password per user


def test_material_is_reused(material) -> None:  # type: ignore[no-untyped-def]
    again = ensure_material(material.dir.parent, "sasl_ssl", "127.0.0.1")
    assert again.passwords == material.passwords
    assert again.ca.read_bytes() == material.ca.read_bytes()


def test_broker_listeners_and_scram_users(material) -> None:  # type: ignore[no-untyped-def]
    props = broker_properties(material, "127.0.0.1", 9092, 9093)
    assert props["listeners"] == "SASL_SSL://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093"
    assert props["listener.security.protocol.map"] == "CONTROLLER:SASL_SSL,SASL_SSL:SASL_SSL"
    assert props["sasl.mechanism.inter.broker.protocol"] == "SCRAM-SHA-512"
    assert props["sasl.mechanism.controller.protocol"] == "PLAIN"
    args = scram_format_arguments(material)
    assert args[::2] == ["--add-scram"] * len(USERS)
    assert f"SCRAM-SHA-512=[name=connect,password={material.passwords['connect']}]" in args
    java = java_client_properties(material, "connect")
    assert java["ssl.truststore.type"] == "PEM" and 'username="connect"' in java["sasl.jaas.config"]


def test_client_config_round_trip(material) -> None:  # type: ignore[no-untyped-def]
    path = write_client_config(material, "127.0.0.1:9092", "https://127.0.0.1:8088")
    config = KafkaConfig.from_file(path)
    assert (config.bootstrap_servers, config.security_protocol, config.sasl_mechanism) == (
        "127.0.0.1:9092", "SASL_SSL", "SCRAM-SHA-512")
    assert config.sasl_username == "fraudlab" and str(config.sasl_password) == material.passwords["fraudlab"]
    assert config.ssl_ca_location == str(material.ca)
    librdkafka = config.as_librdkafka()
    assert not any(k.startswith("fraudlab.") for k in librdkafka)
    assert material.passwords["fraudlab"] not in repr(config)  # the password never prints
    ksql = KsqlConfig(url="https://127.0.0.1:8088").with_client_properties(read_properties(path))
    assert ksql.username == "fraudlab" and ksql.ca_location == str(material.ca)
    assert parse_kafka_config(str(path))["sasl.username"] == "fraudlab"  # the server reads the same file


def test_bad_inputs_are_named(tmp_path: Path) -> None:
    with pytest.raises(SecurityProfileError, match="unknown security profile 'tls'"):
        check_profile("tls")
    bad = tmp_path / "bad.properties"
    bad.write_text("security.protocol=SASL_SSL\nthis line has no separator\n")
    with pytest.raises(ClientConfigError, match="line 2 is not KEY=VALUE"):
        KafkaConfig.from_file(bad)
    with pytest.raises(ClientConfigError, match="cannot be read"):
        KafkaConfig.from_file(tmp_path / "missing.properties")


def test_ksql_url_scheme_follows_the_profile(tmp_path: Path) -> None:
    assert StackConfig.default(state_dir=tmp_path, security="sasl_ssl").ksql_url.startswith("https://")
    assert StackConfig.default(state_dir=tmp_path, security="sasl_plaintext").ksql_url.startswith("http://")


def test_ksql_server_serves_https_with_basic_auth(material) -> None:  # type: ignore[no-untyped-def]
    from ksqlserver.server import BackgroundServer

    args = ksql_server_arguments(material)
    flags = dict(zip(args[::2], args[1::2], strict=True))
    config = ServerConfig(host="127.0.0.1", port=0, tls_cert=Path(flags["--ssl-cert"]),
                          tls_key=Path(flags["--ssl-key"]), credentials=parse_credentials(flags["--basic-auth"]))

    class NoEngine:
        def close(self) -> None: ...

    user = ("fraudlab", material.passwords["fraudlab"])
    with BackgroundServer(NoEngine(), config) as server:  # type: ignore[arg-type]
        assert server.url.startswith("https://")
        ok = httpx.get(server.url + "/info", auth=user, verify=str(material.ca))
        assert ok.status_code == 200
        refused = httpx.get(server.url + "/info", auth=("fraudlab", "wrong"), verify=str(material.ca))
        assert refused.status_code == 401 and refused.json()["error_code"] == 40100
        with httpx.Client(http2=True, verify=str(material.ca), auth=user) as h2:
            answer = h2.get(server.url + "/info")
            assert answer.status_code == 200 and answer.http_version == "HTTP/2"  # ALPN offers h2
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(server.url + "/info", auth=user, verify=ssl.create_default_context())
