"""The secured profiles of the embedded stack: TLS material, SCRAM users and every service's settings.

`sasl_ssl`: the broker's client listener speaks SASL_SSL with SCRAM-SHA-512 (users created when the
storage is formatted, `kafka-storage format --add-scram`); inter-broker traffic uses that listener as the
`admin` user; the KRaft controller listener uses SASL PLAIN over TLS (SCRAM credentials live in the
metadata log, so the controller cannot use them to authenticate its own quorum). Connect and the KSQL
server are clients with users of their own; the KSQL server answers HTTPS with basic auth.
`sasl_plaintext`: the same users and mechanisms without TLS (the KSQL server keeps basic auth on HTTP).

Everything is generated on the first `up` under `<state_dir>/security/` and reused afterwards: a CA,
certificates for the broker, the KSQL server and a client (PEM, and PKCS12 where a JVM needs a keystore),
random passwords, and `client.properties`: the librdkafka settings a user needs (the
`fraudlab.ksql.*` lines are for fraudlab's KSQL client and are not librdkafka properties).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from fraudlab.stack.errors import StackError

if TYPE_CHECKING:
    from fraudlab.stack.config import StackConfig

Profile = Literal["none", "sasl_plaintext", "sasl_ssl"]
PROFILES: tuple[str, ...] = ("none", "sasl_plaintext", "sasl_ssl")
MECHANISM = "SCRAM-SHA-512"
# who is who: the broker itself, the two services that are clients, and the user of the workbench
USERS = ("admin", "connect", "ksqlserver", "schemaregistry", "fraudlab")
CONTROLLER_USER = "controller"
KSQL_USER = "fraudlab"  # basic auth on the KSQL server's REST API
KSQL_AUTH_PREFIX = "fraudlab.ksql."


class SecurityProfileError(StackError):
    def __init__(self, profile: str) -> None:
        super().__init__(f"unknown security profile '{profile}'; choose one of {', '.join(PROFILES)}")
        self.profile = profile


def check_profile(profile: str) -> str:
    if profile not in PROFILES:
        raise SecurityProfileError(profile)
    return profile


@dataclass(frozen=True)
class Material:
    """Paths and secrets of one secured stack (all under `dir`)."""

    dir: Path
    profile: str
    passwords: Mapping[str, str]
    store_password: str

    @property
    def tls(self) -> bool:
        return self.profile == "sasl_ssl"

    @property
    def protocol(self) -> str:
        return "SASL_SSL" if self.tls else "SASL_PLAINTEXT"

    def pem(self, name: str) -> Path:
        return self.dir / f"{name}.pem"

    def key(self, name: str) -> Path:
        return self.dir / f"{name}.key"

    def p12(self, name: str) -> Path:
        return self.dir / f"{name}.p12"

    @property
    def ca(self) -> Path:
        return self.pem("ca")

    @property
    def client_properties(self) -> Path:
        return self.dir / "client.properties"

    @property
    def ksql_credentials(self) -> Path:
        """USER:PASS lines for the KSQL server's --basic-auth."""
        return self.dir / "ksql-users.txt"

    def service_kafka_properties(self, user: str) -> Path:
        """librdkafka settings of one service (the KSQL server's --kafka-config)."""
        return self.dir / f"{user}-kafka.properties"


def ensure_material(state_dir: Path, profile: str, host: str) -> Material:
    """Create the profile's certificates, passwords and property files unless they exist."""
    check_profile(profile)
    folder = state_dir / "security"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    secrets_path = folder / "secrets.json"
    if secrets_path.is_file():
        stored = json.loads(secrets_path.read_text())
    else:
        stored = {
            "passwords": {u: secrets.token_urlsafe(18) for u in (*USERS, CONTROLLER_USER)},
            "store_password": secrets.token_urlsafe(18),
        }
        _write_private(secrets_path, json.dumps(stored, indent=2))
    material = Material(folder, profile, stored["passwords"], stored["store_password"])
    if material.tls and not material.ca.is_file():
        _make_certificates(material, host)
    _write_private(material.ksql_credentials, f"{KSQL_USER}:{material.passwords[KSQL_USER]}\n")
    for user in USERS:
        _write_private(material.service_kafka_properties(user), _properties(librdkafka_settings(material, user)))
    return material


def _write_private(path: Path, text: str) -> None:
    """Owner-only file; left alone when it already holds `text` (a running service may be reading it)."""
    if path.is_file() and path.read_text() == text:
        return
    path.touch(mode=0o600, exist_ok=True)
    os.chmod(path, 0o600)
    path.write_text(text)


def _properties(props: Mapping[str, str]) -> str:
    return "".join(f"{k}={_escape(v)}\n" for k, v in props.items())


def _escape(value: str) -> str:
    """Java properties escaping of the characters our values can hold."""
    return value.replace("\\", "\\\\").replace("\n", "\\n")


# ---- certificates ----------------------------------------------------------------------------------------


def _make_certificates(material: Material, host: str) -> None:
    """A CA; then broker, KSQL server and client certificates signed by it (SANs cover loopback names)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    not_before, not_after = now - datetime.timedelta(hours=1), now + datetime.timedelta(days=825)

    def name(cn: str) -> x509.Name:
        return x509.Name(
            [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fraudlab"), x509.NameAttribute(NameOID.COMMON_NAME, cn)]
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(name("fraudlab stack CA"))
        .issuer_name(name("fraudlab stack CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    material.ca.write_bytes(ca_cert.public_bytes(pem))
    _write_private(
        material.key("ca"),
        ca_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode(),
    )

    names: list[x509.GeneralName] = [x509.DNSName("localhost")]
    for address in {host, "127.0.0.1", "::1"}:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(address)))
        except ValueError:
            names.append(x509.DNSName(address))
    both = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    for who, usages in (("broker", both), ("ksql", both), ("client", [ExtendedKeyUsageOID.CLIENT_AUTH])):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(f"fraudlab {who}"))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        material.pem(who).write_bytes(cert.public_bytes(pem) + ca_cert.public_bytes(pem))
        _write_private(
            material.key(who),
            key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode(),
        )
        # a JVM keystore: the key with its chain (the truststore stays PEM: Java ignores certificates
        # without a private key in a PKCS12 file that lacks its own trust attribute)
        store = pkcs12.serialize_key_and_certificates(
            who.encode(),
            key,
            cert,
            [ca_cert],
            serialization.BestAvailableEncryption(material.store_password.encode()),
        )
        material.p12(who).write_bytes(store)
        os.chmod(material.p12(who), 0o600)


# ---- service settings --------------------------------------------------------------------------------------


def _scram_jaas(user: str, password: str) -> str:
    return f'org.apache.kafka.common.security.scram.ScramLoginModule required username="{user}" password="{password}";'


def broker_properties(material: Material, host: str, kafka_port: int, controller_port: int) -> dict[str, str]:
    """The listener, SASL and TLS settings of the combined broker/controller node."""
    name = material.protocol
    pw = material.passwords
    controller_jaas = (
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
        f'username="{CONTROLLER_USER}" password="{pw[CONTROLLER_USER]}" '
        f'user_{CONTROLLER_USER}="{pw[CONTROLLER_USER]}";'
    )
    props = {
        "listeners": f"{name}://{host}:{kafka_port},CONTROLLER://{host}:{controller_port}",
        "advertised.listeners": f"{name}://{host}:{kafka_port}",
        "listener.security.protocol.map": f"CONTROLLER:{material.protocol},{name}:{material.protocol}",
        "inter.broker.listener.name": name,
        "sasl.mechanism.inter.broker.protocol": MECHANISM,
        "sasl.enabled.mechanisms": MECHANISM,
        f"listener.name.{name.lower()}.sasl.enabled.mechanisms": MECHANISM,
        f"listener.name.{name.lower()}.scram-sha-512.sasl.jaas.config": _scram_jaas("admin", pw["admin"]),
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": controller_jaas,
        "super.users": "User:admin",
    }
    if material.tls:
        props.update(
            {
                "ssl.keystore.type": "PKCS12",
                "ssl.keystore.location": str(material.p12("broker")),
                "ssl.keystore.password": material.store_password,
                "ssl.key.password": material.store_password,
                "ssl.truststore.type": "PEM",
                "ssl.truststore.location": str(material.ca),
                # SASL authenticates; a client certificate, when one is offered, must be signed by the CA
                f"listener.name.{name.lower()}.ssl.client.auth": "requested",
                "ssl.endpoint.identification.algorithm": "https",
            }
        )
    return props


def scram_format_arguments(material: Material) -> list[str]:
    """`kafka-storage format` arguments creating every SCRAM user in the first metadata records."""
    args: list[str] = []
    for user in USERS:
        args += ["--add-scram", f"{MECHANISM}=[name={user},password={material.passwords[user]}]"]
    return args


def java_client_properties(material: Material, user: str) -> dict[str, str]:
    """A Java client's settings (Connect worker, its producers, consumers and admin)."""
    props = {
        "security.protocol": material.protocol,
        "sasl.mechanism": MECHANISM,
        "sasl.jaas.config": _scram_jaas(user, material.passwords[user]),
    }
    if material.tls:
        props.update(
            {
                "ssl.truststore.type": "PEM",
                "ssl.truststore.location": str(material.ca),
                "ssl.keystore.type": "PKCS12",
                "ssl.keystore.location": str(material.p12("client")),
                "ssl.keystore.password": material.store_password,
                "ssl.key.password": material.store_password,
            }
        )
    return props


def librdkafka_settings(material: Material, user: str) -> dict[str, str]:
    """A librdkafka client's settings (the KSQL server, fraudlab, any confluent-kafka program)."""
    props = {
        "security.protocol": material.protocol,
        "sasl.mechanism": MECHANISM,
        "sasl.username": user,
        "sasl.password": material.passwords[user],
    }
    if material.tls:
        props.update(
            {
                "ssl.ca.location": str(material.ca),
                "ssl.certificate.location": str(material.pem("client")),
                "ssl.key.location": str(material.key("client")),
                "ssl.endpoint.identification.algorithm": "https",
            }
        )
    return props


def write_client_config(material: Material, bootstrap_servers: str, ksql_url: str | None) -> Path:
    """`client.properties`: what `fraudlab stack client-config` prints and `KafkaConfig.from_file` reads."""
    lines = [
        "# librdkafka settings of the embedded stack's user 'fraudlab' (confluent-kafka, kcat, ...)",
        f"bootstrap.servers={bootstrap_servers}",
        _properties(librdkafka_settings(material, "fraudlab")).rstrip("\n"),
    ]
    if ksql_url:
        lines += [
            "# fraudlab's KSQL client (basic auth, and the CA of the server's certificate); not librdkafka keys",
            f"{KSQL_AUTH_PREFIX}url={ksql_url}",
            f"{KSQL_AUTH_PREFIX}basic.auth.user.info={KSQL_USER}:{material.passwords[KSQL_USER]}",
        ]
        if material.tls:
            lines.append(f"{KSQL_AUTH_PREFIX}ssl.ca.location={material.ca}")
    _write_private(material.client_properties, "\n".join(lines) + "\n")
    return material.client_properties


def ksql_server_arguments(material: Material) -> list[str]:
    """`python -m ksqlserver` flags: Kafka as the 'ksqlserver' user, HTTPS (sasl_ssl) and basic auth."""
    args = [
        "--kafka-config",
        str(material.service_kafka_properties("ksqlserver")),
        "--basic-auth",
        str(material.ksql_credentials),
    ]
    if material.tls:
        args += ["--ssl-cert", str(material.pem("ksql")), "--ssl-key", str(material.key("ksql"))]
    return args


def record_security(config: StackConfig, ksql_url: str | None) -> dict[str, str | None]:
    """What `up` adds to stack.json: the profile and, when secured, the client config it wrote."""
    if not config.secured:
        return {"security": "none", "client_config": None}
    material = ensure_material(config.state_dir, config.security, config.host)
    path = write_client_config(material, config.bootstrap_servers, ksql_url)
    return {"security": config.security, "client_config": str(path)}
