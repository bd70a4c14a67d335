"""The built-in aggregates' arithmetic, as ksqlDB 0.29's UDAF classes compute it: `FACTORIES` by name.

Java's integer overflow is kept (SUM and AVG of INT wrap at 32 bits, BIGINT at 64), STDDEV_SAMP returns
the sample variance (STDDEV_SAMPLE its square root), CORRELATION and AVG divide as doubles, SUM of
DECIMAL rounds to the column's precision and fails past it, MIN/MAX/TOPK sort by Java's compareTo (strings
by UTF-16 code units), the collections compare values with Java's equals (Double.equals, BigDecimal.equals).
Accumulators are plain data (lists, numbers) so state stores and changelogs keep them exactly.

One module per family: `counting` (COUNT, SUM, SUM_LIST, MIN, MAX), `statistics` (AVG, STDDEV_*,
CORRELATION), `collecting` (COLLECT_LIST/SET, HISTOGRAM, ATTR, COUNT_DISTINCT), `ranking` (TOPK,
TOPKDISTINCT), `offsets` (EARLIEST/LATEST_BY_OFFSET); `common` holds the `Factory` signature and Java's
arithmetic and ordering.
"""

from __future__ import annotations

from ksqlserver.functions.udafs.collecting import attr, collect_list, collect_set, count_distinct, histogram
from ksqlserver.functions.udafs.common import Factory
from ksqlserver.functions.udafs.counting import count, extreme, sum_, sum_list
from ksqlserver.functions.udafs.offsets import earliest_by_offset, latest_by_offset
from ksqlserver.functions.udafs.ranking import topk, topk_distinct
from ksqlserver.functions.udafs.statistics import avg, correlation, stddev

FACTORIES: dict[str, Factory] = {
    "ATTR": attr,
    "AVG": avg,
    "COLLECT_LIST": collect_list,
    "COLLECT_SET": collect_set,
    "CORRELATION": correlation,
    "COUNT": count,
    "COUNT_DISTINCT": count_distinct,
    "EARLIEST_BY_OFFSET": earliest_by_offset,
    "HISTOGRAM": histogram,
    "LATEST_BY_OFFSET": latest_by_offset,
    "MAX": extreme(True),
    "MIN": extreme(False),
    "STDDEV_SAMP": stddev(False),
    "STDDEV_SAMPLE": stddev(True),
    "SUM": sum_,
    "SUM_LIST": sum_list,
    "TOPK": topk,
    "TOPKDISTINCT": topk_distinct,
}

__all__ = ["FACTORIES", "Factory"]
