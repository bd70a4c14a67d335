"""Kafka Connect for the connector statements: the worker's REST API (`client`) and connector configs as
ksqlDB builds them (`connectors`). Imports `errors` only."""

from ksqlserver.connect.client import (
    ConnectClient,
    ConnectError,
    ConnectResponse,
    ConnectUnreachableError,
)
from ksqlserver.connect.connectors import java_map_text, resolve, supported

__all__ = [
    "ConnectClient",
    "ConnectError",
    "ConnectResponse",
    "ConnectUnreachableError",
    "java_map_text",
    "resolve",
    "supported",
]
