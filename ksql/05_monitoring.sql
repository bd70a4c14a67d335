-- Monitoring tables over the KSQL scores (04_scoring.sql). ksqlDB 0.29 syntax; they need windowed
-- aggregations and stream-stream joins (ksqlserver issue 5). Any scores stream with Id, Score, Is_fraud
-- and Model_version works: on real ksqlDB point ${ksql_scored_stream} at the scoring service's output.

-- Alert rate per hour of transaction time and model version (tumbling windows; late records for 10 min).
-- RETENTION keeps a week of windows for the notebooks' pull queries: without it a windowed store keeps only
-- size + grace (Kafka Streams' default), so a pull query would see the last hour or two of a replay.
CREATE TABLE IF NOT EXISTS ${alert_rate_table}
  WITH (KAFKA_TOPIC='${alert_rate_topic}', VALUE_FORMAT='JSON', PARTITIONS=1) AS
SELECT
  Model_version,
  COUNT(*) AS Transactions,
  SUM(CASE WHEN Is_fraud THEN 1 ELSE 0 END) AS Alerts,
  AVG(Score) AS Mean_score
FROM ${ksql_scored_stream}
  WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 7 DAYS, GRACE PERIOD 10 MINUTES)
GROUP BY Model_version
EMIT CHANGES;

-- Labels arrive late, on their own topic (a chargeback or an analyst's verdict), keyed by nothing.
CREATE STREAM IF NOT EXISTS ${labels_stream} (
  Id BIGINT,
  Class INTEGER
) WITH (KAFKA_TOPIC='${labels_topic}', VALUE_FORMAT='JSON', PARTITIONS=1);

-- Each score joined with its label when the label comes within a day of the transaction.
CREATE STREAM IF NOT EXISTS ${scored_labelled_stream}
  WITH (KAFKA_TOPIC='${scored_labelled_topic}', VALUE_FORMAT='JSON', PARTITIONS=1) AS
SELECT
  s.Id AS Id,
  s.Score AS Score,
  s.Is_fraud AS Is_fraud,
  s.Model_version AS Model_version,
  l.Class AS Class
FROM ${ksql_scored_stream} s
  JOIN ${labels_stream} l WITHIN 1 DAYS ON s.Id = l.Id
EMIT CHANGES;

-- Confusion counts per hour of transactions and model version: precision = TP / (TP + FP),
-- recall = TP / (TP + FN), computed by the reader (fraudlab.monitor, the notebooks).
CREATE TABLE IF NOT EXISTS ${quality_table}
  WITH (KAFKA_TOPIC='${quality_topic}', VALUE_FORMAT='JSON', PARTITIONS=1) AS
SELECT
  Model_version,
  COUNT(*) AS Labelled,
  SUM(CASE WHEN Is_fraud AND Class = 1 THEN 1 ELSE 0 END) AS True_positives,
  SUM(CASE WHEN Is_fraud AND Class = 0 THEN 1 ELSE 0 END) AS False_positives,
  SUM(CASE WHEN (NOT Is_fraud) AND Class = 1 THEN 1 ELSE 0 END) AS False_negatives
FROM ${scored_labelled_stream}
  WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 7 DAYS, GRACE PERIOD 1 DAY)
GROUP BY Model_version
EMIT CHANGES;
