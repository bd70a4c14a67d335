"""ksqlDB 0.29's CubeTest (ksqldb-engine io.confluent.ksql.function.udtf.CubeTest): Cube.cube, our
`tables.cube` behind CUBE_EXPLODE."""

from __future__ import annotations

from ksqlserver.functions.tables import cube


def test_should_cube_single_column() -> None:
    """shouldCubeSingleColumn"""
    assert cube([1]) == [[None], [1]]


def test_should_cube_single_null_column() -> None:
    """shouldCubeSingleNullColumn"""
    assert cube([None]) == [[None]]


def test_should_cube_columns_with_different_types() -> None:
    """shouldCubeColumnsWithDifferentTypes"""
    assert cube([1, "foo"]) == [[None, None], [None, "foo"], [1, None], [1, "foo"]]


def test_should_handle_one_null() -> None:
    """shouldHandleOneNull"""
    assert cube([1, None]) == [[None, None], [1, None]]


def test_should_handle_all_nulls() -> None:
    """shouldHandleAllNulls"""
    assert cube([None, None]) == [[None, None]]
