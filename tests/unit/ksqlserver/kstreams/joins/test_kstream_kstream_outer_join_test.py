"""Kafka Streams 3.5's KStreamKStreamOuterJoinTest (org.apache.kafka.streams.kstream.internals) as KSQL
`FULL OUTER JOIN ... WITHIN` scenarios.

ksqlDB 0.29's StreamStreamJoinBuilder calls `left.outerJoin(right, joiner, windows)` for FULL OUTER, with
`JoinWindows.ofTimeDifferenceAndGrace(before, grace).after(after)` when the WITHIN clause has a GRACE PERIOD
(unmatched records of both sides held in the shared outer store until their window closes) and the
deprecated `JoinWindows.of(before).after(after)` otherwise (emitted at once). The key is the synthetic
ROWKEY (the join key of whichever side is present). `ofTimeDifferenceWithNoGrace(d)` is
`WITHIN d GRACE PERIOD 0 MILLISECONDS`, `.before(ZERO)` `WITHIN (0 MILLISECONDS, d)`, `.after(ZERO)`
`WITHIN (d, 0 MILLISECONDS)`. The Java test sets the emit interval of held results to 0 (here too).

Ported: testOuterJoinDuplicatesWithFixDisabledOldApi (its `.grace(10ms)` cannot be written in ksqlDB, where
`WITHIN d` has of()'s default grace; no record is late enough for it to matter), testOuterJoinDuplicates,
testLeftExpiredNonJoinedRecordsAreEmittedByTheLeftProcessor / ByTheRightProcessor,
testRightExpiredNonJoinedRecordsAreEmittedByTheLeftProcessor / ByTheRightProcessor, testOrdering,
testGracePeriod, testOuterJoinWithDefaultSuppliers (runOuterJoin), testWindowing (with testUpperWindowBound /
testLowerWindowBound), shouldNotEmitLeftJoinResultForAsymmetricBeforeWindow / AfterWindow,
shouldForwardCurrentHeaders (the sink records' headers).
Skipped:
- testOuterJoinWithInMemoryCustomSuppliers: ksqlDB cannot choose the join's store suppliers (same scenario
  as runOuterJoin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Joins, Scenario

NO_EMIT_INTERVAL = {"ksql.streams.__emit.interval.ms.kstreams.outer.join.spurious.results.fix__": "0"}
OUTER = "ROWKEY AS K, L.V AS L_V, R.V AS R_V"
KEYS = [0, 1, 2, 3]
NO_GRACE = "WITHIN 100 MILLISECONDS"  # JoinWindows.of(100ms): the spurious-result fix off
GRACE0 = "WITHIN 100 MILLISECONDS GRACE PERIOD 0 MILLISECONDS"  # ofTimeDifferenceWithNoGrace(100ms)
GRACE10 = "WITHIN 100 MILLISECONDS GRACE PERIOD 10 MILLISECONDS"  # ofTimeDifferenceAndGrace(100ms, 10ms)
AFTER_ONLY = (
    "WITHIN (0 MILLISECONDS, 100 MILLISECONDS) GRACE PERIOD 0 MILLISECONDS"  # ...(100ms).before(ZERO)
)
BEFORE_ONLY = (
    "WITHIN (100 MILLISECONDS, 0 MILLISECONDS) GRACE PERIOD 0 MILLISECONDS"  # ...(100ms).after(ZERO)
)


def _upper_window_bound(t: Scenario) -> None:
    """testUpperWindowBound."""
    # push four items with larger and increasing timestamp (out of window) to the other stream; this should produced 2 expired non-joined records
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0) }
    # w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #            0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    time = 1000
    for i in range(0, len(KEYS)):
        t.pipe(2, KEYS[i], "b" + str(KEYS[i]), time + i)
    t.check((2, "null+a2", 0), (3, "null+a3", 0))

    # push four items with larger timestamp to the primary stream; this should produce four full-join items
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0) }
    # w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #        0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #            0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #            0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    time = 1000 + 100
    for key in KEYS:
        t.pipe(1, key, "B" + str(key), time)
    t.check((0, "B0+b0", 1100), (1, "B1+b1", 1100), (2, "B2+b2", 1100), (3, "B3+b3", 1100))

    # push four items with increased timestamp to the primary stream; this should produce three full-join items (non-joined item is not produced yet)
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #        0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100) }
    # w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #        0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #            0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #            0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #            0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    time += 1
    for key in KEYS:
        t.pipe(1, key, "C" + str(key), time)
    t.check((1, "C1+b1", 1101), (2, "C2+b2", 1101), (3, "C3+b3", 1101))

    # push four items with increased timestamp to the primary stream; this should produce two full-join items (non-joined items are not produced yet)
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #        0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #        0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101) }
    # w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #        0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #            0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #            0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #            0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #            0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    time += 1
    for key in KEYS:
        t.pipe(1, key, "D" + str(key), time)
    t.check((2, "D2+b2", 1102), (3, "D3+b3", 1102))

    # push four items with increased timestamp to the primary stream; this should produce one full-join items (three non-joined left-join are not produced yet)
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #        0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #        0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #        0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102) }
    # w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #        0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #            0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #            0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #            0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #            0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #            0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    time += 1
    for key in KEYS:
        t.pipe(1, key, "E" + str(key), time)
    t.check((3, "E3+b3", 1103))

    # push four items with increased timestamp to the primary stream; this should produce no full-join items (four non-joined left-join are not produced yet)
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #        0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #        0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #        0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #        0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103) }
    # w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #        0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #            0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #            0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #            0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #            0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103),
    #            0:F0 (ts: 1104), 1:F1 (ts: 1104), 2:F2 (ts: 1104), 3:F3 (ts: 1104) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #            0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    time += 1
    for key in KEYS:
        t.pipe(1, key, "F" + str(key), time)
    t.check()

    # push a dummy record to produce all left-join non-joined items
    time += 301
    t.pipe(1, 0, "dummy", time)
    t.check(
        (0, "C0+null", 1101),
        (0, "D0+null", 1102),
        (1, "D1+null", 1102),
        (0, "E0+null", 1103),
        (1, "E1+null", 1103),
        (2, "E2+null", 1103),
        (0, "F0+null", 1104),
        (1, "F1+null", 1104),
        (2, "F2+null", 1104),
        (3, "F3+null", 1104),
    )


def _lower_window_bound(t: Scenario) -> None:
    """testLowerWindowBound."""
    # push four items with smaller timestamp (before the window) to the primary stream; this should produce four left-join and no full-join items
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #        0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #        0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #        0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #        0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103),
    #        0:F0 (ts: 1104), 1:F1 (ts: 1104), 2:F2 (ts: 1104), 3:F3 (ts: 1104) }
    # w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #        0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #            0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #            0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #            0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #            0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103),
    #            0:F0 (ts: 1104), 1:F1 (ts: 1104), 2:F2 (ts: 1104), 3:F3 (ts: 1104),
    #            0:G0 (ts: 899), 1:G1 (ts: 899), 2:G2 (ts: 899), 3:G3 (ts: 899) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #            0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    time = 1000 - 100 - 1
    for key in KEYS:
        t.pipe(1, key, "G" + str(key), time)
    t.check((0, "G0+null", 899), (1, "G1+null", 899), (2, "G2+null", 899), (3, "G3+null", 899))

    # push four items with increase timestamp to the primary stream; this should produce three left-join and one full-join items
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #        0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #        0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #        0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #        0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103),
    #        0:F0 (ts: 1104), 1:F1 (ts: 1104), 2:F2 (ts: 1104), 3:F3 (ts: 1104),
    #        0:G0 (ts: 899), 1:G1 (ts: 899), 2:G2 (ts: 899), 3:G3 (ts: 899) }
    # w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #        0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #            0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #            0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #            0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #            0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103),
    #            0:F0 (ts: 1104), 1:F1 (ts: 1104), 2:F2 (ts: 1104), 3:F3 (ts: 1104),
    #            0:G0 (ts: 899), 1:G1 (ts: 899), 2:G2 (ts: 899), 3:G3 (ts: 899),
    #            0:H0 (ts: 900), 1:H1 (ts: 900), 2:H2 (ts: 900), 3:H3 (ts: 900) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #            0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    time += 1
    for key in KEYS:
        t.pipe(1, key, "H" + str(key), time)
    t.check((0, "H0+b0", 1000), (1, "H1+null", 900), (2, "H2+null", 900), (3, "H3+null", 900))

    # push four items with increase timestamp to the primary stream; this should produce two left-join and two full-join items
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #        0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #        0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #        0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #        0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103),
    #        0:F0 (ts: 1104), 1:F1 (ts: 1104), 2:F2 (ts: 1104), 3:F3 (ts: 1104),
    #        0:G0 (ts: 899), 1:G1 (ts: 899), 2:G2 (ts: 899), 3:G3 (ts: 899),
    #        0:H0 (ts: 900), 1:H1 (ts: 900), 2:H2 (ts: 900), 3:H3 (ts: 900) }
    # w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #        0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #            0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #            0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #            0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #            0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103),
    #            0:F0 (ts: 1104), 1:F1 (ts: 1104), 2:F2 (ts: 1104), 3:F3 (ts: 1104),
    #            0:G0 (ts: 899), 1:G1 (ts: 899), 2:G2 (ts: 899), 3:G3 (ts: 899),
    #            0:H0 (ts: 900), 1:H1 (ts: 900), 2:H2 (ts: 900), 3:H3 (ts: 900),
    #            0:I0 (ts: 901), 1:I1 (ts: 901), 2:I2 (ts: 901), 3:I3 (ts: 901) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #            0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    time += 1
    for key in KEYS:
        t.pipe(1, key, "I" + str(key), time)
    t.check((0, "I0+b0", 1000), (1, "I1+b1", 1001), (2, "I2+null", 901), (3, "I3+null", 901))

    # push four items with increase timestamp to the primary stream; this should produce one left-join and three full-join items
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #        0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #        0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #        0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #        0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103),
    #        0:F0 (ts: 1104), 1:F1 (ts: 1104), 2:F2 (ts: 1104), 3:F3 (ts: 1104),
    #        0:G0 (ts: 899), 1:G1 (ts: 899), 2:G2 (ts: 899), 3:G3 (ts: 899),
    #        0:H0 (ts: 900), 1:H1 (ts: 900), 2:H2 (ts: 900), 3:H3 (ts: 900),
    #        0:I0 (ts: 901), 1:I1 (ts: 901), 2:I2 (ts: 901), 3:I3 (ts: 901) }
    # w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #        0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #            0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #            0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #            0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #            0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103),
    #            0:F0 (ts: 1104), 1:F1 (ts: 1104), 2:F2 (ts: 1104), 3:F3 (ts: 1104),
    #            0:G0 (ts: 899), 1:G1 (ts: 899), 2:G2 (ts: 899), 3:G3 (ts: 899),
    #            0:H0 (ts: 900), 1:H1 (ts: 900), 2:H2 (ts: 900), 3:H3 (ts: 900),
    #            0:I0 (ts: 901), 1:I1 (ts: 901), 2:I2 (ts: 901), 3:I3 (ts: 901),
    #            0:J0 (ts: 902), 1:J1 (ts: 902), 2:J2 (ts: 902), 3:J3 (ts: 902) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #            0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    time += 1
    for key in KEYS:
        t.pipe(1, key, "J" + str(key), time)
    t.check((0, "J0+b0", 1000), (1, "J1+b1", 1001), (2, "J2+b2", 1002), (3, "J3+null", 902))

    # push four items with increase timestamp to the primary stream; this should produce one left-join and three full-join items
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #        0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #        0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #        0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #        0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103),
    #        0:F0 (ts: 1104), 1:F1 (ts: 1104), 2:F2 (ts: 1104), 3:F3 (ts: 1104),
    #        0:G0 (ts: 899), 1:G1 (ts: 899), 2:G2 (ts: 899), 3:G3 (ts: 899),
    #        0:H0 (ts: 900), 1:H1 (ts: 900), 2:H2 (ts: 900), 3:H3 (ts: 900),
    #        0:I0 (ts: 901), 1:I1 (ts: 901), 2:I2 (ts: 901), 3:I3 (ts: 901),
    #        0:J0 (ts: 902), 1:J1 (ts: 902), 2:J2 (ts: 902), 3:J3 (ts: 902) }
    # w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #        0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0),
    #            0:B0 (ts: 1100), 1:B1 (ts: 1100), 2:B2 (ts: 1100), 3:B3 (ts: 1100),
    #            0:C0 (ts: 1101), 1:C1 (ts: 1101), 2:C2 (ts: 1101), 3:C3 (ts: 1101),
    #            0:D0 (ts: 1102), 1:D1 (ts: 1102), 2:D2 (ts: 1102), 3:D3 (ts: 1102),
    #            0:E0 (ts: 1103), 1:E1 (ts: 1103), 2:E2 (ts: 1103), 3:E3 (ts: 1103),
    #            0:F0 (ts: 1104), 1:F1 (ts: 1104), 2:F2 (ts: 1104), 3:F3 (ts: 1104),
    #            0:G0 (ts: 899), 1:G1 (ts: 899), 2:G2 (ts: 899), 3:G3 (ts: 899),
    #            0:H0 (ts: 900), 1:H1 (ts: 900), 2:H2 (ts: 900), 3:H3 (ts: 900),
    #            0:I0 (ts: 901), 1:I1 (ts: 901), 2:I2 (ts: 901), 3:I3 (ts: 901),
    #            0:J0 (ts: 902), 1:J1 (ts: 902), 2:J2 (ts: 902), 3:J3 (ts: 902),
    #            0:K0 (ts: 903), 1:K1 (ts: 903), 2:K2 (ts: 903), 3:K3 (ts: 903) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0),
    #            0:b0 (ts: 1000), 1:b1 (ts: 1001), 2:b2 (ts: 1002), 3:b3 (ts: 1003) }
    time += 1
    for key in KEYS:
        t.pipe(1, key, "K" + str(key), time)
    t.check((0, "K0+b0", 1000), (1, "K1+b1", 1001), (2, "K2+b2", 1002), (3, "K3+b3", 1003))

    # push a dummy record to verify there are no expired records to produce
    # dummy window is behind the max. stream time seen (1205 used in testUpperWindowBound)
    t.pipe(1, 0, "dummy", time + 200)
    t.check((0, "dummy+null", 1103))


def test_outer_join_duplicates_with_fix_disabled_old_api(joins: Joins) -> None:
    """testOuterJoinDuplicatesWithFixDisabledOldApi."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", NO_GRACE, NO_EMIT_INTERVAL, select=OUTER)
    # Only 2 window stores should be available

    t.pipe(1, 0, "A0", 0)
    t.pipe(1, 0, "A0-0", 0)
    t.pipe(2, 0, "a0", 0)
    t.pipe(2, 1, "b1", 0)

    t.check((0, "A0+null", 0), (0, "A0-0+null", 0), (0, "A0+a0", 0), (0, "A0-0+a0", 0), (1, "null+b1", 0))


def test_outer_join_duplicates(joins: Joins) -> None:
    """testOuterJoinDuplicates."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", GRACE10, NO_EMIT_INTERVAL, select=OUTER)
    # verifies non-joined duplicates are emitted when window has closed
    t.pipe(1, 0, "A0", 0)
    t.pipe(1, 0, "A0-0", 0)
    t.pipe(2, 1, "a1", 0)
    t.pipe(2, 1, "a1-0", 0)
    t.pipe(2, 1, "a0", 111)
    # bump stream-time to trigger outer-join results
    t.pipe(2, 3, "dummy", 211)

    t.check((1, "null+a1", 0), (1, "null+a1-0", 0), (0, "A0+null", 0), (0, "A0-0+null", 0))

    # verifies joined duplicates are emitted
    t.pipe(1, 2, "A2", 200)
    t.pipe(1, 2, "A2-0", 200)
    t.pipe(2, 2, "a2", 201)
    t.pipe(2, 2, "a2-0", 201)

    t.check((2, "A2+a2", 201), (2, "A2-0+a2", 201), (2, "A2+a2-0", 201), (2, "A2-0+a2-0", 201))

    # this record should expired non-joined records; only null+a0 will be emitted because
    # it did not have a join
    t.pipe(2, 3, "dummy", 1500)

    t.check((1, "null+a0", 111), (3, "null+dummy", 211))


def test_left_expired_non_joined_records_are_emitted_by_the_left_processor(joins: Joins) -> None:
    """testLeftExpiredNonJoinedRecordsAreEmittedByTheLeftProcessor."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", GRACE0, NO_EMIT_INTERVAL, select=OUTER)
    start = 0

    # No joins detected; No null-joins emitted
    t.pipe(1, 0, "A0", start + 1)
    t.pipe(1, 1, "A1", start + 2)
    t.pipe(1, 0, "A0-0", start + 3)
    t.check()

    # Join detected; No null-joins emitted
    t.pipe(2, 1, "a1", start + 3)
    t.check((1, "A1+a1", start + 3))

    # Dummy record in left topic will emit expired non-joined records from the left topic
    t.pipe(1, 2, "dummy", start + 401)
    t.check((0, "A0+null", start + 1), (0, "A0-0+null", start + 3))

    # Flush internal non-joined state store by joining the dummy record
    t.pipe(2, 2, "dummy", start + 401)
    t.check((2, "dummy+dummy", start + 401))


def test_left_expired_non_joined_records_are_emitted_by_the_right_processor(joins: Joins) -> None:
    """testLeftExpiredNonJoinedRecordsAreEmittedByTheRightProcessor."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", GRACE0, NO_EMIT_INTERVAL, select=OUTER)
    start = 0

    # No joins detected; No null-joins emitted
    t.pipe(1, 0, "A0", start + 1)
    t.pipe(1, 1, "A1", start + 2)
    t.pipe(1, 0, "A0-0", start + 3)
    t.check()

    # Join detected; No null-joins emitted
    t.pipe(2, 1, "a1", start + 3)
    t.check((1, "A1+a1", start + 3))

    # Dummy record in right topic will emit expired non-joined records from the left topic
    t.pipe(2, 2, "dummy", start + 401)
    t.check((0, "A0+null", start + 1), (0, "A0-0+null", start + 3))

    # Flush internal non-joined state store by joining the dummy record
    t.pipe(1, 2, "dummy", start + 402)
    t.check((2, "dummy+dummy", start + 402))


def test_right_expired_non_joined_records_are_emitted_by_the_left_processor(joins: Joins) -> None:
    """testRightExpiredNonJoinedRecordsAreEmittedByTheLeftProcessor."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", GRACE0, NO_EMIT_INTERVAL, select=OUTER)
    start = 0

    # No joins detected; No null-joins emitted
    t.pipe(2, 0, "A0", start + 1)
    t.pipe(2, 1, "A1", start + 2)
    t.pipe(2, 0, "A0-0", start + 3)
    t.check()

    # Join detected; No null-joins emitted
    t.pipe(1, 1, "a1", start + 3)
    t.check((1, "a1+A1", start + 3))

    # Dummy record in left topic will emit expired non-joined records from the right topic
    t.pipe(1, 2, "dummy", start + 401)
    t.check((0, "null+A0", start + 1), (0, "null+A0-0", start + 3))

    # Process the dummy joined record
    t.pipe(2, 2, "dummy", start + 402)
    t.check((2, "dummy+dummy", start + 402))


def test_right_expired_non_joined_records_are_emitted_by_the_right_processor(joins: Joins) -> None:
    """testRightExpiredNonJoinedRecordsAreEmittedByTheRightProcessor."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", GRACE0, NO_EMIT_INTERVAL, select=OUTER)
    start = 0

    # No joins detected; No null-joins emitted
    t.pipe(2, 0, "A0", start + 1)
    t.pipe(2, 1, "A1", start + 2)
    t.pipe(2, 0, "A0-0", start + 3)
    t.check()

    # Join detected; No null-joins emitted
    t.pipe(1, 1, "a1", start + 3)
    t.check((1, "a1+A1", start + 3))

    # Dummy record in right topic will emit expired non-joined records from the right topic
    t.pipe(2, 2, "dummy", start + 401)
    t.check((0, "null+A0", start + 1), (0, "null+A0-0", start + 3))

    # Process the dummy joined record
    t.pipe(1, 2, "dummy", start + 402)
    t.check((2, "dummy+dummy", start + 402))


def test_ordering(joins: Joins) -> None:
    """testOrdering."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", GRACE0, NO_EMIT_INTERVAL, select=OUTER)
    # push two items to the primary stream; the other window is empty; this should not produce any item yet
    # w1 = {}
    # w2 = {}
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 100) }
    # --> w2 = {}
    t.pipe(1, 0, "A0", 0)
    t.pipe(1, 1, "A1", 100)
    t.check()

    # push one item to the other window that has a join; this should produce non-joined records with a closed window first, then
    # the joined records
    # by the time they were produced before
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 100) }
    # w2 = { }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0) }
    # --> w2 = { 0:a0 (ts: 110) }
    t.pipe(2, 1, "a1", 110)
    t.check((0, "A0+null", 0), (1, "A1+a1", 110))


def test_grace_period(joins: Joins) -> None:
    """testGracePeriod."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", GRACE10, NO_EMIT_INTERVAL, select=OUTER)
    # push one item to the primary stream; and one item in other stream; this should not produce items because there are no joins
    # and window has not ended
    # w1 = {}
    # w2 = {}
    # --> w1 = { 0:A0 (ts: 0) }
    # --> w2 = { 1:a1 (ts: 0) }
    t.pipe(1, 0, "A0", 0)
    t.pipe(2, 1, "a1", 0)
    t.check()

    # push one item on each stream with a window time after the previous window ended (not closed); this should not produce
    # joined records because the window has ended, but will not produce non-joined records because the window has not closed.
    # w1 = { 0:A0 (ts: 0) }
    # w2 = { 1:a1 (ts: 0) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0) }
    # --> w2 = { 0:a0 (ts: 101), 1:a1 (ts: 101) }
    t.pipe(2, 0, "a0", 101)
    t.pipe(1, 1, "A1", 101)
    t.check()

    # push a dummy item to the any stream after the window is closed; this should produced all expired non-joined records because
    # the window has closed
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0) }
    # w2 = { 0:a0 (ts: 101), 1:a1 (ts: 101) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0) }
    # --> w2 = { 0:a0 (ts: 101), 1:a1 (ts: 101), 0:dummy (ts: 112) }
    t.pipe(2, 0, "dummy", 211)
    t.check((1, "null+a1", 0), (0, "A0+null", 0))


def test_outer_join_with_default_suppliers(joins: Joins) -> None:
    """testOuterJoinWithDefaultSuppliers (runOuterJoin)."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", GRACE0, NO_EMIT_INTERVAL, select=OUTER)
    # 2 window stores + 1 shared window store should be available

    # push two items to the primary stream; the other window is empty; this should not
    # produce any items because window has not expired
    # w1 {}
    # w2 {}
    # --> w1 = { 0:A0, 1:A1 }
    # --> w2 = {}
    for i in range(0, 2):
        t.pipe(1, KEYS[i], "A" + str(KEYS[i]))
    t.check()

    # push two items to the other stream; this should produce two full-joined items
    # w1 = { 0:A0, 1:A1 }
    # w2 {}
    # --> w1 = { 0:A0, 1:A1 }
    # --> w2 = { 0:a0, 1:a1 }
    for i in range(0, 2):
        t.pipe(2, KEYS[i], "a" + str(KEYS[i]))
    t.check((0, "A0+a0", 0), (1, "A1+a1", 0))

    # push three items to the primary stream; this should produce two full-joined items
    # w1 = { 0:A0, 1:A1 }
    # w2 = { 0:a0, 1:a1 }
    # --> w1 = { 0:A0, 1:A1, 0:B0, 1:B1, 2:B2 }
    # --> w2 = { 0:a0, 1:a1 }
    for i in range(0, 3):
        t.pipe(1, KEYS[i], "B" + str(KEYS[i]))
    t.check((0, "B0+a0", 0), (1, "B1+a1", 0))

    # push all items to the other stream; this should produce five full-joined items
    # w1 = { 0:A0, 1:A1, 0:B0, 1:B1, 2:B2 }
    # w2 = { 0:a0, 1:a1 }
    # --> w1 = { 0:A0, 1:A1, 0:B0, 1:B1, 2:B2 }
    # --> w2 = { 0:a0, 1:a1, 0:b0, 1:b1, 2:b2, 3:b3 }
    for key in KEYS:
        t.pipe(2, key, "b" + str(key))
    t.check((0, "A0+b0", 0), (0, "B0+b0", 0), (1, "A1+b1", 0), (1, "B1+b1", 0), (2, "B2+b2", 0))

    # push all four items to the primary stream; this should produce six full-joined items
    # w1 = { 0:A0, 1:A1, 0:B0, 1:B1, 2:B2 }
    # w2 = { 0:a0, 1:a1, 0:b0, 1:b1, 2:b2, 3:b3 }
    # --> w1 = { 0:A0, 1:A1, 0:B0, 1:B1, 2:B2, 0:C0, 1:C1, 2:C2, 3:C3 }
    # --> w2 = { 0:a0, 1:a1, 0:b0, 1:b1, 2:b2, 3:b3 }
    for key in KEYS:
        t.pipe(1, key, "C" + str(key))
    t.check(
        (0, "C0+a0", 0), (0, "C0+b0", 0), (1, "C1+a1", 0), (1, "C1+b1", 0), (2, "C2+b2", 0), (3, "C3+b3", 0)
    )

    # push a dummy record that should expire non-joined items; it should not produce any items because
    # all of them are joined
    t.pipe(1, 0, "dummy", 400)
    t.check()


def test_windowing(joins: Joins) -> None:
    """testWindowing."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", GRACE0, NO_EMIT_INTERVAL, select=OUTER)
    time = 0

    # push two items to the primary stream; the other window is empty; this should not produce items because window has not closed
    # w1 = {}
    # w2 = {}
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0) }
    # --> w2 = {}
    for i in range(0, 2):
        t.pipe(1, KEYS[i], "A" + str(KEYS[i]), time)
    t.check()

    # push four items to the other stream; this should produce two full-join items
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0) }
    # w2 = {}
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 0) }
    # --> w2 = { 0:a0 (ts: 0), 1:a1 (ts: 0), 2:a2 (ts: 0), 3:a3 (ts: 0) }
    for key in KEYS:
        t.pipe(2, key, "a" + str(key), time)
    t.check((0, "A0+a0", 0), (1, "A1+a1", 0))

    _upper_window_bound(t)
    _lower_window_bound(t)


def test_should_not_emit_left_join_result_for_asymmetric_before_window(joins: Joins) -> None:
    """shouldNotEmitLeftJoinResultForAsymmetricBeforeWindow."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", AFTER_ONLY, NO_EMIT_INTERVAL, select=OUTER)
    time = 0

    # push two items to the primary stream; the other window is empty; this should not produce any items
    # w1 = {}
    # w2 = {}
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # --> w2 = {}
    for i in range(0, 2):
        t.pipe(1, KEYS[i], "A" + str(KEYS[i]), time + i)
    t.check()

    # push one item to the other stream; this should produce one full-join item
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # w2 = {}
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # --> w2 = { 0:a0 (ts: 100) }
    time += 100
    t.pipe(2, KEYS[0], "a" + str(KEYS[0]), time)

    t.check((0, "A0+a0", 100))

    # push one item to the other stream; this should produce one left-join item
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # w2 = { 0:a0 (ts: 100) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # --> w2 = { 0:a0 (ts: 100), 1:a1 (ts: 102) }
    time += 2
    t.pipe(2, KEYS[1], "a" + str(KEYS[1]), time)

    t.check((1, "A1+null", 1))

    # push one item to the other stream; this should not produce any items
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # w2 = { 0:a0 (ts: 100), 1:a1 (ts: 102) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # --> w2 = { 0:a0 (ts: 100), 1:a1 (ts: 102), 2:a2 (ts: 103) }
    time += 1
    t.pipe(2, KEYS[2], "a" + str(KEYS[2]), time)

    t.check((1, "null+a1", 102))

    # push one item to the first stream; this should not produce one full-join item
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # w2 = { 0:a0 (ts: 100), 1:a1 (ts: 102), 2:a2 (ts: 103) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1), 2:A2 (ts: 103) }
    # --> w2 = { 0:a0 (ts: 100), 1:a1 (ts: 102), 2:a2 (ts: 103)  }
    t.pipe(1, KEYS[2], "A" + str(KEYS[2]), time)

    t.check((2, "A2+a2", 103))


def test_should_not_emit_left_join_result_for_asymmetric_after_window(joins: Joins) -> None:
    """shouldNotEmitLeftJoinResultForAsymmetricAfterWindow."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", BEFORE_ONLY, NO_EMIT_INTERVAL, select=OUTER)
    time = 0

    # push two items to the primary stream; the other window is empty; this should not produce any item
    # w1 = {}
    # w2 = {}
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # --> w2 = {}
    for i in range(0, 2):
        t.pipe(1, KEYS[i], "A" + str(KEYS[i]), time + i)
    t.check()

    # push one item to the other stream; this should produce one full-join item
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # w2 = {}
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # --> w2 = { 1:a1 (ts: 1) }
    time += 1
    t.pipe(2, KEYS[1], "a" + str(KEYS[1]), time)

    t.check((1, "A1+a1", 1))

    # push one item to the other stream; this should produce one left-join item
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # w2 = { 1:a1 (ts: 1) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # --> w2 = { 1:a1 (ts: 1), 2:a2 (ts: 101) }
    time += 100
    t.pipe(2, KEYS[2], "a" + str(KEYS[2]), time)

    t.check((0, "A0+null", 0))

    # push one item to the other stream; this should not produce any item
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # w2 = { 1:a1 (ts: 1), 2:a2 (ts: 101) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # --> w2 = { 1:a1 (ts: 1), 2:a2 (ts: 101), 3:a3 (ts: 101) }
    t.pipe(2, KEYS[3], "a" + str(KEYS[3]), time)

    t.check()

    # push one item to the first stream; this should produce one full-join item
    # w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1) }
    # w2 = { 1:a1 (ts: 1), 2:a2 (ts: 101), 3:a3 (ts: 101) }
    # --> w1 = { 0:A0 (ts: 0), 1:A1 (ts: 1), 2:A2 (ts: 201) }
    # --> w2 = { 1:a1 (ts: 1), 2:a2 (ts: 101), 3:a3 (ts: 101 }
    time += 100
    t.pipe(1, KEYS[2], "A" + str(KEYS[2]), time)

    t.check((2, "A2+a2", 201))


def test_should_forward_current_headers(joins: Joins) -> None:
    """shouldForwardCurrentHeaders: a result carries the headers of the record being processed, also the
    held results that record releases (Kafka Streams forwards `record.withKey(...).withValue(...)`, and
    ksqlDB's sink writes the headers of the record it is given)."""
    t = joins.join("STREAM", "STREAM", "FULL OUTER JOIN", GRACE10, NO_EMIT_INTERVAL, select=OUTER)
    t.pipe(1, 0, "A0", 0, headers=(("h", b"\x01"),))
    t.pipe(2, 1, "a0", 0, headers=(("h", b"\x02"),))
    # bump stream-time to trigger outer-join results
    t.pipe(2, 3, "dummy", 211, headers=(("h", b"\x03"),))
    out = t.output()
    t.seen -= len(out)
    assert out == [(1, "null+a0", 0), (0, "A0+null", 0)]
    assert t.headers() == [(("h", b"\x03"),), (("h", b"\x03"),)]
    # verifies joined duplicates are emitted
    t.pipe(1, 2, "A2", 200, headers=(("h", b"\x04"),))
    t.pipe(2, 2, "a2", 200, headers=(("h", b"\x05"),))
    out = t.output()
    t.seen -= len(out)
    assert out == [(2, "A2+a2", 200)]
    assert t.headers() == [(("h", b"\x05"),)]
