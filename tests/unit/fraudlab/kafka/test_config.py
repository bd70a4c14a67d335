from __future__ import annotations

from fraudlab.kafka import KafkaConfig, Secret


def test_plaintext_defaults() -> None:
    conf = KafkaConfig(bootstrap_servers="h:1").as_librdkafka()
    assert conf == {"bootstrap.servers": "h:1", "security.protocol": "PLAINTEXT", "client.id": "fraudlab"}


def test_sasl_ssl_settings_pass_through_and_secrets_hide() -> None:
    config = KafkaConfig(
        bootstrap_servers="b:9093",
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="alice",
        sasl_password="s3cret",  # type: ignore[arg-type]
        ssl_ca_location="/etc/ca.pem",
        extra={"ssl.endpoint.identification.algorithm": "none"},
    )
    conf = config.as_librdkafka(**{"group.id": "g"})
    assert conf["sasl.password"] == "s3cret"
    assert conf["sasl.mechanism"] == "SCRAM-SHA-512"
    assert conf["ssl.ca.location"] == "/etc/ca.pem"
    assert conf["ssl.endpoint.identification.algorithm"] == "none"
    assert conf["group.id"] == "g"
    assert isinstance(config.sasl_password, Secret)
    assert "s3cret" not in repr(config)
