"""The Kaggle credit-card fraud schema: 31 columns, in the file's order."""

from __future__ import annotations

FEATURES: tuple[str, ...] = ("Time", *(f"V{i}" for i in range(1, 29)), "Amount")
LABEL = "Class"
COLUMNS: tuple[str, ...] = (*FEATURES, LABEL)

# SHA-256 of the decompressed Kaggle `creditcard.csv` (see ../shared/data/README.md).
KAGGLE_SHA256 = "76274b691b16a6c49d3f159c883398e03ccd6d1ee12d9d8ee38f4b4b98551a89"
