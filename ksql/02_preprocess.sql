-- Preprocessing (notebook 02_preprocess_ksql): stateless persistent queries only.
-- The users table and the stream-table join come with KSQL tables (issue 5).

-- Every transaction, anonymised (MASK), gaps filled (IFNULL) and re-encoded from DELIMITED to JSON (or
-- ${features_format}: notebook 02's value_format, e.g. AVRO with its schema in the schema registry):
-- the scoring service's input. Unlabelled rows stay: they are the ones that most need a score.
CREATE STREAM IF NOT EXISTS ${features_stream}
  WITH (KAFKA_TOPIC='${features_topic}', VALUE_FORMAT='${features_format}', PARTITIONS=1) AS
SELECT
  Id,
  Timestamp,
  MASK(User) AS User_masked,
  IFNULL(Time, CAST(0 AS DOUBLE)) AS Time,
  IFNULL(V1, CAST(0 AS DOUBLE)) AS V1,
  IFNULL(V2, CAST(0 AS DOUBLE)) AS V2,
  IFNULL(V3, CAST(0 AS DOUBLE)) AS V3,
  IFNULL(V4, CAST(0 AS DOUBLE)) AS V4,
  IFNULL(V5, CAST(0 AS DOUBLE)) AS V5,
  IFNULL(V6, CAST(0 AS DOUBLE)) AS V6,
  IFNULL(V7, CAST(0 AS DOUBLE)) AS V7,
  IFNULL(V8, CAST(0 AS DOUBLE)) AS V8,
  IFNULL(V9, CAST(0 AS DOUBLE)) AS V9,
  IFNULL(V10, CAST(0 AS DOUBLE)) AS V10,
  IFNULL(V11, CAST(0 AS DOUBLE)) AS V11,
  IFNULL(V12, CAST(0 AS DOUBLE)) AS V12,
  IFNULL(V13, CAST(0 AS DOUBLE)) AS V13,
  IFNULL(V14, CAST(0 AS DOUBLE)) AS V14,
  IFNULL(V15, CAST(0 AS DOUBLE)) AS V15,
  IFNULL(V16, CAST(0 AS DOUBLE)) AS V16,
  IFNULL(V17, CAST(0 AS DOUBLE)) AS V17,
  IFNULL(V18, CAST(0 AS DOUBLE)) AS V18,
  IFNULL(V19, CAST(0 AS DOUBLE)) AS V19,
  IFNULL(V20, CAST(0 AS DOUBLE)) AS V20,
  IFNULL(V21, CAST(0 AS DOUBLE)) AS V21,
  IFNULL(V22, CAST(0 AS DOUBLE)) AS V22,
  IFNULL(V23, CAST(0 AS DOUBLE)) AS V23,
  IFNULL(V24, CAST(0 AS DOUBLE)) AS V24,
  IFNULL(V25, CAST(0 AS DOUBLE)) AS V25,
  IFNULL(V26, CAST(0 AS DOUBLE)) AS V26,
  IFNULL(V27, CAST(0 AS DOUBLE)) AS V27,
  IFNULL(V28, CAST(0 AS DOUBLE)) AS V28,
  IFNULL(Amount, CAST(0 AS DOUBLE)) AS Amount,
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
