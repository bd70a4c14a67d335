"""ksqlDB 0.29 GeoDistanceTest (function/udf/geo): GeoDistance.geoDistance(lat1, lon1, lat2, lon2[, units]):
great-circle distance in KM (default, also for a null unit) or MI; out-of-range coordinates and unknown units
throw KsqlFunctionException."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.catalog import types as T
from ksqlserver.errors import KsqlError

D, S = T.DOUBLE, T.STRING
PALO_ALTO_LONDON = (37.4439, -122.1663, 51.5257, -0.1122)
LONDON_CAPE_TOWN = (51.5257, -0.1122, -33.9323, 18.4197)
CAPE_TOWN_SYDNEY = (-33.9323, 18.4197, -33.8666, 151.1)


@pytest.mark.parametrize(
    ("points", "km", "mi"),
    [(PALO_ALTO_LONDON, 8634.6528, 5365.66), (LONDON_CAPE_TOWN, 9673.4042, 6011.1453),
     (CAPE_TOWN_SYDNEY, 11005.2330, 6838.7564)],
)
def test_distances(call: Any, points: tuple[float, ...], km: float, mi: float) -> None:
    # shouldComputeDistanceBetweenLocations / DifferentHemisphere / SouthHemisphere
    assert call("GEO_DISTANCE", [D] * 4, *points) == pytest.approx(km, abs=0.5)
    assert call("GEO_DISTANCE", [D] * 4 + [S], *points, "KM") == pytest.approx(km, abs=0.5)
    assert call("GEO_DISTANCE", [D] * 4 + [S], *points, "MI") == pytest.approx(mi, abs=0.5)


def test_out_of_bounds_coordinates(call: Any) -> None:
    with pytest.raises(KsqlError, match="valid latitude values for GeoDistance function are"):
        call("GEO_DISTANCE", [D] * 4, 90.1, -122.1663, -91.5257, -0.1122)


def test_invalid_unit_of_measure(call: Any) -> None:
    with pytest.raises(KsqlError, match="GeoDistance function units parameter must be one of"):
        call("GEO_DISTANCE", [D] * 4 + [S], *PALO_ALTO_LONDON, "Parsecs")


def test_null_units_use_km(call: Any) -> None:
    assert call("GEO_DISTANCE", [D] * 4 + [S], *PALO_ALTO_LONDON, None) == pytest.approx(8634.6528, abs=0.5)


def test_through_the_engine(udf: Any) -> None:
    r = udf.select("GEO_DISTANCE(37.4439, -122.1663, 51.5257, -0.1122, 'MI')",
                   "GEO_DISTANCE(X, -122.1663, 51.5257, -0.1122)", "GEO_DISTANCE(90.1, 0, 0, 0)", row={"X": 37})
    assert r.values[0] == pytest.approx(5365.66, abs=0.5)
    assert r.values[1] == pytest.approx(8661, abs=30)  # the INT latitude is coerced to DOUBLE
    assert r.values[2] is None and "valid latitude values for GeoDistance function are" in r.errors[0]
    assert r.types == ["DOUBLE"] * 3
