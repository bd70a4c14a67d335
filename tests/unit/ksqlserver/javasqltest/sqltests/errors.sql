-- Our own test file for run-ksql-test: tests that expect an error (--@expected.error / .message).

--@test: a projection that drops a column cannot replace the query
--@expected.error: io.confluent.ksql.util.KsqlException
--@expected.message: The following columns are changed, missing or reordered: [`FLAG` BOOLEAN]
SET 'ksql.create.or.replace.enabled' = 'true';
CREATE STREAM payments (card STRING KEY, amount DOUBLE, flag BOOLEAN) WITH (kafka_topic='payments', value_format='JSON');
CREATE STREAM checked AS SELECT card, amount, flag FROM payments;
CREATE OR REPLACE STREAM checked AS SELECT card, amount FROM payments;

--@test: a source that does not exist
--@expected.error: io.confluent.ksql.util.KsqlStatementException
--@expected.message: NOPE does not exist
CREATE STREAM copied AS SELECT * FROM nope;
