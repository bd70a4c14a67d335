"""Port of ksqlDB 0.29 `io.confluent.ksql.config.SessionConfigTest` through what reaches a user: a statement
runs with the server's config plus its request's overrides (shouldGetConfigWithOverrides), the server's own
config stays as it was (shouldGetConfigWithoutOverrides: the next request does not see them), and a request's
SET adds to the overrides it came with (shouldCopyWithExistingConfig). equals / hashCode / toString and the
defensive copy are Java object behaviour."""

from __future__ import annotations

from typing import Any

NAME = "ksql.streams.auto.offset.reset"


def test_should_get_config_with_overrides(ksql: Any) -> None:
    assert ksql.properties({NAME: "earliest"})[NAME] == "earliest"


def test_should_get_config_without_overrides(ksql: Any) -> None:
    ksql.properties({NAME: "earliest"})
    assert NAME not in ksql.properties()  # the server sets none


def test_should_copy_with_existing_config(ksql: Any) -> None:
    """copyWith: a SET's property joins the request's overrides, which stay."""
    [entity] = ksql.run("SET 'ksql.streams.commit.interval.ms'='123'; SHOW PROPERTIES;", {NAME: "earliest"})[-1:]
    listed = {p["name"]: p["value"] for p in entity["properties"]}
    assert listed[NAME] == "earliest" and listed["ksql.streams.commit.interval.ms"] == "123"
