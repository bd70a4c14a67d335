"""The ksqlserver extension-directory loader for fraudlab's functions (see fraudlab.ksql_udf)."""

from fraudlab.ksql_udf.anomaly import (
    AnomalyModelVersion,
    AnomalyModelVersionOfBundle,
    AnomalyScore,
    AnomalyScoreOfBundle,
    AnomalyScoreStruct,
    AnomalyThreshold,
    AnomalyThresholdOfBundle,
    preload_libraries,
)

# loaded once when the server starts: the scoring libraries are imported in the background from now on
preload_libraries()

__all__ = [
    "AnomalyModelVersion",
    "AnomalyModelVersionOfBundle",
    "AnomalyScore",
    "AnomalyScoreOfBundle",
    "AnomalyScoreStruct",
    "AnomalyThreshold",
    "AnomalyThresholdOfBundle",
]
