"""fraudlab's side of the schema registry: a client (confluent-kafka's `SchemaRegistryClient`) that
fails with one clear sentence when the registry is down, Avro schemas for data frames, and a producer
of registered Avro in Confluent's wire format. fraudlab reaches the registry only over HTTP."""

from fraudlab.registry.avro import avro_schema_for_frame, produce_avro_frame
from fraudlab.registry.client import RegistrySettings, registry_client
from fraudlab.registry.errors import RegistryUnavailableError, SchemaRegistryRequestError

__all__ = [
    "RegistrySettings",
    "RegistryUnavailableError",
    "SchemaRegistryRequestError",
    "avro_schema_for_frame",
    "produce_avro_frame",
    "registry_client",
]
