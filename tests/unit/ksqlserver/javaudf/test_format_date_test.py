"""ksqlDB 0.29 FormatDateTest (function/udf/datetime): FormatDate.formatDate(Date, String): time fields refused
("Unsupported field: HourOfDay"), embedded literals, nulls, invalid patterns, round trip with ParseDate."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

D, S = T.DATE, T.STRING
NOV_9_2014 = 16383


def test_converts(call: Any) -> None:  # shouldConvertDateToString, shouldSupportEmbeddedChars, ...Formatters
    assert call("FORMAT_DATE", [D, S], NOV_9_2014, "yyyy-MM-dd") == "2014-11-09"
    assert call("FORMAT_DATE", [D, S], NOV_9_2014, "yyyy-dd-MM'Fred'") == "2014-09-11Fred"
    assert call("FORMAT_DATE", [D, S], 18765, "yyyy-MM-dd'X42'") == "2021-05-18X42"


def test_nulls(call: Any) -> None:  # shouldReturnNullOnNullDate, shouldReturnNullOnNullFormat
    assert call("FORMAT_DATE", [D, S], None, "yyyy-MM-dd") is None
    assert call("FORMAT_DATE", [D, S], NOV_9_2014, None) is None


def test_unsupported_fields(call: Any) -> None:  # shouldThrowOnUnsupportedFields
    with pytest.raises(KsqlError) as err:
        call("FORMAT_DATE", [D, S], NOV_9_2014, "yyyy-MM-dd HH:mm")
    assert err.value.message == (
        "Failed to format date 2014-11-09 with formatter 'yyyy-MM-dd HH:mm': Unsupported field: HourOfDay"
    )


def test_invalid_format(call: Any) -> None:  # shouldThrowIfFormatInvalid
    with pytest.raises(KsqlError, match="Failed to format date 2014-11-09 with formatter 'invalid'"):
        call("FORMAT_DATE", [D, S], NOV_9_2014, "invalid")


def test_round_trips_with_parse_date(call: Any) -> None:  # shouldRoundTripWithStringToDate
    fmt = "dd/MM/yyyy'Freya'"
    for idx in range(-10_000, 20_000, 7):
        assert call("PARSE_DATE", [S, S], call("FORMAT_DATE", [D, S], idx, fmt), fmt) == idx


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("FORMAT_DATE(FROM_DAYS(16383), 'yyyy-dd-MM''Fred''')", "FORMAT_DATE(FROM_DAYS(X), 'yyyy HH')",
                   row={"X": 16383})
    assert r.values == ["2014-09-11Fred", None]
    assert r.types == ["STRING"] * 2
    assert r.errors[0].endswith("Failed to format date 2014-11-09 with formatter 'yyyy HH': Unsupported field: HourOfDay")


def test_offsets_and_zones_are_unsupported(call: Any) -> None:
    """A LocalDate has no offset (OffsetSeconds) and no zone (DateTimePrintContext's "Unable to extract
    ZoneId"); texts from ksqlDB's FormatDate run once on a JDK."""
    with pytest.raises(KsqlError) as err:
        call("FORMAT_DATE", [D, S], 0, "yyyy-MM-dd XXX")
    assert err.value.message.endswith("'yyyy-MM-dd XXX': Unsupported field: OffsetSeconds")
    with pytest.raises(KsqlError) as err:
        call("FORMAT_DATE", [D, S], 0, "yyyy VV")
    assert err.value.message.endswith("'yyyy VV': Unable to extract ZoneId from temporal 1970-01-01")
