"""ksqlDB 0.29's JsonPathTokenizerTest (ksqldb-engine, io.confluent.ksql.util.json): the path tokens
EXTRACTJSONFIELD (JsonExtractString) walks. Ported through EXTRACTJSONFIELD's results."""

from __future__ import annotations

import json
from typing import Any

DOC = json.dumps({"logs": [{"cloud": {"region": "us-west", "zone": 1}}, {"cloud": {"region": "eu"}}]})


def test_json_path_tokenizer(t: Any) -> None:
    """JsonPathTokenizerTest.testJsonPathTokenizer: '$.logs[0].cloud.region' is logs, 0, cloud, region."""
    s = t.select(
        "EXTRACTJSONFIELD(J, '$.logs[0].cloud.region')",
        "EXTRACTJSONFIELD(J, '$.logs[1].cloud.region')",
        "EXTRACTJSONFIELD(J, '$[\"logs\"][0].cloud')",
        "EXTRACTJSONFIELD(J, '$.logs[0].cloud.zone')",
        "EXTRACTJSONFIELD(J, '$.logs[2].cloud.region')",
        columns="J STRING",
        row={"J": DOC},
    )
    assert s.values == ["us-west", "eu", '{"region":"us-west","zone":1}', "1", None]
    assert s.types == ["STRING"] * 5
    assert s.errors == []


def test_invalid_path(t: Any) -> None:
    """JsonPathTokenizer.invalidJsonPath: a path without the leading '$' (or with an empty segment) throws
    "Invalid JSON path: '<path>'" out of the UDF: the column is null and the processing log has the error."""
    s = t.select("EXTRACTJSONFIELD(J, 'logs')", columns="J STRING", row={"J": DOC})
    assert s.values == [None]
    assert len(s.errors) == 1
    assert "Invalid JSON path: 'logs'" in s.errors[0]
