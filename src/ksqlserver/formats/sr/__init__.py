"""Schema Registry support for the AVRO, PROTOBUF, PROTOBUF_NOSR and JSON_SR formats: the registry
clients, the Connect schema model ksqlDB translates through, Avro/Protobuf/JSON schema translators, the
Confluent wire format and the value codecs."""
