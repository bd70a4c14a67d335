"""Transaction data: the Kaggle credit-card file loader and a synthetic generator with its schema."""

from fraudlab.data.errors import (
    ChecksumError,
    DataError,
    DataFileError,
    SchemaError,
    SyntheticDataError,
    ValueValidationError,
)
from fraudlab.data.loader import csv_sha256, load_creditcard
from fraudlab.data.schema import COLUMNS, FEATURES, KAGGLE_SHA256, LABEL
from fraudlab.data.synthetic import synthetic

__all__ = [
    "COLUMNS",
    "FEATURES",
    "KAGGLE_SHA256",
    "LABEL",
    "ChecksumError",
    "DataError",
    "DataFileError",
    "SchemaError",
    "SyntheticDataError",
    "ValueValidationError",
    "csv_sha256",
    "load_creditcard",
    "synthetic",
]
