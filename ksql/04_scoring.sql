-- Scoring inside KSQL (notebook 04 / fraudlab ksql apply): the model as a function in a persistent query.
-- ANOMALY_SCORE, ANOMALY_THRESHOLD and ANOMALY_MODEL_VERSION are Python functions of the embedded
-- ksqlserver (fraudlab.ksql_udf, loaded from its extension directory). Real ksqlDB cannot run them:
-- there `fraudlab score` (the scoring service) writes the scores instead; see README.md.
-- ${model_dir} names the bundle (notebook 04: the one notebook 03 exported), so the query scores with
-- exactly that bundle whatever bundle the server was started with.

-- Every preprocessed transaction with its score and an IS_FRAUD flag (score >= the bundle's threshold).
-- The two ANOMALY_SCORE calls are one: the engine scores each micro-batch once per distinct call.
CREATE STREAM IF NOT EXISTS ${ksql_scored_stream}
  WITH (KAFKA_TOPIC='${ksql_scored_topic}', VALUE_FORMAT='JSON', PARTITIONS=1) AS
SELECT
  Id,
  Timestamp,
  Amount,
  Class,
  ANOMALY_SCORE('${model_dir}', Time, V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13, V14, V15, V16, V17, V18, V19, V20, V21, V22, V23, V24, V25, V26, V27, V28, Amount) AS Score,
  ANOMALY_SCORE('${model_dir}', Time, V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13, V14, V15, V16, V17, V18, V19, V20, V21, V22, V23, V24, V25, V26, V27, V28, Amount) >= ANOMALY_THRESHOLD('${model_dir}') AS Is_fraud,
  ANOMALY_THRESHOLD('${model_dir}') AS Threshold,
  ANOMALY_MODEL_VERSION('${model_dir}') AS Model_version
FROM ${features_stream}
EMIT CHANGES;

-- The alerts: only the flagged transactions.
CREATE STREAM IF NOT EXISTS ${ksql_alerts_stream}
  WITH (KAFKA_TOPIC='${ksql_alerts_topic}', VALUE_FORMAT='JSON', PARTITIONS=1) AS
SELECT *
FROM ${ksql_scored_stream}
WHERE Is_fraud
EMIT CHANGES;
