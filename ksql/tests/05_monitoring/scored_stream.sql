-- The scoring service's scores as 05_monitoring.sql reads them: a plain stream over the topic
-- service_scores.sql writes (the ksql/tests/service_scores case checks that query itself). Under ksqlDB's
-- test runner a CREATE ... AS SELECT sink is not a topic the runner creates (TestCaseBuilderUtil.getAllTopics
-- infers topics only from CREATE STREAM/TABLE with columns and from the records), so the join below could
-- not describe it; declared here with the sink's partition count, the join's co-partitioning check holds.
CREATE STREAM IF NOT EXISTS ${ksql_scored_stream} (
  Id BIGINT,
  Score DOUBLE,
  Is_fraud BOOLEAN,
  Model_version VARCHAR
) WITH (KAFKA_TOPIC='${service_scores_topic}', VALUE_FORMAT='JSON', PARTITIONS=1);
