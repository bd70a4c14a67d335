"""Kafka Connect: the REST client and one-shot CSV ingestion."""

from fraudlab.connect.client import ConnectClient
from fraudlab.connect.errors import ConnectError, IngestFileError
from fraudlab.connect.ingest import IngestConfig, IngestReport, ingest

__all__ = ["ConnectClient", "ConnectError", "IngestConfig", "IngestFileError", "IngestReport", "ingest"]
