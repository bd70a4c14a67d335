"""A schema registry speaking Confluent Schema Registry's REST API, with its state in a compacted
Kafka topic (`_schemas`) in Confluent's own record layout.

Packages: `schemas/` parses AVRO, JSON and PROTOBUF schemas and checks their compatibility;
`state` holds subjects, versions and ids; `kafkastore` keeps that state in Kafka; `registry` is the
operations of the REST API; `server` serves them over HTTP; `client` is a small client for the rest
of the project.
"""

__version__ = "0.1.0"
