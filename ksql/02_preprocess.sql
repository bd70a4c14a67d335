-- Preprocessing (notebook 02_preprocess_ksql): stateless persistent queries only.
-- The users table and the stream-table join come with KSQL tables (issue 5).

-- Every transaction, anonymised (MASK), gaps filled (IFNULL) and re-encoded from DELIMITED to JSON:
-- the scoring service's input. Unlabelled rows stay: they are the ones that most need a score.
CREATE STREAM IF NOT EXISTS ${features_stream}
  WITH (KAFKA_TOPIC='${features_topic}', VALUE_FORMAT='JSON', PARTITIONS=1) AS
SELECT
  Id,
  Timestamp,
  MASK(User) AS User_masked,
  IFNULL(Time, 0.0) AS Time,
  IFNULL(V1, 0.0) AS V1,
  IFNULL(V2, 0.0) AS V2,
  IFNULL(V3, 0.0) AS V3,
  IFNULL(V4, 0.0) AS V4,
  IFNULL(V5, 0.0) AS V5,
  IFNULL(V6, 0.0) AS V6,
  IFNULL(V7, 0.0) AS V7,
  IFNULL(V8, 0.0) AS V8,
  IFNULL(V9, 0.0) AS V9,
  IFNULL(V10, 0.0) AS V10,
  IFNULL(V11, 0.0) AS V11,
  IFNULL(V12, 0.0) AS V12,
  IFNULL(V13, 0.0) AS V13,
  IFNULL(V14, 0.0) AS V14,
  IFNULL(V15, 0.0) AS V15,
  IFNULL(V16, 0.0) AS V16,
  IFNULL(V17, 0.0) AS V17,
  IFNULL(V18, 0.0) AS V18,
  IFNULL(V19, 0.0) AS V19,
  IFNULL(V20, 0.0) AS V20,
  IFNULL(V21, 0.0) AS V21,
  IFNULL(V22, 0.0) AS V22,
  IFNULL(V23, 0.0) AS V23,
  IFNULL(V24, 0.0) AS V24,
  IFNULL(V25, 0.0) AS V25,
  IFNULL(V26, 0.0) AS V26,
  IFNULL(V27, 0.0) AS V27,
  IFNULL(V28, 0.0) AS V28,
  IFNULL(Amount, 0.0) AS Amount,
  CAST(Class AS INTEGER) AS Class
FROM ${source_stream}
EMIT CHANGES;

-- Only the rows whose label is known: what training and the delayed-label monitors read.
CREATE STREAM IF NOT EXISTS ${labelled_stream}
  WITH (KAFKA_TOPIC='${labelled_topic}', VALUE_FORMAT='JSON', PARTITIONS=1) AS
SELECT Id, Time, V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12, V13, V14, V15, V16, V17, V18, V19, V20, V21, V22, V23, V24, V25, V26, V27, V28, Amount, Class
FROM ${features_stream}
WHERE Class IS NOT NULL
EMIT CHANGES;
