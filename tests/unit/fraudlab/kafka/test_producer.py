"""`produce_values` input checks that need no broker."""

from __future__ import annotations

import pytest

from fraudlab.kafka import KafkaClientError, KafkaConfig, produce_values

NOWHERE = KafkaConfig(bootstrap_servers="127.0.0.1:1")


@pytest.mark.parametrize("extra", [{"keys": [b"k"]}, {"timestamps": [1]}])
def test_fewer_keys_or_timestamps_than_values_is_an_error(extra: dict[str, list[object]]) -> None:
    with pytest.raises(KafkaClientError, match="fewer keys or timestamps than values for topic 't'"):
        produce_values(NOWHERE, "t", [b"a", b"b"], progress=False, **extra)  # type: ignore[arg-type]


def test_nothing_to_produce_is_an_empty_report() -> None:
    report = produce_values(NOWHERE, "t", [], progress=False, flush_timeout_s=1)
    assert (report.topic, report.records, report.failed, report.bytes) == ("t", 0, 0, 0)
