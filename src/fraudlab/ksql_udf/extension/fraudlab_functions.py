"""The ksqlserver extension-directory loader for fraudlab's functions (see fraudlab.ksql_udf)."""

from fraudlab.ksql_udf.anomaly import (
    AnomalyModelVersion,
    AnomalyModelVersionOfBundle,
    AnomalyScore,
    AnomalyScoreOfBundle,
    AnomalyScoreStruct,
    AnomalyThreshold,
    AnomalyThresholdOfBundle,
)

__all__ = [
    "AnomalyModelVersion",
    "AnomalyModelVersionOfBundle",
    "AnomalyScore",
    "AnomalyScoreOfBundle",
    "AnomalyScoreStruct",
    "AnomalyThreshold",
    "AnomalyThresholdOfBundle",
]
