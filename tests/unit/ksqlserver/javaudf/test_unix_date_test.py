"""ksqlDB 0.29 UnixDateTest (function/udf/datetime): UnixDate.unixDate() is LocalDate.now().toEpochDay();
unixDate(Date) its days (shouldReturnDays: Date(864000000) is 10); null gives null."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ksqlserver.catalog import types as T


def test_unix_date(call: Any) -> None:
    now = (dt.date.today() - dt.date(1970, 1, 1)).days
    assert call("UNIX_DATE", []) in (now, now + 1)  # shouldGetTheUnixDate (midnight may pass)
    assert call("UNIX_DATE", [T.DATE], 10) == 10
    assert call("UNIX_DATE", [T.DATE], None) is None


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("UNIX_DATE(FROM_DAYS(10))", "UNIX_DATE(CAST(NULL AS DATE))", "UNIX_DATE()")
    assert r.values[:2] == [10, None]
    assert r.values[2] >= 20000
    assert r.types == ["INTEGER"] * 3
