"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.commands.ApplyMigrationCommandTest`: `apply`
against a real server. The Java test's InOrder checks on the mocked Client become (a) the events the tool
wrote to the metadata stream, read back in order (RUNNING under CURRENT and the version, then the final
state), (b) what the spy client sent (statements with their properties, inserted rows, connector and
assert calls, variables), and (c) what the server holds afterwards. The mocked version / info rows are
events written first (the docs' repair INSERT), and sources the mocks described are created first.

Where the Java statements cannot all succeed on a real server the files differ, each noted: a table
aggregated (GROUP BY needs an aggregate), a real property for SET (unknown ones are refused), one stream
per version where a mock ran the same CREATE twice, and ASSERT statements that hold together."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.formats.sr.client import RegisteredSchema
from ksqlserver.migrations.apply import Apply, ApplyOptions
from ksqlserver.migrations.cli import parse_args
from ksqlserver.migrations.files import compute_hash_for_file

NAME = "FOO"
COMMAND = "CREATE STREAM FOO (A STRING) WITH (KAFKA_TOPIC='FOO', PARTITIONS=1, VALUE_FORMAT='DELIMITED');"
INSERTS = ("INSERT INTO FOO VALUES ('abcd'); insert into foo ( a ) values ( 'efgh' );"
           "INSERT INTO `FOO` ( `A` ) values ( 'ijkl' );")
# the Java test's connector has only 'meow'='woof', which a server refuses ("Connector config ... contains
# no connector type"); here a FileStream sink the fake worker validates
_CONNECTOR_CONFIG = ("'connector.class'='org.apache.kafka.connect.file.FileStreamSinkConnector', "
                     "'file'='/tmp/woof.txt', 'topic'='woof', 'meow'='woof'")
CREATE_CONNECTOR = f"CREATE SINK CONNECTOR woof WITH ({_CONNECTOR_CONFIG});"
CREATE_CONNECTOR_IF_NOT_EXISTS = f"CREATE SINK CONNECTOR IF NOT EXISTS woof WITH ({_CONNECTOR_CONFIG});"
DROP_CONNECTOR = "DROP CONNECTOR WOOF;"
DROP_CONNECTOR_IF_EXISTS = "DROP CONNECTOR IF EXISTS WOOF;"
CONNECTOR_PROPERTIES = {"connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
                        "file": "/tmp/woof.txt", "topic": "woof", "meow": "woof"}
# the Java test's `CREATE TABLE BAR AS SELECT * FROM FOO GROUP BY A`, which a server refuses (GROUP BY
# requires aggregate functions), aggregated
SET_COMMANDS = (COMMAND + "SET 'auto.offset.reset' = 'earliest';"
                "CREATE TABLE BAR AS SELECT A, COUNT(*) AS N FROM FOO GROUP BY A;"
                "UNSET 'auto.offset.reset';"
                "CREATE STREAM MOO (A STRING) WITH (KAFKA_TOPIC='MOO', PARTITIONS=1, VALUE_FORMAT='DELIMITED');")
# the Java test SETs '${str}' ('abc'), a property a server refuses ("Not recognizable as ksql, streams,
# consumer, or producer property"); the output topic prefix takes the variable instead
DEFINE_COMMANDS = (COMMAND + "DEFINE pre='a';"
                   "DEFINE str='${pre}bc';"
                   "SET 'ksql.output.topic.name.prefix'='${str}';"
                   "CREATE STREAM ${str} AS SELECT * FROM FOO;"
                   "INSERT INTO FOO VALUES ('${str}');"
                   "UNDEFINE str;"
                   "INSERT INTO FOO VALUES ('${str}');")
# the Java test asserts topic abc both exists and not; here `def` is the topic that does not exist, and
# the configs are ones ASSERT TOPIC checks
ASSERT_TOPIC_COMMANDS = ("ASSERT TOPIC 'abc';"
                         "ASSERT NOT EXISTS TOPIC def TIMEOUT 10 SECONDS;"
                         "ASSERT NOT EXISTS TOPIC def WITH (partitions=4, replicas=1);"
                         "ASSERT TOPIC abc WITH (partitions=4, replicas=1) TIMEOUT 10 SECONDS;")
# likewise schema id 1 exists (subject abc) and id 6 does not
ASSERT_SCHEMA_COMMANDS = ("ASSERT SCHEMA SUBJECT abc;"
                          "ASSERT NOT EXISTS SCHEMA ID 6;"
                          "ASSERT SCHEMA SUBJECT 'abc' ID 1;"
                          "ASSERT SCHEMA SUBJECT abc TIMEOUT 10 SECONDS;"
                          "ASSERT SCHEMA ID 1 TIMEOUT 10 SECONDS;"
                          "ASSERT NOT EXISTS SCHEMA SUBJECT abc ID 6 TIMEOUT 10 SECONDS;")


def command_for(version: int) -> str:
    """COMMAND for version 1; a stream of its own for the others (the mocks ran the same CREATE twice)."""
    return COMMAND if version == 1 else COMMAND.replace("FOO", f"FOO_{version}")


def _file(migrations_dir: Path, version: int, content: str, name: str = NAME) -> Path:
    """createMigrationFile: PrintWriter.println of the content."""
    path = migrations_dir / f"V00000{version}__{name.replace(' ', '_')}.sql"
    assert not path.exists()
    path.write_text(content + "\n", encoding="utf-8")
    return path


def _apply(server: Any, migrations_dir: Path, *args: str, **hooks: Any) -> tuple[int, Any, Any]:
    """`apply` with the parsed options, a clock fixed at 1000 and RetryUtil's backoff (1 s) cut to 0.2 s:
    the metadata table may lag the events just written, as on a real server."""
    parsed = parse_args(["apply", *args], io.StringIO())
    assert parsed is not None
    o = parsed.options
    options = ApplyOptions(all=bool(o.get("all")), next=bool(o.get("next")), until=int(o.get("untilVersion", 0)),
                           version=int(o.get("version", 0)), dry_run=bool(o.get("dry-run")),
                           define=list(o["define"]) if "define" in o else None)
    backoff = hooks.pop("backoff", 0.2)
    ctx = server.context(**hooks)
    status = Apply(ctx, options, clock=lambda: 1000, sleep=lambda _: time.sleep(backoff)).run(
        server.config(), str(migrations_dir))
    client = server.clients[-1] if server.clients else None
    return status, client, ctx.log


def _events(migrations_dir: Path, version: int, previous: str, final: str, error: str = "N/A",
            name: str = NAME) -> list[dict[str, str]]:
    """verifyMigratedVersion: RUNNING under CURRENT and the version, then the final state likewise."""
    checksum = compute_hash_for_file(str(migrations_dir / f"V00000{version}__{name}.sql"))

    def event(key: str, state: str, completed: str, reason: str) -> dict[str, str]:
        return {"VERSION_KEY": key, "VERSION": str(version), "NAME": name, "STATE": state, "CHECKSUM": checksum,
                "STARTED_ON": "1000", "COMPLETED_ON": completed, "PREVIOUS": previous, "ERROR_REASON": reason}

    return [event("CURRENT", "RUNNING", "", "N/A"), event(str(version), "RUNNING", "", "N/A"),
            event("CURRENT", final, "1000", error), event(str(version), final, "1000", error)]


def _given_applied(server: Any, migrations_dir: Path, version: int, state: str = "MIGRATED",
                   current: bool = True) -> None:
    """givenAppliedMigration (+ givenCurrentMigrationVersion): the version's event (and CURRENT's)."""
    checksum = compute_hash_for_file(str(migrations_dir / f"V00000{version}__{NAME}.sql"))
    previous = "<none>" if version == 1 else str(version - 1)
    for key in [str(version)] + (["CURRENT"] if current else []):
        server.insert_event(key, str(version), "name", state, checksum, previous=previous, error="no_error")


def _new_events(server: Any, given: int) -> list[dict[str, str]]:
    return list(server.events()[given:])


def _statements(client: Any) -> list[tuple[str, dict[str, Any]]]:
    return list(client.of("executeStatement"))


def _foo_values(server: Any, stream: str = "FOO") -> list[Any]:
    return [row[0] for row in server.query(f"SELECT * FROM {stream};")]


@pytest.fixture()
def migrations_dir(tmp_path: Path) -> Path:
    return tmp_path


def test_should_apply_first_migration(server: Any, migrations_dir: Path) -> None:
    """shouldApplyFirstMigration: `-n` applies version 1 only"""
    server.initialize()
    _file(migrations_dir, 1, COMMAND)
    _file(migrations_dir, 3, command_for(3))
    status, client, log = _apply(server, migrations_dir, "-n")
    assert status == 0, log.text()
    assert server.events() == _events(migrations_dir, 1, "<none>", "MIGRATED")
    assert _statements(client) == [(COMMAND, {})]
    assert "FOO" in server.names("STREAM") and "FOO_3" not in server.names("STREAM")
    assert client.calls[-1] == ("close", None)
    output = [message for _, message in log.lines]
    assert output[:5] == [
        "Validating current migration state before applying new migrations",
        "Loading migration files",
        "1 migration file(s) loaded.",
        f"Applying migration version 1: {NAME}",
        f"{migrations_dir / 'V000001__FOO.sql'} contents:\n{COMMAND}\n",
    ]
    assert output[-1] == "Successfully migrated"


def test_should_apply_set_unset_commands(server: Any, migrations_dir: Path) -> None:
    """shouldApplySetUnsetCommands: SET applies to the statements after it, UNSET removes it"""
    server.initialize()
    _file(migrations_dir, 1, SET_COMMANDS)
    _file(migrations_dir, 3, command_for(3))
    status, client, log = _apply(server, migrations_dir, "-n")
    assert status == 0, log.text()
    assert server.events() == _events(migrations_dir, 1, "<none>", "MIGRATED")
    assert _statements(client) == [
        (COMMAND, {}),
        ("CREATE TABLE BAR AS SELECT A, COUNT(*) AS N FROM FOO GROUP BY A;", {"auto.offset.reset": "earliest"}),
        ("CREATE STREAM MOO (A STRING) WITH (KAFKA_TOPIC='MOO', PARTITIONS=1, VALUE_FORMAT='DELIMITED');", {}),
    ]


def test_should_apply_define_undefine_commands(server: Any, migrations_dir: Path) -> None:
    """shouldApplyDefineUndefineCommands: variables defined in the file substitute into the statements
    after them (also in SET); once undefined, a reference is left as written"""
    server.initialize()
    _file(migrations_dir, 1, DEFINE_COMMANDS)
    status, client, log = _apply(server, migrations_dir, "-n")
    assert status == 0, log.text()
    assert server.events() == _events(migrations_dir, 1, "<none>", "MIGRATED")
    assert _statements(client) == [
        (COMMAND, {}),
        ("CREATE STREAM abc AS SELECT * FROM FOO;", {"ksql.output.topic.name.prefix": "abc"}),
    ]
    # the first pass (parse only) runs DEFINE / UNDEFINE as well: each pair is seen twice
    assert client.of("define") == [("pre", "a"), ("str", "abc")] * 2
    assert client.of("undefine") == ["str", "pre", "str"]
    assert [c for c in client.of("insertInto") if c[0] == "`FOO`"] == [
        ("`FOO`", {"`A`": "abc"}), ("`FOO`", {"`A`": "${str}"})]
    [abc] = server.ksql("DESCRIBE abc;")
    assert abc["sourceDescription"]["topic"] == "abcABC"
    assert _foo_values(server) == ["abc", "${str}"]


def test_should_reset_variables_between_migrations(server: Any, migrations_dir: Path) -> None:
    """shouldResetVariablesBetweenMigrations"""
    server.initialize()
    server.ksql(COMMAND)
    _file(migrations_dir, 1, "DEFINE cat='pat';")
    _file(migrations_dir, 2, "INSERT INTO FOO VALUES ('${cat}');")
    status, client, log = _apply(server, migrations_dir, "-a")
    assert status == 0, log.text()
    assert [c for c in client.of("insertInto") if c[0] == "`FOO`"] == [("`FOO`", {"`A`": "${cat}"})]
    assert "cat" in client.of("undefine")
    assert _foo_values(server) == ["${cat}"]


def test_should_apply_argument_variables_every_migration(server: Any, migrations_dir: Path) -> None:
    """shouldApplyArgumentVariablesEveryMigration"""
    server.initialize()
    server.ksql(COMMAND)
    _file(migrations_dir, 1, "INSERT INTO FOO VALUES ('${name}');")
    _file(migrations_dir, 2, "INSERT INTO FOO VALUES ('${dame}');")
    status, client, log = _apply(server, migrations_dir, "-a", "-d", "name=tame", "-d", "dame=blame")
    assert status == 0, log.text()
    assert [row for target, row in client.of("insertInto") if target == "`FOO`"] == [{"`A`": "tame"}, {"`A`": "blame"}]
    assert _foo_values(server) == ["tame", "blame"]


def test_define_statements_should_take_precedence_over_argument_variables(server: Any, migrations_dir: Path) -> None:
    """defineStatementsShouldTakePrecedenceOverArgumentVariables"""
    server.initialize()
    server.ksql(COMMAND)
    _file(migrations_dir, 1, "DEFINE name='flame'; INSERT INTO FOO VALUES ('${name}');")
    status, client, log = _apply(server, migrations_dir, "-a", "-d", "name=tame")
    assert status == 0, log.text()
    assert ("name", "flame") in client.of("define")
    assert _foo_values(server) == ["flame"]


def test_should_fail_on_invalid_argument_variable(server: Any, migrations_dir: Path) -> None:
    """shouldFailOnInvalidArgumentVariable (VariableParser.getVariables' message)"""
    server.initialize()
    _file(migrations_dir, 1, "INSERT INTO FOO VALUES ('${name}');")
    status, _, log = _apply(server, migrations_dir, "-a", "-d", "woooo")
    assert status == 1
    assert log.text("ERROR") == "Failed to parse argument woooo: variables must be defined using '=' (i.e. var=val)."


def test_should_reset_properties_between_migrations(server: Any, migrations_dir: Path) -> None:
    """shouldResetPropertiesBetweenMigrations"""
    server.initialize()
    _file(migrations_dir, 1, "SET 'cat'='pat';")
    _file(migrations_dir, 2, command_for(2))
    status, client, log = _apply(server, migrations_dir, "-a")
    assert status == 0, log.text()
    assert _statements(client) == [(command_for(2), {})]


def test_should_apply_second_migration(server: Any, migrations_dir: Path) -> None:
    """shouldApplySecondMigration: `-n` after version 1 applies version 3"""
    server.initialize()
    _file(migrations_dir, 1, COMMAND)
    _file(migrations_dir, 3, command_for(3))
    _given_applied(server, migrations_dir, 1)
    status, client, log = _apply(server, migrations_dir, "-n")
    assert status == 0, log.text()
    assert _new_events(server, 2) == _events(migrations_dir, 3, "1", "MIGRATED")
    assert _statements(client) == [(command_for(3), {})]


@pytest.mark.parametrize(("args", "versions"), [(["-a"], [1, 2]), (["-u", "2"], [1, 2])], ids=["all", "until"])
def test_should_apply_multiple_migrations(server: Any, migrations_dir: Path, args: list[str], versions: list[int]) -> None:
    """shouldApplyMultipleMigrations, shouldApplyUntilVersion (a third file stays pending)"""
    server.initialize()
    for v in (1, 2, 3) if args[0] == "-u" else (1, 2):
        _file(migrations_dir, v, command_for(v))
    status, client, log = _apply(server, migrations_dir, *args)
    assert status == 0, log.text()
    assert server.events() == _events(migrations_dir, 1, "<none>", "MIGRATED") + _events(migrations_dir, 2, "1", "MIGRATED")
    assert _statements(client) == [(command_for(v), {}) for v in versions]
    assert "2 migration file(s) loaded." in log.text()


def test_should_apply_specific_migration(server: Any, migrations_dir: Path) -> None:
    """shouldApplySpecificMigration"""
    server.initialize()
    _file(migrations_dir, 1, COMMAND)
    _file(migrations_dir, 3, command_for(3))
    _given_applied(server, migrations_dir, 1)
    status, client, log = _apply(server, migrations_dir, "-v", "3")
    assert status == 0, log.text()
    assert _new_events(server, 2) == _events(migrations_dir, 3, "1", "MIGRATED")
    assert _statements(client) == [(command_for(3), {})]


def test_should_not_apply_migration_if_previous_not_finished(server: Any, migrations_dir: Path) -> None:
    """shouldNotApplyMigrationIfPreviousNotFinished: once version 1 is MIGRATED another writer marks it
    RUNNING again (the mocked info row), so version 2 waits for it and gives up"""
    server.initialize()
    _file(migrations_dir, 1, COMMAND)
    _file(migrations_dir, 2, command_for(2))

    def rival(target: str, row: dict[str, Any]) -> None:
        if target == "migrations_stream" and row["VERSION_KEY"] == "1" and row["STATE"] == "MIGRATED":
            server.insert_event("1", "1", NAME, "RUNNING", row["CHECKSUM"], "1000")

    status, client, log = _apply(server, migrations_dir, "-a", after_insert=rival, backoff=0.02)
    assert status == 1
    assert server.events()[:4] == _events(migrations_dir, 1, "<none>", "MIGRATED")
    assert _statements(client) == [(COMMAND, {})]
    assert log.text("ERROR").split("\n") == [
        "Expected status MIGRATED for version 1. Got RUNNING",
        "Failed to verify status of version 1",
    ]


def test_should_log_error_state_if_migration_fails(server: Any, migrations_dir: Path) -> None:
    """shouldLogErrorStateIfMigrationFails: the server refuses the statement (FOO exists already)"""
    server.initialize()
    server.ksql(COMMAND)
    _file(migrations_dir, 1, COMMAND)
    status, _, log = _apply(server, migrations_dir, "-n")
    assert status == 1
    error = (f"Failed to execute sql: {COMMAND}. Error: io.confluent.ksql.api.client.exception.KsqlClientException: "
             "Received 400 response from server: Cannot add stream 'FOO': A stream with the same name already "
             "exists. Error code: 40001")
    assert server.events() == _events(migrations_dir, 1, "<none>", "ERROR", error)
    assert log.text("ERROR") == error


def test_should_skip_apply_if_validate_fails(server: Any, migrations_dir: Path) -> None:
    """shouldSkipApplyIfValidateFails: two files for version 1"""
    server.initialize()
    _file(migrations_dir, 1, COMMAND)
    _file(migrations_dir, 1, COMMAND, name="anotherone")
    _given_applied(server, migrations_dir, 1)
    status, client, log = _apply(server, migrations_dir, "-n")
    assert status == 1
    assert len(client.of("executeQuery")) == 3
    assert _statements(client) == [] and client.of("insertInto") == []
    assert log.text("ERROR") == "No migrations file found for version with status MIGRATED. Version: 1"


def test_should_not_fail_if_file_doesnt_fit_format(server: Any, migrations_dir: Path) -> None:
    """shouldNotFailIfFileDoesntFitFormat"""
    server.initialize()
    _file(migrations_dir, 1, COMMAND)
    (migrations_dir / "foo.sql").touch()
    status, _, log = _apply(server, migrations_dir, "-n")
    assert status == 0, log.text()
    assert server.events() == _events(migrations_dir, 1, "<none>", "MIGRATED")
    assert ("Skipping file does not match expected migration file pattern 'V<six digit number>__<name>.sql': "
            "foo.sql") in log.text("WARN")


def test_should_fail_if_metadata_not_initialized(server: Any, migrations_dir: Path) -> None:
    """shouldFailIfMetadataNotInitialized"""
    _file(migrations_dir, 1, COMMAND)
    status, client, log = _apply(server, migrations_dir, "-n")
    assert status == 1
    assert _statements(client) == [] and client.of("insertInto") == []
    assert "Failed to verify existence of migrations metadata stream 'migrations_stream'." in log.text("ERROR")


def test_should_throw_error_on_parsing_failure(server: Any, migrations_dir: Path) -> None:
    """shouldThrowErrorOnParsingFailure"""
    server.initialize()
    _file(migrations_dir, 1, "SHOW TABLES;")
    status, _, log = _apply(server, migrations_dir, "-n")
    assert status == 1
    error = "Failed to parse sql: SHOW TABLES;. Error: 'SHOW' statements are not supported."
    assert server.events() == _events(migrations_dir, 1, "<none>", "ERROR", error)
    assert log.text("ERROR") == error


def test_should_apply_insert_statement(server: Any, migrations_dir: Path) -> None:
    """shouldApplyInsertStatement: each INSERT VALUES sent to /inserts-stream with quoted names"""
    server.initialize()
    server.ksql(COMMAND)
    _file(migrations_dir, 1, COMMAND)
    _file(migrations_dir, 3, INSERTS)
    _given_applied(server, migrations_dir, 1)
    status, client, log = _apply(server, migrations_dir, "-v", "3")
    assert status == 0, log.text()
    assert _new_events(server, 2) == _events(migrations_dir, 3, "1", "MIGRATED")
    assert [c for c in client.of("insertInto") if c[0] == "`FOO`"] == [
        ("`FOO`", {"`A`": "abcd"}), ("`FOO`", {"`A`": "efgh"}), ("`FOO`", {"`A`": "ijkl"})]
    assert _foo_values(server) == ["abcd", "efgh", "ijkl"]


@pytest.mark.parametrize(
    ("sql", "call", "exists_before", "exists_after"),
    [
        (CREATE_CONNECTOR, ("createConnector", ("`WOOF`", False, CONNECTOR_PROPERTIES, False)), False, True),
        (CREATE_CONNECTOR_IF_NOT_EXISTS, ("createConnector", ("`WOOF`", False, CONNECTOR_PROPERTIES, True)), False, True),
        (DROP_CONNECTOR, ("dropConnector", ("`WOOF`", False)), True, False),
        (DROP_CONNECTOR_IF_EXISTS, ("dropConnector", ("`WOOF`", True)), True, False),
    ],
    ids=["create", "create_if_not_exists", "drop", "drop_if_exists"],
)
def test_should_apply_connector_statements(server: Any, migrations_dir: Path, sql: str, call: tuple[str, Any],
                                           exists_before: bool, exists_after: bool) -> None:
    """shouldApplyCreateConnectorStatement, shouldApplyCreateConnectorIfNotExistsStatement,
    shouldApplyDropConnectorStatement, shouldApplyDropConnectorIfExistsStatement: the names quoted (case
    kept), against the fake Connect worker"""
    server.initialize()
    if exists_before:
        server.fake_connect.connectors["WOOF"] = dict(CONNECTOR_PROPERTIES)
    _file(migrations_dir, 1, COMMAND)
    _file(migrations_dir, 3, sql)
    _given_applied(server, migrations_dir, 1)
    status, client, log = _apply(server, migrations_dir, "-v", "3")
    assert status == 0, log.text()
    assert _new_events(server, 2) == _events(migrations_dir, 3, "1", "MIGRATED")
    assert client.of(call[0]) == [call[1]]
    assert ("WOOF" in server.fake_connect.connectors) is exists_after
    if exists_after:
        assert server.fake_connect.connectors["WOOF"] == {**CONNECTOR_PROPERTIES, "name": "WOOF"}


def test_should_not_apply_older_version(server: Any, migrations_dir: Path) -> None:
    """shouldNotApplyOlderVersion"""
    server.initialize()
    _file(migrations_dir, 1, COMMAND)
    _given_applied(server, migrations_dir, 1)
    status, _, log = _apply(server, migrations_dir, "-v", "1")
    assert status == 1
    assert log.text("ERROR") == "Version must be newer than the last version migrated. Last version migrated was 1"


def test_should_apply_assert_topic_commands(server: Any, migrations_dir: Path) -> None:
    """shouldApplyAssertTopicCommands: each ASSERT TOPIC is the client's assertTopic (configs upper-cased
    by the parser, the timeout in seconds)"""
    server.initialize()
    server.driver.create_topic("abc", 4, 1)
    _file(migrations_dir, 1, COMMAND)
    _file(migrations_dir, 3, ASSERT_TOPIC_COMMANDS)
    _given_applied(server, migrations_dir, 1)
    status, client, log = _apply(server, migrations_dir, "-v", "3")
    assert status == 0, log.text()
    assert _new_events(server, 2) == _events(migrations_dir, 3, "1", "MIGRATED")
    assert client.of("assertTopic") == [
        ("abc", {}, True, None),
        ("def", {}, False, 10),
        ("def", {"PARTITIONS": 4, "REPLICAS": 1}, False, None),
        ("abc", {"PARTITIONS": 4, "REPLICAS": 1}, True, 10),
    ]


def test_should_apply_assert_schema_commands(server: Any, migrations_dir: Path) -> None:
    """shouldApplyAssertSchemaCommands"""
    server.initialize()
    assert server.registry.register("abc", RegisteredSchema('{"type": "string"}', "AVRO")) == 1
    _file(migrations_dir, 1, COMMAND)
    _file(migrations_dir, 3, ASSERT_SCHEMA_COMMANDS)
    _given_applied(server, migrations_dir, 1)
    status, client, log = _apply(server, migrations_dir, "-v", "3")
    assert status == 0, log.text()
    assert _new_events(server, 2) == _events(migrations_dir, 3, "1", "MIGRATED")
    assert client.of("assertSchema") == [
        ("abc", None, True, None),
        (None, 6, False, None),
        ("abc", 1, True, None),
        ("abc", None, True, 10),
        (None, 1, True, 10),
        ("abc", 6, False, 10),
    ]
