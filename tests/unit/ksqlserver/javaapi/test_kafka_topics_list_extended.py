"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.entity.KafkaTopicsListExtendedTest` (testSerde): SHOW TOPICS
EXTENDED's KafkaTopicsListExtended, its JSON byte for byte (KafkaTopicInfoExtended: name, replicaInfo per
partition, consumerCount, consumerGroupCount)."""

from __future__ import annotations

from typing import Any


def test_serde(rest: Any) -> None:
    """KafkaTopicsListExtendedTest.testSerde"""
    _, driver, server = rest.start()
    driver.create_topic("thetopic", 3, 1)
    r = rest.ksql(server, "SHOW TOPICS EXTENDED;")
    assert r.status_code == 200
    assert r.text == (
        "[{"
        '"@type":"kafka_topics_extended",'
        '"statementText":"SHOW TOPICS EXTENDED;",'
        '"topics":['
        '{"name":"thetopic","replicaInfo":[1,1,1],"consumerCount":0,"consumerGroupCount":0}'
        '],"warnings":[]}]'
    )
