-- The users table and the stream-table join (notebook 02_preprocess_ksql, after 02_preprocess.sql).
-- Runs unchanged on the embedded ksqlserver and on ksqlDB 0.29.

-- One row per card holder, keyed by the id the transactions carry in their User column
-- (a compacted topic: the latest record per key is the user's current profile).
CREATE TABLE IF NOT EXISTS ${users_table} (
  User_id VARCHAR PRIMARY KEY,
  Name VARCHAR,
  Country VARCHAR,
  Segment VARCHAR,
  Card_limit DOUBLE
) WITH (KAFKA_TOPIC='${users_topic}', VALUE_FORMAT='JSON', PARTITIONS=1);

-- Every transaction with its holder's profile (LEFT JOIN: unknown users keep their transaction, with
-- null profile columns). The result is keyed by the user id; the name is masked on the way out.
CREATE STREAM IF NOT EXISTS ${enriched_stream}
  WITH (KAFKA_TOPIC='${enriched_topic}', VALUE_FORMAT='JSON', PARTITIONS=1) AS
SELECT
  t.User AS User_id,
  t.Id AS Id,
  t.Amount AS Amount,
  MASK(u.Name) AS Name_masked,
  u.Country AS Country,
  u.Segment AS Segment,
  u.Card_limit AS Card_limit
FROM ${source_stream} t
  LEFT JOIN ${users_table} u ON t.User = u.User_id
EMIT CHANGES;
