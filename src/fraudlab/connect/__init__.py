"""Kafka Connect: the REST client and one-shot CSV ingestion."""

from fraudlab.connect.client import ConnectClient
from fraudlab.connect.config import IngestConfig
from fraudlab.connect.errors import ConnectError, IngestFileError
from fraudlab.connect.ingest import IngestReport, ingest

__all__ = ["ConnectClient", "ConnectError", "IngestConfig", "IngestFileError", "IngestReport", "ingest"]
