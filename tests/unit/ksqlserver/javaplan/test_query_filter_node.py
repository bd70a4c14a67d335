"""Port of ksqlDB 0.29 `io.confluent.ksql.planner.plan.QueryFilterNodeTest`: which WHERE clauses a pull query
accepts, the key lookups, range scans and table scans they plan, their window bounds and their messages.

The Java test reads `getLookupConstraints()` off a node built over a mocked source whose
`QueryPlannerOptions` mock answers `getTableScansEnabled()` false. Here the same predicates are pull queries
on the conftest's tables: with ksql.query.pull.table.scan.enabled=false a KeyConstraint (EQUAL) is a key
lookup that runs and returns the key's rows, a range KeyConstraint a range scan that runs, and a
NonKeyConstraint a table scan, which PullPhysicalPlanBuilder then refuses ("Query requires table scan to be
enabled"); window bounds show in the windows returned. Predicates the SQL type check refuses before the node
is built (`K = NULL`, `K = 'foo'`, WINDOWEND on a non-windowed table, an unknown column) are asserted with
that message and, where SQL reaches the node's check another way, with the node's message too."""

from __future__ import annotations

from typing import Any

from ksqlserver.runtime.pull_where import PULL_QUERY_SYNTAX_HELP

OFF = {"ksql.query.pull.table.scan.enabled": False}
ON = {"ksql.query.pull.table.scan.enabled": True}
NEEDS_SCAN = (
    "Query requires table scan to be enabled. Table scans can be enabled by setting "
    "ksql.query.pull.table.scan.enabled=true"
)


def _row(k: int) -> list[Any]:
    return [k, f"c{k}", f"r{k}"]


def _srow(k: str) -> list[Any]:
    return [k, f"c{k}", f"r{k}"]


def _windows(rows: list[list[Any]]) -> list[int]:
    """The WINDOWSTART of each row of TW (K, WINDOWSTART, WINDOWEND, CNT)."""
    return [r[1] for r in rows]


def test_should_extract_key_value_from_literal_equals(pull: Any) -> None:
    """shouldExtractKeyValueFromLiteralEquals: `K = 1` is a key lookup of key 1 (no window bounds)."""
    assert pull.rows("SELECT * FROM T WHERE K = 1;", OFF) == [_row(1)]


def test_should_extract_key_value_from_null_literal(pull: Any) -> None:
    """shouldExtractKeyValueFromNullLiteral: a key resolving to NULL is refused ("Primary key columns can not
    be NULL"); a NULL literal itself is already refused by the WHERE type check."""
    assert "Primary key columns can not be NULL: (K = CAST(null AS INTEGER))" in pull.error(
        "SELECT * FROM T WHERE K = CAST(NULL AS INTEGER);", OFF
    )
    assert "Comparison with NULL not supported: INTEGER = NULL" in pull.error("SELECT * FROM T WHERE K = NULL;", OFF)


def test_should_extract_key_value_from_expression_equals(pull: Any) -> None:
    """shouldExtractKeyValueFromExpressionEquals: `K = -1` looks up key -1."""
    assert pull.rows("SELECT * FROM T WHERE K = -1;", OFF) == [_row(-1)]


def test_should_extract_key_value_from_expression_equals_multiple_disjuncts(pull: Any) -> None:
    """shouldExtractKeyValueFromExpressionEquals_multipleDisjuncts: `K = 1 OR K = 2`: two key lookups, read
    in the HashSet order of their KeyConstraints whatever the disjunct order (KsLocator.locate)."""
    assert pull.rows("SELECT * FROM T WHERE K = 1 OR K = 2;", OFF) == [_row(2), _row(1)]
    assert pull.rows("SELECT * FROM T WHERE K = 2 OR K = 1;", OFF) == [_row(2), _row(1)]


def test_should_extract_key_values_from_in_expression(pull: Any) -> None:
    """shouldExtractKeyValuesFromInExpression: `K IN (1, 2)`: a key lookup per list item (read in the
    HashSet order of their KeyConstraints, KsLocator.locate)."""
    assert pull.rows("SELECT * FROM T WHERE K IN (1, 2);", OFF) == [_row(2), _row(1)]


def test_should_extract_key_value_from_expression_with_no_window_bounds(pull: Any) -> None:
    """shouldExtractKeyValueFromExpressionWithNoWindowBounds: on a windowed table `K = 1` is a lookup with
    unbounded window bounds: every window of the key."""
    assert _windows(pull.rows("SELECT * FROM TW WHERE K = 1;", OFF)) == [0, 1000, 2000, 3000]


def test_should_extract_window_bounds_on_window_start(pull: Any) -> None:
    """shouldExtractKeyValueAndWindowBountsFromExpressionWithGTWindowStart, ...GTEWindowStart,
    ...LTWindowStart, ...LTEWindowStart: open and closed bounds on WINDOWSTART."""
    for bound, starts in (("> 1000", [2000, 3000]), (">= 1000", [1000, 2000, 3000]), ("< 1000", [0]),
                          ("<= 1000", [0, 1000])):  # fmt: skip
        rows = pull.rows(f"SELECT * FROM TW WHERE K = 1 AND WINDOWSTART {bound};", OFF)
        assert _windows(rows) == starts, bound


def test_should_extract_window_bounds_on_window_end(pull: Any) -> None:
    """shouldExtractKeyValueAndWindowBoundsFromExpressionWithGTWindowEnd, ...GTEWindowEnd, ...LTWindowEnd,
    ...LTEWindowEnd, ...EQWindowEnd: bounds on WINDOWEND (windows are 1 second long)."""
    for bound, starts in (("> 2000", [2000, 3000]), (">= 2000", [1000, 2000, 3000]), ("< 2000", [0]),
                          ("<= 2000", [0, 1000]), ("= 2000", [1000])):  # fmt: skip
        rows = pull.rows(f"SELECT * FROM TW WHERE K = 1 AND WINDOWEND {bound};", OFF)
        assert _windows(rows) == starts, bound


def test_should_extract_both_window_bounds(pull: Any) -> None:
    """shouldExtractKeyValueAndWindowBoundsFromExpressionWithBothWindowBounds: WINDOWSTART > 0 AND
    WINDOWEND <= 3000."""
    rows = pull.rows("SELECT * FROM TW WHERE K = 1 AND WINDOWSTART > 0 AND WINDOWEND <= 3000;", OFF)
    assert rows == [[1, 1000, 2000, 1], [1, 2000, 3000, 1]]


def test_should_extract_window_bounds_from_datetime_text(pull: Any) -> None:
    """shouldExtractKeyValueAndWindowBoundsFromExpressionWithGTWindowStartText: '2020-01-01' is
    1577836800000 (UTC)."""
    assert pull.rows("SELECT * FROM TW WHERE K = 1 AND WINDOWSTART > '2020-01-01';", OFF) == []
    rows = pull.rows("SELECT * FROM TW WHERE K = 1 AND WINDOWSTART > '1970-01-01T00:00:01';", OFF)
    assert _windows(rows) == [2000, 3000]


def test_should_support_multi_key_expressions(pull: Any) -> None:
    """shouldSupportMultiKeyExpressions / shouldExtractMultiColKeySchema: `K1 = 1 AND K2 = 2` is one lookup of
    the key (1, 2)."""
    assert pull.rows("SELECT * FROM TM WHERE K1 = 1 AND K2 = 2;", OFF) == [[1, 2, 12]]
    assert pull.rows("SELECT * FROM TM WHERE K1 = 1 AND K2 = 3;", OFF) == [[1, 3, 13]]


def test_should_throw_key_expression_that_doesnt_cover_key(pull: Any) -> None:
    """shouldThrowKeyExpressionThatDoestCoverKey and ..._multipleDisjuncts: a disjunct without the key."""
    assert "WHERE clause missing key column for disjunct: (WINDOWSTART = 1234)" in pull.error(
        "SELECT * FROM TW WHERE WINDOWSTART = 1234;", OFF
    )
    assert "WHERE clause missing key column for disjunct: (WINDOWSTART = 1)" in pull.error(
        "SELECT * FROM TW WHERE WINDOWSTART = 1 OR K = 2;", OFF
    )


def test_should_extract_constraint_for_special_col_table_scan(pull: Any) -> None:
    """shouldExtractConstraintForSpecialCol_tableScan: with table scans on, the same query is a table scan."""
    rows = pull.rows("SELECT * FROM TW WHERE WINDOWSTART = 1000;", ON)
    assert sorted(rows) == [[1, 1000, 2000, 1], [2, 1000, 2000, 1]]


def test_should_throw_multi_key_expressions_that_dont_cover_all_keys(pull: Any) -> None:
    """shouldThrowMultiKeyExpressionsThatDontCoverAllKeys / shouldThrowOnMultiColKeySchema, and
    shouldExtractConstraintForMultiKeyExpressionsThatDontCoverAllKeys_tableScan."""
    expected = ("Multi-column sources must specify every key in the WHERE clause. Specified: [`K1`] Expected: "
                "[`K1` INTEGER KEY, `K2` INTEGER KEY].")  # fmt: skip
    assert expected in pull.error("SELECT * FROM TM WHERE K1 = 1;", OFF)
    assert expected in pull.error("SELECT * FROM TM WHERE K1 = -1;", OFF)
    assert pull.rows("SELECT * FROM TM WHERE K1 = 1;", ON) == [[1, 1, 11], [1, 2, 12], [1, 3, 13]]


def test_should_throw_if_comparison_on_non_key(pull: Any) -> None:
    """shouldThrowIfComparisonOnNonKey: a column the source lacks. The WHERE type check (Analyzer's
    ColumnReferenceValidator) refuses it before the node's "Bound on non-existent column `C1`."."""
    assert "WHERE column 'C1' cannot be resolved" in pull.error("SELECT * FROM T WHERE C1 = 1;", OFF)


def test_should_throw_if_not_comparison_expression(pull: Any) -> None:
    """shouldThrowIfNotComparisonExpression: `WHERE true`, with table scans on or off."""
    for props in (OFF, ON):
        message = pull.error("SELECT * FROM T WHERE true;", props)
        assert message.startswith("Unsupported expression in WHERE clause: true. " + PULL_QUERY_SYNTAX_HELP)


def test_should_extract_key_from_non_equal_comparison(pull: Any) -> None:
    """shouldExtractKeyFromNonEqualComparison / shouldReturnNonKeyConstraintIntGreater /
    shouldTableScanFromIntRangeComparison: `K > 1` on an INTEGER key is a NonKeyConstraint: a table scan."""
    assert pull.error("SELECT * FROM T WHERE K > 1;", OFF) == NEEDS_SCAN
    assert pull.rows("SELECT * FROM T WHERE K > 1;", ON) == [_row(2), _row(3), _row(4)]


def test_should_throw_on_in_and_comparison_expression(pull: Any) -> None:
    """shouldThrowOnInAndComparisonExpression."""
    assert ("A comparison condition on the key column cannot be combined with other comparisons"
            in pull.error("SELECT * FROM T WHERE K = 1 AND K IN (1, 2);", OFF))  # fmt: skip


def test_should_throw_if_non_convertible_type(pull: Any) -> None:
    """shouldThrowIfNonConvertibleType: the WHERE type check refuses `K = 'foo'`; an IN list reaches the
    key's strict coercion."""
    assert "Cannot compare K (INTEGER) to 'foo' (STRING) with EQUAL." in pull.error(
        "SELECT * FROM T WHERE K = 'foo';", OFF
    )
    assert pull.error("SELECT * FROM T WHERE K IN ('10', 1);", OFF) == (
        "'10' can not be converted to the type of the key column: K INTEGER KEY"
    )


def test_should_throw_on_multiple_key_expressions(pull: Any) -> None:
    """shouldThrowOnMultipleKeyExpressions and shouldExtractConstraintWithMultipleKeyExpressions_tableScan:
    with table scans on, `K = 1 AND K = 2` is a KeyConstraint (of key 1) whose row the predicate drops."""
    assert ("A comparison condition on the key column cannot be combined with other comparisons"
            in pull.error("SELECT * FROM T WHERE K = 1 AND K = 2;", OFF))  # fmt: skip
    assert pull.rows("SELECT * FROM T WHERE K = 1 AND K = 2;", ON) == []


def test_should_throw_on_non_key_col(pull: Any) -> None:
    """shouldThrowOnNonKeyCol and shouldExtractConstraintWithNonKeyCol_tableScan."""
    assert "WHERE clause missing key column for disjunct: (COL0 = 'abc')" in pull.error(
        "SELECT * FROM T WHERE COL0 = 'abc';", OFF
    )
    assert pull.rows("SELECT * FROM T WHERE COL0 = 'abc';", ON) == []
    assert pull.rows("SELECT * FROM T WHERE COL0 = 'c3';", ON) == [_row(3)]


def test_should_throw_on_fail_to_parse_timestamp(pull: Any) -> None:
    """shouldThrowOnFailToParseTimestamp (the pseudo-timestamp rewrite parses the text first)."""
    assert "Failed to parse timestamp 'Foobar'" in pull.error(
        "SELECT * FROM TW WHERE K = 1 AND WINDOWSTART > 'Foobar';", OFF
    )


def test_should_throw_on_invalid_timestamp_type(pull: Any) -> None:
    """shouldThrowOnInvalidTimestampType: a bound that does not resolve to a BIGINT (a DECIMAL here: the type
    check refuses a BOOLEAN first)."""
    message = "Window bounds must resolve to an INT, BIGINT, or STRING containing a datetime."
    assert message in pull.error("SELECT * FROM TW WHERE K = 1 AND WINDOWSTART > 1.5;", OFF)
    assert "Cannot compare WINDOWSTART (BIGINT) to false (BOOLEAN)" in pull.error(
        "SELECT * FROM TW WHERE K = 1 AND WINDOWSTART > false;", OFF
    )
    assert _windows(pull.rows("SELECT * FROM TW WHERE K = 1 AND WINDOWSTART > 1000 + 1000;", OFF)) == [3000]


def test_should_throw_on_eq_one_window_bound_and_gt_another(pull: Any) -> None:
    """shouldThrowOnEqOneWindowBoundAndGtAnother."""
    assert "`(WINDOWSTART > 3)` cannot be combined with other `WINDOWSTART` bounds" in pull.error(
        "SELECT * FROM TW WHERE K = 1 AND WINDOWSTART = 2 AND WINDOWSTART > 3;", OFF
    )


def test_should_throw_on_duplicate_bounds(pull: Any) -> None:
    """shouldThrowOnGTAndGTEComparisonsForSameBound and shouldThrowOnTwoGTComparisonsForSameBound."""
    for second in (">= 3", "> 3"):
        assert "Duplicate `WINDOWSTART` bounds on: GREATER_THAN" in pull.error(
            f"SELECT * FROM TW WHERE K = 1 AND WINDOWSTART > 2 AND WINDOWSTART {second};", OFF
        )


def test_should_throw_on_invalid_type_comparison_for_window_bound(pull: Any) -> None:
    """shouldThrowOnInvalidTypeComparisonForWindowBound."""
    assert "Unsupported `WINDOWEND` bounds: IS_DISTINCT_FROM." in pull.error(
        "SELECT * FROM TW WHERE K = 1 AND WINDOWEND IS DISTINCT FROM 2;", OFF
    )


def test_should_throw_on_usage_of_window_bound_on_nonwindowed_table(pull: Any) -> None:
    """shouldThrowOnUsageOfWindowBoundOnNonwindowedTable: a non-windowed table has no WINDOWEND column, so
    the WHERE type check refuses it before the node's "Cannot use WINDOWSTART/WINDOWEND on non-windowed
    source."."""
    assert "WHERE column 'WINDOWEND' cannot be resolved" in pull.error(
        "SELECT * FROM T WHERE K = 1 AND WINDOWEND = 2;", OFF
    )


def test_should_range_scan_from_string_range_comparison(pull: Any) -> None:
    """shouldRangeScanFromStringRangeComparison / shouldReturnKeyConstraintStringGreater: `K > '1'` on a
    STRING key is a range KeyConstraint: a range scan, which needs no table scan, unless range scans are
    disabled."""
    assert pull.rows("SELECT * FROM TS WHERE K > '1';", OFF) == [_srow(k) for k in ("2", "v1", "v2", "v3")]
    assert pull.rows("SELECT * FROM TS WHERE K > 'v1';", OFF) == [_srow("v2"), _srow("v3")]
    no_ranges = {**OFF, "ksql.query.pull.range.scan.enabled": False}
    assert pull.error("SELECT * FROM TS WHERE K > 'v1';", no_ranges) == NEEDS_SCAN


def test_should_support_multi_range_expressions_using_table_scan(pull: Any) -> None:
    """shouldSupportMultiRangeExpressionsUsingTableScan / shouldNotExtractMultiColKeySchema: ranges over a
    multi-column key are NonKeyConstraints: table scans."""
    assert pull.error("SELECT * FROM TM WHERE K1 > 1 AND K2 > 2;", OFF) == NEEDS_SCAN
    assert pull.rows("SELECT * FROM TM WHERE K1 > 1 AND K2 > 2;", ON) == [[2, 3, 23], [3, 3, 33]]
    assert pull.error("SELECT * FROM TM WHERE K1 > 1 AND K2 = 3;", OFF) == NEEDS_SCAN
    assert pull.rows("SELECT * FROM TM WHERE K1 > 1 AND K2 = 3;", ON) == [[2, 3, 23], [3, 3, 33]]


def test_should_throw_non_string_for_like(pull: Any) -> None:
    """shouldThrowNonStringForLike: a LIKE whose value is not a column."""
    assert "Like condition must be between strings" in pull.error("SELECT * FROM T WHERE 'a' LIKE COL0;", OFF)


def test_like_on_a_column_needs_a_string_pattern(pull: Any) -> None:
    """QueryFilterNode.Validator.visitLikePredicate (what the Java test's LIKE case leads to): a LIKE on a
    column is accepted next to a key equality; its pattern must be a literal."""
    assert pull.rows("SELECT * FROM T WHERE K = 1 AND COL0 LIKE 'c%';", OFF) == [_row(1)]
    assert "WHERE clause missing key column for disjunct: (COL0 LIKE 'c%')" in pull.error(
        "SELECT * FROM T WHERE COL0 LIKE 'c%';", OFF
    )
    assert ("Like condition on non-string pattern io.confluent.ksql.execution.expression.tree."
            "UnqualifiedColumnReferenceExp") in pull.error(
        "SELECT * FROM T WHERE K = 1 AND COL0 LIKE ROWKEY;", ON
    )  # fmt: skip


def test_should_throw_not_key_column_for_between(pull: Any) -> None:
    """shouldThrowNotKeyColumnForBetween: BETWEEN is rewritten to two comparisons, neither on a column."""
    assert "A comparison must directly reference a key column" in pull.error(
        "SELECT * FROM T WHERE 'a' BETWEEN 'b' AND 'c';", OFF
    )


def test_should_return_key_constraint_int(pull: Any) -> None:
    """shouldReturnKeyConstraintInt / shouldReturnKeyConstraintString: with table scans on, `K > 1 AND K = 3`
    keeps the most selective constraint, the equality: a lookup of key 3."""
    assert pull.rows("SELECT * FROM T WHERE K > 1 AND K = 3;", ON) == [_row(3)]
    assert pull.rows("SELECT * FROM TS WHERE K > 'v1' AND K = 'v2';", ON) == [_srow("v2")]


def test_should_return_key_constraint_string_for_or(pull: Any) -> None:
    """shouldReturnKeyConstraintStringForOr: `K > 'v1' OR K = 'v2'` gives two KeyConstraints, a range and an
    equality, which PullPhysicalPlanBuilder.getPlanType plans as a table scan."""
    assert pull.error("SELECT * FROM TS WHERE K > 'v1' OR K = 'v2';", OFF) == NEEDS_SCAN
    assert pull.rows("SELECT * FROM TS WHERE K > 'v1' OR K = 'v2';", ON) == [_srow("v2"), _srow("v3")]


def test_missing_where_clause_needs_table_scans(pull: Any) -> None:
    """LogicalPlanner.buildQueryLogicalPlan (what the node's absence means): no WHERE clause is refused
    without table scans."""
    assert pull.error("SELECT * FROM T;", OFF).startswith("Missing WHERE clause. " + PULL_QUERY_SYNTAX_HELP)
    assert len(pull.rows("SELECT * FROM T;", ON)) == 5
