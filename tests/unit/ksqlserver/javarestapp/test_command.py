"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.computation.CommandTest` (ksqldb-rest-app): a command-topic
record's JSON as this server reads and writes it (cluster/command_log.py Command). ksqlDB's `plan` is not
written here (the statement is replanned on replay); shouldCoerceProperties concerns Java types only."""

from __future__ import annotations

import json
import re

import pytest

from ksqlserver.cluster.command_log import VERSION, Command, CommandError
from ksqlserver.drivers.base import Record


def _read(value: str) -> Command:
    return Command.from_record(Record(b'"stream/`S`/create"', value.encode()))


def test_should_deserialize_correctly() -> None:
    """CommandTest.shouldDeserializeCorrectly: a record without version"""
    command = _read(
        '{"statement": "test statement;", "streamsProperties": {"foo": "bar"}, "originalProperties": {"biz": "baz"} }'
    )
    assert command.statement == "test statement;"
    assert command.properties == {"foo": "bar"}
    assert command.original_properties == {"biz": "baz"}
    assert command.command_id == "stream/`S`/create"


def test_should_throw_exception_when_command_version_higher() -> None:
    """CommandTest.shouldThrowExceptionWhenCommandVersionHigher (IncompatibleKsqlCommandVersionException)"""
    with pytest.raises(CommandError):
        _read(json.dumps({"statement": "test statement;", "streamsProperties": {}, "version": VERSION + 1}))


def test_should_deserialize_correctly_with_version() -> None:
    """CommandTest.shouldDeserializeCorrectlyWithVersion"""
    command = _read(json.dumps({"statement": "test statement;", "streamsProperties": {"foo": "bar"},
                                "originalProperties": {"biz": "baz"}, "version": VERSION}))  # fmt: skip
    assert (command.statement, command.properties, command.original_properties) == (
        "test statement;", {"foo": "bar"}, {"biz": "baz"},
    )  # fmt: skip


def test_should_serialize_deserialize_correctly() -> None:
    """CommandTest.shouldSerializeDeserializeCorrectly: the JSON fields, the key a JSON string (CommandId), and
    the round trip"""
    command = Command(
        "test statement;", {"foo": "bar"}, "stream/`S`/create", original_properties={"biz": "baz"}
    )
    record = command.to_record()
    serialized = (record.value or b"").decode()
    assert re.search(r'"streamsProperties" *: *\{ *"foo" *: *"bar" *\}', serialized)
    assert re.search(r'"statement" *: *"test statement;"', serialized)
    assert re.search(r'"originalProperties" *: *\{ *"biz" *: *"baz" *\}', serialized)
    assert re.search(rf'"version" *: *{VERSION}', serialized)
    assert record.key == b'"stream/`S`/create"'
    assert Command.from_record(record) == command


@pytest.mark.parametrize("value", [b"not json", b"[]", b'{"streamsProperties": {}}'])
def test_a_record_that_is_not_a_command(value: bytes) -> None:
    """InternalTopicSerdes' SerializationException: not JSON, not an object, no statement"""
    with pytest.raises(CommandError):
        Command.from_record(Record(b'"stream/`S`/create"', value))


def test_an_older_key_is_still_read() -> None:
    """records written before the key was a CommandId string: {"commandId": ...}"""
    record = Record(b'{"commandId": "stream/`S`/create"}', b'{"statement": "x;"}')
    assert Command.from_record(record).command_id == "stream/`S`/create"
