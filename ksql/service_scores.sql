-- The scoring service's output as a KSQL stream (notebook 05 on real ksqlDB, where 04_scoring.sql cannot
-- run): the same columns as the KSQL scores stream, so 05_monitoring.sql runs over it with
-- ${ksql_scored_stream} set to ${service_scores_stream}. Not numbered: `fraudlab ksql apply` skips it.
-- Runs unchanged on the embedded ksqlserver and on ksqlDB 0.29.

-- {id, score, is_fraud, threshold, model_version, event_time, scored_at}; event time is the transaction's.
CREATE STREAM IF NOT EXISTS ${service_scores_raw_stream} (
  id VARCHAR,
  score DOUBLE,
  is_fraud BOOLEAN,
  model_version VARCHAR,
  event_time BIGINT
) WITH (KAFKA_TOPIC='${scores_topic}', VALUE_FORMAT='JSON', TIMESTAMP='event_time');

-- Ids as the labels carry them (BIGINT), for the join with the late labels.
CREATE STREAM IF NOT EXISTS ${service_scores_stream}
  WITH (KAFKA_TOPIC='${service_scores_topic}', VALUE_FORMAT='JSON', PARTITIONS=1) AS
SELECT
  CAST(id AS BIGINT) AS Id,
  score AS Score,
  is_fraud AS Is_fraud,
  model_version AS Model_version
FROM ${service_scores_raw_stream}
EMIT CHANGES;
