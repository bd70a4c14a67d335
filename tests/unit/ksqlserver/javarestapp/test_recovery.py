"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.computation.RecoveryTest` (ksqldb-rest-app): a server
that replays its command topic shows the same sources and persistent queries as the server that wrote it.

The Java test runs two KsqlEngines on one fake command topic and compares their metastores and queries
(sameStore / sameQuery). Here the first server takes the statements over /ksql with `command_topic` on; a
second server on the same topics replays them; both are compared through what a client sees: SHOW STREAMS,
SHOW QUERIES (id, sinks, statement, state), DESCRIBE of every source. The commands the Java test writes to
the topic by hand (a DROP of a source others read, a duplicated command) have no REST request; those cases
are not ported.

Query ids: SpecificQueryIdGenerator takes the offset after the last planned command (InteractiveStatementExecutor
.executePlan). The Java test's FakeCommandQueue gives commands consecutive offsets; a command topic on Kafka
is written one transaction per command (DistributingExecutor), so each command's commit marker takes an
offset too and commands sit at 0, 2, 4, ...: the INSERT after two CREATEs is InsertQuery_3 here where the
Java test has InsertQuery_2, and the ids after a replay follow the same rule."""

from __future__ import annotations

from typing import Any

import pytest


class Servers:
    def __init__(self, rest: Any) -> None:
        self.rest = rest
        _, self.driver, self.server1 = rest.start(command_topic=True)
        for topic in ("A", "B"):
            self.driver.create_topic(topic, 1, 1)

    def submit(self, server: Any, *statements: str) -> None:
        for statement in statements:
            self.rest.ok(server, statement)

    def recovered(self) -> Any:
        _, _, server = self.rest.start(command_topic=True, driver=self.driver)
        return server

    def view(self, server: Any) -> dict[str, Any]:
        """What a client sees of the metastore and the queries."""
        [streams] = self.rest.ok(server, "SHOW STREAMS;")
        [queries] = self.rest.ok(server, "SHOW QUERIES;")
        names = sorted(s["name"] for s in streams["streams"])
        described = {}
        for name in names:
            [d] = self.rest.ok(server, f"DESCRIBE `{name}`;")
            description = d["sourceDescription"]
            described[name] = {k: description[k] for k in ("fields", "topic", "keyFormat", "valueFormat", "statement")}
            described[name]["writeQueries"] = sorted(q["id"] for q in description["writeQueries"])
            described[name]["readQueries"] = sorted(q["id"] for q in description["readQueries"])
        running = sorted(
            (q["id"], tuple(q["sinks"]), q["queryString"], q["state"])
            for q in queries["queries"]
            if q["queryType"] == "PERSISTENT"
        )
        return {"streams": names, "described": described, "queries": running}

    def should_recover(self) -> dict[str, Any]:
        """RecoveryTest.shouldRecover: the recovered server's store and queries equal the original's"""
        original = self.view(self.server1)
        assert self.view(self.recovered()) == original
        return original


@pytest.fixture()
def servers(rest: Any) -> Servers:
    return Servers(rest)


CREATE_A = "CREATE STREAM A (COLUMN STRING) WITH (KAFKA_TOPIC='A', VALUE_FORMAT='JSON');"
CREATE_B = "CREATE STREAM B (COLUMN STRING) WITH (KAFKA_TOPIC='B', VALUE_FORMAT='JSON');"
CREATE_A3 = "CREATE STREAM A (ROWKEY STRING KEY, C1 STRING, C2 INT) WITH (KAFKA_TOPIC='A', VALUE_FORMAT='JSON');"

CASES = {
    "shouldRecoverCreates": [CREATE_A, "CREATE STREAM B AS SELECT * FROM A;"],
    "shouldRecoverCreatesWithNonExistingTopic": [
        "CREATE STREAM A (COLUMN STRING) WITH (KAFKA_TOPIC='newTopic', VALUE_FORMAT='JSON', PARTITIONS=1);",
        "CREATE STREAM B AS SELECT * FROM A;",
    ],
    "shouldRecoverRecreates": [
        CREATE_A3, "CREATE STREAM B AS SELECT ROWKEY, C1 FROM A;", "TERMINATE CsAs_b_1;", "DROP STREAM B;",
        "CREATE STREAM B AS SELECT ROWKEY, C2 FROM A;",
    ],
    "shouldRecoverReplaces": [
        CREATE_A3, "CREATE STREAM B AS SELECT ROWKEY, C1 FROM A;",
        "CREATE OR REPLACE STREAM B AS SELECT ROWKEY, C1, C2 FROM A;",
    ],
    "shouldRecoverReplacesWithTerminates": [
        CREATE_A3, "CREATE STREAM B AS SELECT ROWKEY, C1 FROM A;",
        "CREATE OR REPLACE STREAM B AS SELECT ROWKEY, C1, C2 FROM A;", "TERMINATE CSAS_B_1;", "DROP STREAM B;",
        "CREATE STREAM B AS SELECT ROWKEY, C1 FROM A;",
    ],
    "shouldRecoverInsertIntos": [CREATE_A, CREATE_B, "INSERT INTO B SELECT * FROM A;"],
    "shouldRecoverInsertIntosWithCustomQueryId": [
        CREATE_A, CREATE_B, "INSERT INTO B WITH(QUERY_ID='MY_INSERT_ID') SELECT * FROM A;",
    ],
    "shouldRecoverInsertIntosRecreates": [
        CREATE_A, CREATE_B, "INSERT INTO B SELECT * FROM A;", "TERMINATE InsertQuery_3;",
        "INSERT INTO B SELECT * FROM A;",
    ],
    "shouldRecoverIfNotExists": [
        CREATE_A, "CREATE STREAM IF NOT EXISTS B AS SELECT * FROM A;",
        "CREATE STREAM IF NOT EXISTS B AS SELECT * FROM A;",
    ],
    "shouldRecoverTerminates": [
        CREATE_A, "CREATE STREAM B AS SELECT * FROM A;", "INSERT INTO B SELECT * FROM A;", "TERMINATE CSAS_B_1;",
        "TERMINATE InsertQuery_3;",
    ],
    "shouldRecoverTerminateAll": [
        CREATE_A, "CREATE STREAM B AS SELECT * FROM A;", "INSERT INTO B SELECT * FROM A;", "TERMINATE ALL;",
        "DROP STREAM B;", "CREATE STREAM B AS SELECT * FROM A;",
    ],
    "shouldRecoverDropWithTerminate": [
        CREATE_A, "CREATE STREAM B AS SELECT * FROM A;", "TERMINATE CSAS_B_1;", "DROP STREAM B;",
    ],
    "shouldRecoverDrop": [CREATE_A, "CREATE STREAM B AS SELECT * FROM A;", "DROP STREAM B;"],
    "shouldRecoverDropWithRecreates": [
        CREATE_A, "CREATE STREAM B AS SELECT * FROM A;", "DROP STREAM B;", "CREATE STREAM B AS SELECT * FROM A;",
        "DROP STREAM B;",
    ],
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_should_recover(servers: Servers, case: str) -> None:
    """RecoveryTest.shouldRecoverCreates / ...Recreates / ...Replaces / ...InsertIntos / ...IfNotExists /
    ...Terminates / ...TerminateAll / ...Drop... : the replayed server shows what the original showed"""
    servers.submit(servers.server1, *CASES[case])
    servers.should_recover()


def test_should_not_delete_topics_on_recovery(servers: Servers) -> None:
    """RecoveryTest.shouldNotDeleteTopicsOnRecovery: replaying DROP ... DELETE TOPIC leaves a topic of that
    name made since alone"""
    servers.submit(
        servers.server1, CREATE_A, "CREATE STREAM B AS SELECT * FROM A;", "TERMINATE CSAS_B_1;",
        "DROP STREAM B DELETE TOPIC;",
    )  # fmt: skip
    assert "B" not in servers.driver.topics()
    servers.driver.create_topic("B", 1, 1)
    servers.should_recover()
    assert "B" in servers.driver.topics()


def test_should_recover_query_ids(servers: Servers) -> None:
    """RecoveryTest.shouldRecoverQueryIDs: the query id is the one the command's position gave it"""
    servers.submit(servers.server1, CREATE_A, "CREATE STREAM C AS SELECT * FROM A;")
    assert servers.should_recover()["queries"][0][0] == "CSAS_C_1"


def test_should_increment_query_ids_no_plans(servers: Servers) -> None:
    """RecoveryTest.shouldIncrementQueryIDsNoPlans: a query created after the replay takes its id from the last
    planned command (CSAS B at offset 2; TERMINATE has no plan), CSAS_C_2 on the Java test's queue"""
    servers.submit(servers.server1, CREATE_A, "CREATE STREAM B AS SELECT * FROM A;", "TERMINATE CSAS_B_1;")
    server = servers.recovered()
    servers.submit(server, "CREATE STREAM C AS SELECT * FROM A;")
    assert [q[0] for q in servers.view(server)["queries"]] == ["CSAS_C_3"]


def test_should_increment_query_ids_with_plan(servers: Servers) -> None:
    """RecoveryTest.shouldIncrementQueryIDsWithPlan (CSAS_C_2 and CSAS_D_3 on the Java test's queue)"""
    servers.submit(
        servers.server1, CREATE_A, "CREATE STREAM B AS SELECT * FROM A;", "CREATE STREAM C AS SELECT * FROM A;",
        "TERMINATE CSAS_B_1;",
    )  # fmt: skip
    server = servers.recovered()
    servers.submit(server, "CREATE STREAM D AS SELECT * FROM A;")
    assert [q[0] for q in servers.view(server)["queries"]] == ["CSAS_C_3", "CSAS_D_5"]
