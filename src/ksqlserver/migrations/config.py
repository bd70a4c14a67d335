"""MigrationConfig: the ksql-migrations.properties settings, with their defaults."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.config import ConfigError
from ksqlserver.migrations import MigrationError
from ksqlserver.properties_file import load_properties

KSQL_SERVER_URL = "ksql.server.url"
KSQL_BASIC_AUTH_USERNAME = "ksql.auth.basic.username"
KSQL_BASIC_AUTH_PASSWORD = "ksql.auth.basic.password"
SSL_TRUSTSTORE_LOCATION = "ssl.truststore.location"
SSL_TRUSTSTORE_PASSWORD = "ssl.truststore.password"
SSL_KEYSTORE_LOCATION = "ssl.keystore.location"
SSL_KEYSTORE_PASSWORD = "ssl.keystore.password"
SSL_KEY_PASSWORD = "ssl.key.password"
SSL_KEY_ALIAS = "ssl.key.alias"
SSL_ALPN = "ssl.alpn"
SSL_VERIFY_HOST = "ssl.verify.host"
KSQL_MIGRATIONS_STREAM_NAME = "ksql.migrations.stream.name"
KSQL_MIGRATIONS_STREAM_NAME_DEFAULT = "MIGRATION_EVENTS"
KSQL_MIGRATIONS_TABLE_NAME = "ksql.migrations.table.name"
KSQL_MIGRATIONS_TABLE_NAME_DEFAULT = "MIGRATION_SCHEMA_VERSIONS"
KSQL_MIGRATIONS_STREAM_TOPIC_NAME = "ksql.migrations.stream.topic.name"
KSQL_MIGRATIONS_TABLE_TOPIC_NAME = "ksql.migrations.table.topic.name"
KSQL_MIGRATIONS_TOPIC_REPLICAS = "ksql.migrations.topic.replicas"
KSQL_MIGRATIONS_DIR_OVERRIDE = "ksql.migrations.dir.override"

# name -> (type, default); the topic names' defaults depend on the service id (see `defaults`)
DEFINITIONS: dict[str, tuple[str, Any]] = {
    KSQL_SERVER_URL: ("STRING", ""),
    KSQL_BASIC_AUTH_USERNAME: ("STRING", ""),
    KSQL_BASIC_AUTH_PASSWORD: ("PASSWORD", ""),
    SSL_TRUSTSTORE_LOCATION: ("STRING", ""),
    SSL_TRUSTSTORE_PASSWORD: ("PASSWORD", ""),
    SSL_KEYSTORE_LOCATION: ("STRING", ""),
    SSL_KEYSTORE_PASSWORD: ("PASSWORD", ""),
    SSL_KEY_PASSWORD: ("PASSWORD", ""),
    SSL_KEY_ALIAS: ("STRING", ""),
    SSL_ALPN: ("BOOLEAN", False),
    SSL_VERIFY_HOST: ("BOOLEAN", True),
    KSQL_MIGRATIONS_STREAM_NAME: ("STRING", KSQL_MIGRATIONS_STREAM_NAME_DEFAULT),
    KSQL_MIGRATIONS_TABLE_NAME: ("STRING", KSQL_MIGRATIONS_TABLE_NAME_DEFAULT),
    KSQL_MIGRATIONS_STREAM_TOPIC_NAME: ("STRING", None),
    KSQL_MIGRATIONS_TABLE_TOPIC_NAME: ("STRING", None),
    KSQL_MIGRATIONS_TOPIC_REPLICAS: ("INT", 1),
    KSQL_MIGRATIONS_DIR_OVERRIDE: ("STRING", ""),
}


def _coerce(name: str, kind: str, value: str) -> Any:
    """ConfigDef.parseType for the types above (ConfigException's text)."""
    text = value.strip()
    if kind == "INT":
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or not -(2**31) <= number < 2**31:
            raise MigrationError(f"Invalid value {text} for configuration {name}: Not a number of type INT")
        return number
    if kind == "BOOLEAN":
        if text.lower() not in ("true", "false"):
            raise MigrationError(f"Invalid value {text} for configuration {name}: Expected value to be either true or false")
        return text.lower() == "true"
    return text if kind == "STRING" else value


@dataclass(frozen=True)
class MigrationConfig:
    """The resolved settings (`values`), as MigrationConfig's AbstractConfig holds them."""

    values: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def of(configs: Mapping[str, str], service_id: str) -> MigrationConfig:
        values: dict[str, Any] = {}
        for name, (kind, default) in DEFINITIONS.items():
            if name == KSQL_MIGRATIONS_STREAM_TOPIC_NAME:
                default = service_id + "ksql_" + configs.get(KSQL_MIGRATIONS_STREAM_NAME, KSQL_MIGRATIONS_STREAM_NAME_DEFAULT)
            elif name == KSQL_MIGRATIONS_TABLE_TOPIC_NAME:
                default = service_id + "ksql_" + configs.get(KSQL_MIGRATIONS_TABLE_NAME, KSQL_MIGRATIONS_TABLE_NAME_DEFAULT)
            values[name] = _coerce(name, kind, configs[name]) if name in configs else default
        return MigrationConfig(values)

    @staticmethod
    def load(path: str, service_id: Callable[[Mapping[str, str]], str]) -> MigrationConfig:
        """MigrationConfig.load: the properties file, then the server's service id (for the topic names'
        defaults) from `service_id`, which reaches the server at `ksql.server.url`."""
        try:
            configs = load_properties([path])
        except ConfigError as e:
            raise MigrationError(str(e)) from None
        if configs.get(KSQL_SERVER_URL) is None:
            raise MigrationError("Missing required property: " + KSQL_SERVER_URL)
        return MigrationConfig.of(configs, service_id(configs))

    def get(self, name: str) -> Any:
        return self.values[name]

    @property
    def stream_name(self) -> str:
        return str(self.values[KSQL_MIGRATIONS_STREAM_NAME])

    @property
    def table_name(self) -> str:
        return str(self.values[KSQL_MIGRATIONS_TABLE_NAME])

    @property
    def server_url(self) -> str:
        return str(self.values[KSQL_SERVER_URL])


# MigrationConfig.DEFAULT_CONFIG: what `new-project` writes, commented out
DEFAULT_CONFIG = MigrationConfig.of({}, "ksql-service-id")
