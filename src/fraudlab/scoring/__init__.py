"""Streaming scoring: parse transactions from Kafka, score micro-batches with a model bundle, write
results, alerts and dead letters back to Kafka (`ScoringService`, `fraudlab score`)."""

from fraudlab.scoring.config import ScoringConfig
from fraudlab.scoring.errors import LayoutError, RecordError, ScoringError
from fraudlab.scoring.parsing import DelimitedParser, JsonParser, ParsedBatch
from fraudlab.scoring.results import result_records, score_features
from fraudlab.scoring.service import ScoringService
from fraudlab.scoring.stats import ServiceReport

__all__ = [
    "DelimitedParser",
    "JsonParser",
    "LayoutError",
    "ParsedBatch",
    "RecordError",
    "ScoringConfig",
    "ScoringError",
    "ScoringService",
    "ServiceReport",
    "result_records",
    "score_features",
]
