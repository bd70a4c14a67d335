"""GEO_DISTANCE: the haversine great-circle distance in kilometres or miles."""

from __future__ import annotations

import math

from ksqlserver.errors import EvaluationError
from ksqlserver.functions.registry import FunctionRegistry, V, udf

_MILES = ("mi", "mile", "miles")
_KMS = ("km", "kilometer", "kilometers", "kilometre", "kilometres")
_VALID = ", ".join((*_MILES, *_KMS)[:-1]) + " or " + _KMS[-1]


def _radius(units: str | None) -> float:
    if units is None or not units.strip():
        return 6371.0
    u = units.strip().lower()
    if u in _MILES:
        return 3959.0
    if u in _KMS:
        return 6371.0
    raise EvaluationError(f"GeoDistance function units parameter must be one of {_VALID}. Values are case-insensitive.")


def geo_distance(
    lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None, units: str | None = "km"
) -> float:
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:  # primitive doubles in ksqlDB
        raise EvaluationError("Cannot pass NULL to the DOUBLE parameters of GEO_DISTANCE")
    if lat1 < -90 or lat2 < -90 or lat1 > 90 or lat2 > 90:
        raise EvaluationError("valid latitude values for GeoDistance function are in the range of -90 to 90 decimal degrees")
    if lon1 < -180 or lon2 < -180 or lon1 > 180 or lon2 > 180:
        raise EvaluationError(
            "valid longitude values for GeoDistance function are in the range of -180 to +180 decimal degrees"
        )
    radius = _radius(units)
    dlat, dlon = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.sin(dlon / 2) ** 2 * math.cos(math.radians(lat1)) * math.cos(math.radians(lat2))
    return 2 * math.asin(math.sqrt(a)) * radius


def register(r: FunctionRegistry) -> None:
    udf(r, "GEO_DISTANCE", "OTHER",
        "Compute the distance between two points on the surface of the earth, according to the Haversine "
        "formula for \"great circle distance\".",
        V(
            ["DOUBLE lat1", "DOUBLE lon1", "DOUBLE lat2", "DOUBLE lon2", "VARCHAR units"], "DOUBLE", geo_distance,
            "The 2 input points should be specified as (lat, lon) pairs, measured in decimal degrees. An "
            "optional fifth parameter allows to specify either \"MI\" (miles) or \"KM\" (kilometers) as "
            "the desired unit for the output measurement. Default is KM.",
            docs=[
                "The latitude of the first point in decimal degrees.",
                "The longitude of the first point in decimal degrees.",
                "The latitude of the second point in decimal degrees.",
                "The longitude of the second point in decimal degrees.",
                "The units for the return value. Either MILES or KM.",
            ],
            nino=False,
        ),
        V(
            ["DOUBLE lat1", "DOUBLE lon1", "DOUBLE lat2", "DOUBLE lon2"], "DOUBLE", geo_distance,
            "The 2 input points should be specified as (lat, lon) pairs, measured in decimal degrees. The "
            "distance returned is in kilometers.",
            docs=[
                "The latitude of the first point in decimal degrees.",
                "The longitude of the first point in decimal degrees.",
                "The latitude of the second point in decimal degrees.",
                "The longitude of the second point in decimal degrees.",
            ],
            nino=False,
        ),
        java_name="geo_distance",
    )
