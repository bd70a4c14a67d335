"""The ksqlserver extension-directory loader for fraudlab's functions (see fraudlab.ksql_udf)."""

from fraudlab.ksql_udf.anomaly import (
    AnomalyModelVersion,
    AnomalyScore,
    AnomalyScoreStruct,
    AnomalyThreshold,
)

__all__ = ["AnomalyModelVersion", "AnomalyScore", "AnomalyScoreStruct", "AnomalyThreshold"]
