"""ksqlDB 0.29 TruncTest (function/udf/math): shouldTruncateSimpleDoublePositive,
shouldTruncateSimpleDoubleNegative, shouldTruncateSimpleBigDecimalPositive,
shouldTruncateSimpleBigDecimalNegative, shouldTruncateDoubleWithDecimalPlacesPositive,
shouldTruncateDoubleWithDecimalPlacesNegative, shouldTruncateBigDecimalWithDecimalPlacesPositive,
shouldTruncateBigDecimalWithDecimalPlacesNegative,
shouldHandleDoubleLiteralsEndingWith5ThatCannotBeRepresentedExactlyAsDoubles, shouldHandleNullValues,
shouldHandleNullDecimalPlaces, shouldTruncateInt, shouldTruncateLong; Trunc.trunc for INT, BIGINT and DOUBLE
arguments (each CASES row is one of the Java test's assertions, in order; closeTo's absolute tolerance kept)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from ksqlserver.catalog import types as T

INT, BIG, D = T.INTEGER, T.BIGINT, T.DOUBLE

CASES = [
    ('shouldTruncateSimpleDoublePositive', [D], [0.0], 'is', 0),
    ('shouldTruncateSimpleDoublePositive', [D], [1.23], 'is', 1),
    ('shouldTruncateSimpleDoublePositive', [D], [1.0], 'is', 1),
    ('shouldTruncateSimpleDoublePositive', [D], [1.5], 'is', 1),
    ('shouldTruncateSimpleDoublePositive', [D], [1.75], 'is', 1),
    ('shouldTruncateSimpleDoublePositive', [D], [1530000.0], 'is', 1530000),
    ('shouldTruncateSimpleDoublePositive', [D], [10.01], 'is', 10),
    ('shouldTruncateSimpleDoublePositive', [D], [12345.5], 'is', 12345),
    ('shouldTruncateSimpleDoublePositive', [D], [9.99], 'is', 9),
    ('shouldTruncateSimpleDoublePositive', [D], [110.1], 'is', 110),
    ('shouldTruncateSimpleDoublePositive', [D], [1530000.01], 'is', 1530000),
    ('shouldTruncateSimpleDoublePositive', [D], [9999999.99], 'is', 9999999),
    ('shouldTruncateSimpleDoubleNegative', [D], [-1.23], 'is', -1),
    ('shouldTruncateSimpleDoubleNegative', [D], [-1.0], 'is', -1),
    ('shouldTruncateSimpleDoubleNegative', [D], [-1.5], 'is', -1),
    ('shouldTruncateSimpleDoubleNegative', [D], [-1.75], 'is', -1),
    ('shouldTruncateSimpleDoubleNegative', [D], [-1530000.0], 'is', -1530000),
    ('shouldTruncateSimpleDoubleNegative', [D], [-10.01], 'is', -10),
    ('shouldTruncateSimpleDoubleNegative', [D], [-12345.5], 'is', -12345),
    ('shouldTruncateSimpleDoubleNegative', [D], [-9.99], 'is', -9),
    ('shouldTruncateSimpleDoubleNegative', [D], [-110.1], 'is', -110),
    ('shouldTruncateSimpleDoubleNegative', [D], [-1530000.01], 'is', -1530000),
    ('shouldTruncateSimpleDoubleNegative', [D], [-9999999.99], 'is', -9999999),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(2, 1)], [Decimal("0.0")], 'is', Decimal("0")),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(3, 2)], [Decimal("1.23")], 'is', Decimal("1")),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(2, 1)], [Decimal("1.0")], 'is', Decimal("1")),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(2, 1)], [Decimal("1.5")], 'is', Decimal("1")),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(3, 2)], [Decimal("1.75")], 'is', Decimal("1")),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(7, 0)], [Decimal("1530000")], 'is', Decimal("1530000")),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(3, 1)], [Decimal("10.1")], 'is', Decimal("10")),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(6, 1)], [Decimal("12345.5")], 'is', Decimal("12345")),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(3, 2)], [Decimal("9.99")], 'is', Decimal("9")),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(4, 1)], [Decimal("110.1")], 'is', Decimal("110")),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(9, 2)], [Decimal("1530000.01")], 'is', Decimal("1530000")),
    ('shouldTruncateSimpleBigDecimalPositive', [T.decimal(9, 2)], [Decimal("9999999.99")], 'is', Decimal("9999999")),
    ('shouldTruncateSimpleBigDecimalNegative', [T.decimal(3, 2)], [Decimal("-1.23")], 'is', Decimal("-1")),
    ('shouldTruncateSimpleBigDecimalNegative', [T.decimal(2, 1)], [Decimal("-1.0")], 'is', Decimal("-1")),
    ('shouldTruncateSimpleBigDecimalNegative', [T.decimal(2, 1)], [Decimal("-1.5")], 'is', Decimal("-1")),
    ('shouldTruncateSimpleBigDecimalNegative', [T.decimal(7, 0)], [Decimal("-1530000")], 'is', Decimal("-1530000")),
    ('shouldTruncateSimpleBigDecimalNegative', [T.decimal(3, 1)], [Decimal("-10.1")], 'is', Decimal("-10")),
    ('shouldTruncateSimpleBigDecimalNegative', [T.decimal(6, 1)], [Decimal("-12345.5")], 'is', Decimal("-12345")),
    ('shouldTruncateSimpleBigDecimalNegative', [T.decimal(3, 2)], [Decimal("-9.99")], 'is', Decimal("-9")),
    ('shouldTruncateSimpleBigDecimalNegative', [T.decimal(4, 1)], [Decimal("-110.1")], 'is', Decimal("-110")),
    ('shouldTruncateSimpleBigDecimalNegative', [T.decimal(9, 2)], [Decimal("-1530000.01")], 'is', Decimal("-1530000")),
    ('shouldTruncateSimpleBigDecimalNegative', [T.decimal(9, 2)], [Decimal("-9999999.99")], 'is', Decimal("-9999999")),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [0.0, 0], 'is', 0.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [1.0, 0], 'is', 1.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [1.1, 0], 'is', 1.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [1.5, 0], 'is', 1.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [1.75, 0], 'is', 1.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.1, 0], 'is', 100.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.5, 0], 'is', 100.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.75, 0], 'is', 100.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.1, 1], 'is', 100.1),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.11, 1], 'is', 100.1),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.15, 1], 'is', 100.1),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.17, 1], 'is', 100.1),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.11, 2], 'is', 100.11),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.111, 2], 'is', 100.11),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.115, 2], 'is', 100.11),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.117, 2], 'is', 100.11),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.111, 3], 'is', 100.111),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.1111, 3], 'is', 100.111),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.1115, 3], 'is', 100.111),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [100.1117, 3], 'is', 100.111),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [1.0, 3], 'is', 1.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [1.1, 3], 'is', 1.1),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [1.5, 3], 'is', 1.5),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [1.7, 3], 'is', 1.7),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [12345.67, -1], 'is', 12340.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [12345.67, -2], 'is', 12300.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [12345.67, -3], 'is', 12000.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [12345.67, -4], 'is', 10000.0),
    ('shouldTruncateDoubleWithDecimalPlacesPositive', [D, INT], [12345.67, -5], 'is', 0.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-1.0, 0], 'is', -1.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-1.1, 0], 'is', -1.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-1.5, 0], 'is', -1.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-1.75, 0], 'is', -1.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.1, 0], 'is', -100.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.5, 0], 'is', -100.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.75, 0], 'is', -100.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.1, 1], 'is', -100.1),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.11, 1], 'is', -100.1),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.15, 1], 'is', -100.1),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.17, 1], 'is', -100.1),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.11, 2], 'is', -100.11),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.111, 2], 'is', -100.11),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.115, 2], 'is', -100.11),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.117, 2], 'is', -100.11),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.111, 3], 'is', -100.111),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.1111, 3], 'is', -100.111),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.1115, 3], 'is', -100.111),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-100.1117, 3], 'is', -100.111),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-1.0, 3], 'is', -1.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-1.1, 3], 'is', -1.1),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-1.5, 3], 'is', -1.5),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-1.7, 3], 'is', -1.7),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-12345.67, -1], 'is', -12340.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-12345.67, -2], 'is', -12300.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-12345.67, -3], 'is', -12000.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-12345.67, -4], 'is', -10000.0),
    ('shouldTruncateDoubleWithDecimalPlacesNegative', [D, INT], [-12345.67, -5], 'is', 0.0),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(1, 0), INT], [Decimal("0"), 0], 'is', Decimal("0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(2, 1), INT], [Decimal("1.0"), 0], 'is', Decimal("1.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(2, 1), INT], [Decimal("1.1"), 0], 'is', Decimal("1.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(2, 1), INT], [Decimal("1.5"), 0], 'is', Decimal("1.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(3, 2), INT], [Decimal("1.75"), 0], 'is', Decimal("1.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(4, 1), INT], [Decimal("100.1"), 0], 'is', Decimal("100.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(4, 1), INT], [Decimal("100.5"), 0], 'is', Decimal("100.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(5, 2), INT], [Decimal("100.75"), 0], 'is', Decimal("100.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(5, 2), INT], [Decimal("100.10"), 1], 'is', Decimal("100.10")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(5, 2), INT], [Decimal("100.11"), 1], 'is', Decimal("100.10")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(5, 2), INT], [Decimal("100.15"), 1], 'is', Decimal("100.10")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(5, 2), INT], [Decimal("100.17"), 1], 'is', Decimal("100.10")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(6, 3), INT], [Decimal("100.110"), 2], 'is', Decimal("100.110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(6, 3), INT], [Decimal("100.111"), 2], 'is', Decimal("100.110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(6, 3), INT], [Decimal("100.115"), 2], 'is', Decimal("100.110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(6, 3), INT], [Decimal("100.117"), 2], 'is', Decimal("100.110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 4), INT], [Decimal("100.1110"), 3], 'is', Decimal("100.1110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 4), INT], [Decimal("100.1111"), 3], 'is', Decimal("100.1110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 4), INT], [Decimal("100.1115"), 3], 'is', Decimal("100.1110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 4), INT], [Decimal("100.1117"), 3], 'is', Decimal("100.1110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(2, 1), INT], [Decimal("1.0"), 3], 'is', Decimal("1.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(2, 1), INT], [Decimal("1.1"), 3], 'is', Decimal("1.1")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(2, 1), INT], [Decimal("1.5"), 3], 'is', Decimal("1.5")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(2, 1), INT], [Decimal("1.7"), 3], 'is', Decimal("1.7")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 2), INT], [Decimal("12345.67"), -1], 'is', Decimal("12340.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 2), INT], [Decimal("12345.67"), -2], 'is', Decimal("12300.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 2), INT], [Decimal("12345.67"), -3], 'is', Decimal("12000.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 2), INT], [Decimal("12345.67"), -4], 'is', Decimal("10000.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesPositive', [T.decimal(7, 2), INT], [Decimal("12345.67"), -5], 'is', Decimal("0.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(2, 1), INT], [Decimal("-1.0"), 0], 'is', Decimal("-1.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(2, 1), INT], [Decimal("-1.1"), 0], 'is', Decimal("-1.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(2, 1), INT], [Decimal("-1.5"), 0], 'is', Decimal("-1.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(3, 2), INT], [Decimal("-1.75"), 0], 'is', Decimal("-1.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(4, 1), INT], [Decimal("-100.1"), 0], 'is', Decimal("-100.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(4, 1), INT], [Decimal("-100.5"), 0], 'is', Decimal("-100.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(5, 2), INT], [Decimal("-100.75"), 0], 'is', Decimal("-100.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(5, 2), INT], [Decimal("-100.10"), 1], 'is', Decimal("-100.10")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(5, 2), INT], [Decimal("-100.11"), 1], 'is', Decimal("-100.10")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(5, 2), INT], [Decimal("-100.15"), 1], 'is', Decimal("-100.10")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(5, 2), INT], [Decimal("-100.17"), 1], 'is', Decimal("-100.10")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(6, 3), INT], [Decimal("-100.110"), 2], 'is', Decimal("-100.110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(6, 3), INT], [Decimal("-100.111"), 2], 'is', Decimal("-100.110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(6, 3), INT], [Decimal("-100.115"), 2], 'is', Decimal("-100.110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(6, 3), INT], [Decimal("-100.117"), 2], 'is', Decimal("-100.110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 4), INT], [Decimal("-100.1110"), 3], 'is', Decimal("-100.1110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 4), INT], [Decimal("-100.1111"), 3], 'is', Decimal("-100.1110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 4), INT], [Decimal("-100.1115"), 3], 'is', Decimal("-100.1110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 4), INT], [Decimal("-100.1117"), 3], 'is', Decimal("-100.1110")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(2, 1), INT], [Decimal("-1.0"), 3], 'is', Decimal("-1.0")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(2, 1), INT], [Decimal("-1.1"), 3], 'is', Decimal("-1.1")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(2, 1), INT], [Decimal("-1.5"), 3], 'is', Decimal("-1.5")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(2, 1), INT], [Decimal("-1.7"), 3], 'is', Decimal("-1.7")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 2), INT], [Decimal("-12345.67"), -2], 'is', Decimal("-12300.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 2), INT], [Decimal("-12345.67"), -3], 'is', Decimal("-12000.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 2), INT], [Decimal("-12345.67"), -4], 'is', Decimal("-10000.00")),
    ('shouldTruncateBigDecimalWithDecimalPlacesNegative', [T.decimal(7, 2), INT], [Decimal("-12345.67"), -5], 'is', Decimal("0.00")),
    ('shouldHandleDoubleLiteralsEndingWith5ThatCannotBeRepresentedExactlyAsDoubles', [T.decimal(6, 3), INT], [Decimal("265.335"), 2], 'is', Decimal("265.330")),
    ('shouldHandleDoubleLiteralsEndingWith5ThatCannotBeRepresentedExactlyAsDoubles', [T.decimal(6, 3), INT], [Decimal("-265.335"), 2], 'is', Decimal("-265.330")),
    ('shouldHandleDoubleLiteralsEndingWith5ThatCannotBeRepresentedExactlyAsDoubles', [T.decimal(6, 3), INT], [Decimal("265.365"), 2], 'is', Decimal("265.360")),
    ('shouldHandleDoubleLiteralsEndingWith5ThatCannotBeRepresentedExactlyAsDoubles', [T.decimal(6, 3), INT], [Decimal("-265.365"), 2], 'is', Decimal("-265.360")),
    ('shouldHandleNullValues', [INT], [None], 'is', None),
    ('shouldHandleNullValues', [BIG], [None], 'is', None),
    ('shouldHandleNullValues', [D], [None], 'is', None),
    ('shouldHandleNullValues', [D], [None], 'is', None),
    ('shouldHandleNullValues', [T.decimal(2, 1)], [None], 'is', None),
    ('shouldHandleNullValues', [D, INT], [None, 2], 'is', None),
    ('shouldHandleNullValues', [T.decimal(2, 1), INT], [None, 2], 'is', None),
    ('shouldHandleNullDecimalPlaces', [D, INT], [1.75, None], 'null', None),
    ('shouldHandleNullDecimalPlaces', [T.decimal(3, 2), INT], [Decimal("1.75"), None], 'null', None),
    ('shouldTruncateInt', [INT], [123], 'is', 123),
    ('shouldTruncateLong', [BIG], [123], 'is', 123),
]

# one call per argument type through the engine: (expression, CASES row, result type)
ENGINE = [
    ('TRUNC(CAST(0.0 AS DOUBLE))', 0, 'BIGINT'),
    ('TRUNC(CAST(0.0 AS DECIMAL(2, 1)))', 23, 'DECIMAL(1, 0)'),
    ('TRUNC(CAST(1.23 AS DECIMAL(3, 2)))', 24, 'DECIMAL(1, 0)'),
    ('TRUNC(CAST(1530000 AS DECIMAL(7, 0)))', 28, 'DECIMAL(7, 0)'),
    ('TRUNC(CAST(10.1 AS DECIMAL(3, 1)))', 29, 'DECIMAL(2, 0)'),
    ('TRUNC(CAST(12345.5 AS DECIMAL(6, 1)))', 30, 'DECIMAL(5, 0)'),
    ('TRUNC(CAST(110.1 AS DECIMAL(4, 1)))', 32, 'DECIMAL(3, 0)'),
    ('TRUNC(CAST(1530000.01 AS DECIMAL(9, 2)))', 33, 'DECIMAL(7, 0)'),
    ('TRUNC(CAST(0.0 AS DOUBLE), 0)', 45, 'DOUBLE'),
    ('TRUNC(CAST(0 AS DECIMAL(1, 0)), 0)', 102, 'DECIMAL(1, 0)'),
    ('TRUNC(CAST(1.0 AS DECIMAL(2, 1)), 0)', 103, 'DECIMAL(2, 1)'),
    ('TRUNC(CAST(1.75 AS DECIMAL(3, 2)), 0)', 106, 'DECIMAL(3, 2)'),
    ('TRUNC(CAST(100.1 AS DECIMAL(4, 1)), 0)', 107, 'DECIMAL(4, 1)'),
    ('TRUNC(CAST(100.75 AS DECIMAL(5, 2)), 0)', 109, 'DECIMAL(5, 2)'),
    ('TRUNC(CAST(100.110 AS DECIMAL(6, 3)), 2)', 114, 'DECIMAL(6, 3)'),
    ('TRUNC(CAST(100.1110 AS DECIMAL(7, 4)), 3)', 118, 'DECIMAL(7, 4)'),
    ('TRUNC(CAST(12345.67 AS DECIMAL(7, 2)), -1)', 126, 'DECIMAL(7, 2)'),
    ('TRUNC(123)', 171, 'BIGINT'),
    ('TRUNC(CAST(123 AS BIGINT))', 172, 'BIGINT'),
]


def check(out: Any, kind: str, expected: Any) -> None:
    if kind == "null":
        assert out is None
    elif kind == "nan":
        assert math.isnan(out)
    elif kind == "inf":
        assert math.isinf(out)
    elif kind == "close":
        assert out == pytest.approx(expected, abs=1e-15, rel=0)
    elif isinstance(expected, Decimal):  # BigDecimal.equals: the same value and scale
        assert isinstance(out, Decimal) and out == expected
        assert out.as_tuple().exponent == expected.as_tuple().exponent, (out, expected)
    else:
        assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize(("method", "types", "args", "kind", "expected"), CASES)
def test_trunc(call: Any, method: str, types: list[Any], args: list[Any], kind: str, expected: Any) -> None:
    check(call("TRUNC", types, *args), kind, expected)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select(*[e for e, _, _ in ENGINE])
    assert r.types == [t for _, _, t in ENGINE]
    assert not r.errors
    for out, (_, i, _) in zip(r.values, ENGINE, strict=True):
        check(out, CASES[i][3], CASES[i][4])
