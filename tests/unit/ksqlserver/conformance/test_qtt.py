"""The development QTT corpus through the engine: pass counts per class must not fall below the baseline."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.conformance.qtt import PASS, SR_GROUP, SR_TAGS, Index, run_file

REPO = Path(__file__).resolve().parents[4]
SHARED = Path(os.environ.get("FRAUDLAB_SHARED_DIR", REPO.parent / "shared"))
CORPUS = SHARED / "ksql-conformance"
BASELINE = Path(__file__).with_name("conformance_baseline.json")


@pytest.fixture(scope="module")
def results() -> list:
    if not (CORPUS / "cases").is_dir():
        pytest.fail(f"conformance corpus not found at {CORPUS} (set FRAUDLAB_SHARED_DIR)")
    index = Index.load(CORPUS / "index.json")
    out = []
    for f in sorted((CORPUS / "cases").glob("*.json")):
        out += run_file(f, index)
    return out


def test_pass_counts_at_least_baseline(results: list) -> None:
    baseline = json.loads(BASELINE.read_text())["passed"]
    passed = Counter(r.klass for r in results if r.verdict == PASS and r.group != SR_GROUP)
    below = {k: (passed.get(k, 0), want) for k, want in baseline.items() if passed.get(k, 0) < want}
    assert not below, f"pass counts fell below the baseline (class: (now, baseline)): {below}"


def test_stateless_classes_pass_at_least_70_percent(results: list) -> None:
    """At least 70 % of the in-scope cases of the stateless classes a, b and e pass."""
    for klass in "abe":
        scoped = [r for r in results if r.klass == klass and r.verdict != "skipped" and r.group != SR_GROUP]
        rate = sum(r.verdict == PASS for r in scoped) / len(scoped)
        assert rate >= 0.70, f"class {klass}: {rate:.1%} of {len(scoped)} in-scope cases pass"


def test_skipped_cases_are_exactly_those_the_index_excludes(results: list) -> None:
    """index.json, read here on its own, decides what may be skipped: a case marked not in scope or
    disabled, except the Schema Registry and PROTOBUF_NOSR expansions, which this runner runs (reported
    as their own group). Every other case of the index must have been run (passed or failed), once."""
    index = json.loads((CORPUS / "index.json").read_text())
    entries = [c for info in index["qtt"].values() for c in info["cases"]]
    schema_registry = {
        c["name"]
        for c in entries
        if c.get("in_scope") is False
        and not c.get("disabled")
        and any(t in SR_TAGS for t in c.get("tags", []))
        and "test_only_function" not in c.get("tags", [])
    }
    excluded = {
        c["name"] for c in entries if c.get("in_scope") is False or c.get("disabled") is True
    } - schema_registry
    to_run = {c["name"] for c in entries} - excluded
    assert excluded and to_run, "index.json lists no excluded or no runnable cases"
    seen = Counter(r.name for r in results)
    assert not [n for n, k in seen.items() if k > 1], "a case ran more than once"
    skipped = {r.name for r in results if r.verdict == "skipped"}
    ran = {r.name for r in results if r.verdict != "skipped"}
    assert not skipped - excluded, f"skipped but in scope and enabled: {sorted(skipped - excluded)[:10]}"
    assert not to_run - ran, f"in scope and enabled but not run: {sorted(to_run - ran)[:10]}"
    assert not ran - to_run, f"run but not an in-scope, enabled case of the index: {sorted(ran - to_run)[:10]}"
    grouped = {r.name for r in results if r.group == SR_GROUP}
    assert grouped == schema_registry, "the SR group is not exactly the index's Schema Registry cases"


def test_schema_registry_cases_mostly_pass(results: list) -> None:
    """The AVRO, PROTOBUF, JSON_SR and PROTOBUF_NOSR expansions run against an in-process registry;
    what fails there fails for engine reasons shared with the JSON expansions of the same cases."""
    sr = [r for r in results if r.group == SR_GROUP]
    passed = sum(r.verdict == PASS for r in sr)
    assert len(sr) == 198 and passed >= 180, f"SR cases: {passed} of {len(sr)} pass"


def test_expected_field_missing_from_the_record_reads_as_null() -> None:
    """ExpectedRecordComparator.compareStruct: Map#get then the upper-cased name; a missing field is null.

    So with equal field counts an expected `{"A": null}` matches any one-field record without an `A`, while
    an expected non-null value needs its field."""
    from ksqlserver.conformance.records import matches

    assert matches({"KQL_COL_0": None}, {"KSQL_COL_0": None})
    assert matches({"KQL_COL_0": None}, {"KSQL_COL_0": 1})
    assert not matches({"A": 1}, {"B": 1})
    assert not matches({"A": None}, {"A": None, "B": None})
    assert matches({"a": 1}, {"A": 1})


def _key_case(out_key_format: str, expected_key: object) -> Any:
    from ksqlserver.conformance import qtt

    test = {
        "name": "k",
        "statements": [
            "CREATE STREAM S (K BYTES KEY, V INT) WITH (kafka_topic='s', key_format='KAFKA', value_format='JSON');",
            f"CREATE STREAM OUT WITH (key_format='{out_key_format}') AS SELECT * FROM S;",
        ],
        "inputs": [{"topic": "s", "key": "ab", "value": {"V": 1}, "timestamp": 1}],
        "outputs": [{"topic": "OUT", "key": expected_key, "value": {"V": 1}, "timestamp": 1}],
    }
    return next(qtt.expand("keys", test))


@pytest.mark.parametrize(
    ("fmt", "key", "ok"),
    [
        ("KAFKA", "ab", True),  # the spec string's UTF-8 bytes, read back as text
        ("KAFKA", "YWI=", False),  # not base64
        ("PROTOBUF_NOSR", {"K": "YWI="}, True),  # a struct of the key columns, BYTES as base64
        ("PROTOBUF_NOSR", "YWI=", False),  # never unwrapped
    ],
)
def test_kafka_bytes_and_protobuf_nosr_keys_as_ksqldbs_harness(fmt: str, key: object, ok: bool) -> None:
    """KafkaSerdeSupplier (TestByteBufferSerializer/-Deserializer: a KAFKA BYTES spec is its string's UTF-8
    bytes, read back with new String(bytes, UTF_8)) and ValueSpecProtobufNoSRSerdeSupplier (reads with the
    columns' struct schema, so a single key column is {"K": ...})."""
    from ksqlserver.conformance import qtt

    verdict, reason = qtt.run_case(_key_case(fmt, key))
    assert (verdict == qtt.PASS) is ok, reason


def test_numbers_match_as_expected_record_comparator_compares_them() -> None:
    """ExpectedRecordComparator.compareNumber/compareDecimal (ksqldb-functional-tests 0.29): a Double
    within 1e-6; a BigDecimal (a JSON float, read with USE_BIG_DECIMAL_FOR_FLOATS) equal in value and
    scale to a decimal expected, or of scale <= 0 and within the long range for an integer expected;
    an integer expected beyond the long range (a BigIntegerNode) never matches a BigDecimal, and a
    BigInteger actual matches nothing."""
    from decimal import Decimal

    from ksqlserver.conformance.records import matches

    assert matches(Decimal("1.0E+308"), 1e308) and matches(10**308, 1e308)
    assert matches(Decimal("1.5"), 1.5000005) and not matches(Decimal("1.5"), 1.500002)
    assert matches(Decimal("9.223372036854776E+18"), Decimal("9.223372036854776E+18"))
    assert not matches(9223372036854776000, Decimal("9.223372036854776E+18"))
    assert not matches(Decimal("1.50"), Decimal("1.5"))
    assert matches(10, Decimal("1E+1")) and not matches(10, Decimal("10.0"))
    assert not matches(2**64, 2**64)  # a BigInteger actual
    assert matches(2**40, 2**40) and not matches(2**40 + 1, 2**40)
    assert matches(Decimal("1.5"), 1)  # Integer actual: expected.intValue() truncates
    assert not matches(1, True) and not matches(1, "1")
