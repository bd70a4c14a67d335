-- Source streams over the two ingested topics (notebook 02_preprocess_ksql).
-- Runs unchanged on the embedded ksqlserver and on ksqlDB 0.29; ${name} variables are substituted by
-- fraudlab.ksql before the statements are sent.

-- The original demo's layout, ingested line by line by the FileStream connector:
-- Id,"Timestamp","User",Time,V1..V28,Amount,"Class" (Class may be empty: the label is not known yet).
-- Event time is the transaction's Timestamp (e.g. 2018-12-18T12:00:00Z), not the ingestion time: every
-- query downstream (scores, windowed monitoring tables, the label join) works in transaction time.
-- One partition, as ingestion creates the topic: the users table joined in 03_users.sql has as many, and
-- ksqlDB refuses a join whose sides differ in partition count.
CREATE STREAM IF NOT EXISTS ${source_stream} (
  Id BIGINT,
  Timestamp VARCHAR,
  User VARCHAR,
  Time DOUBLE,
  V1 DOUBLE,
  V2 DOUBLE,
  V3 DOUBLE,
  V4 DOUBLE,
  V5 DOUBLE,
  V6 DOUBLE,
  V7 DOUBLE,
  V8 DOUBLE,
  V9 DOUBLE,
  V10 DOUBLE,
  V11 DOUBLE,
  V12 DOUBLE,
  V13 DOUBLE,
  V14 DOUBLE,
  V15 DOUBLE,
  V16 DOUBLE,
  V17 DOUBLE,
  V18 DOUBLE,
  V19 DOUBLE,
  V20 DOUBLE,
  V21 DOUBLE,
  V22 DOUBLE,
  V23 DOUBLE,
  V24 DOUBLE,
  V25 DOUBLE,
  V26 DOUBLE,
  V27 DOUBLE,
  V28 DOUBLE,
  Amount DOUBLE,
  Class VARCHAR
) WITH (KAFKA_TOPIC='${source_topic}', VALUE_FORMAT='DELIMITED', PARTITIONS=1,
        TIMESTAMP='Timestamp', TIMESTAMP_FORMAT='yyyy-MM-dd''T''HH:mm:ssX');

-- The Kaggle layout, ingested by fraudlab's typed CSV connector as JSON objects.
CREATE STREAM IF NOT EXISTS ${transactions_stream} (
  Time DOUBLE,
  V1 DOUBLE,
  V2 DOUBLE,
  V3 DOUBLE,
  V4 DOUBLE,
  V5 DOUBLE,
  V6 DOUBLE,
  V7 DOUBLE,
  V8 DOUBLE,
  V9 DOUBLE,
  V10 DOUBLE,
  V11 DOUBLE,
  V12 DOUBLE,
  V13 DOUBLE,
  V14 DOUBLE,
  V15 DOUBLE,
  V16 DOUBLE,
  V17 DOUBLE,
  V18 DOUBLE,
  V19 DOUBLE,
  V20 DOUBLE,
  V21 DOUBLE,
  V22 DOUBLE,
  V23 DOUBLE,
  V24 DOUBLE,
  V25 DOUBLE,
  V26 DOUBLE,
  V27 DOUBLE,
  V28 DOUBLE,
  Amount DOUBLE,
  Class INTEGER
) WITH (KAFKA_TOPIC='${transactions_topic}', VALUE_FORMAT='JSON');
