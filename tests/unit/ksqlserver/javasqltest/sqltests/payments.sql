-- Our own test file for run-ksql-test (written for fraudlab, not copied): the statement kinds
-- test-an-app.md lists, over card payments.

--@test: a filter keeps the large payments
CREATE STREAM payments (card STRING KEY, amount DOUBLE) WITH (kafka_topic='payments', value_format='JSON');
CREATE STREAM large AS SELECT card, amount FROM payments WHERE amount > 100;

ASSERT STREAM large (card STRING KEY, amount DOUBLE) WITH (kafka_topic='LARGE', value_format='JSON');

INSERT INTO payments (rowtime, card, amount) VALUES (10, 'c1', 5.0);
INSERT INTO payments (rowtime, card, amount) VALUES (20, 'c2', 250.0);
ASSERT VALUES large (rowtime, card, amount) VALUES (20, 'c2', 250.0);

--@test: a projection masks the card
CREATE STREAM payments (card STRING KEY, holder STRING, amount DOUBLE) WITH (kafka_topic='payments', value_format='JSON');
CREATE STREAM masked AS SELECT card, MASK(holder) AS holder, ROUND(amount) AS amount FROM payments;

INSERT INTO payments (card, holder, amount) VALUES ('c1', 'Ann 7', 12.6);
ASSERT VALUES masked (card, holder, amount) VALUES ('c1', 'Xxx-n', 13);

--@test: a count per card is a table
CREATE STREAM payments (card STRING KEY, amount DOUBLE) WITH (kafka_topic='payments', value_format='JSON');
CREATE TABLE per_card AS SELECT card, COUNT(*) AS n, SUM(amount) AS total FROM payments GROUP BY card;

ASSERT TABLE per_card (card STRING PRIMARY KEY, n BIGINT, total DOUBLE) WITH (kafka_topic='PER_CARD', value_format='JSON');

INSERT INTO payments (rowtime, card, amount) VALUES (1, 'c1', 2.0);
INSERT INTO payments (rowtime, card, amount) VALUES (2, 'c1', 3.0);
ASSERT VALUES per_card (rowtime, card, n, total) VALUES (1, 'c1', 1, 2.0);
ASSERT VALUES per_card (rowtime, card, n, total) VALUES (2, 'c1', 2, 5.0);

--@test: payments join their card's holder
CREATE TABLE cards (card STRING PRIMARY KEY, holder STRING) WITH (kafka_topic='cards', value_format='JSON');
CREATE STREAM payments (card STRING KEY, amount DOUBLE) WITH (kafka_topic='payments', value_format='JSON');
CREATE STREAM enriched AS SELECT p.card, c.holder, p.amount FROM payments p JOIN cards c ON p.card = c.card;

INSERT INTO cards (rowtime, card, holder) VALUES (1, 'c1', 'ann');
INSERT INTO payments (rowtime, card, amount) VALUES (2, 'c1', 9.5);
ASSERT VALUES enriched (rowtime, p_card, holder, amount) VALUES (2, 'c1', 'ann', 9.5);

--@test: a copy of a table carries its rows
CREATE TABLE cards (card STRING PRIMARY KEY, holder STRING) WITH (kafka_topic='cards', value_format='JSON');
CREATE TABLE cards_copy AS SELECT * FROM cards;

INSERT INTO cards (card, holder) VALUES ('c1', 'ann');
ASSERT VALUES cards_copy (card, holder) VALUES ('c1', 'ann');
