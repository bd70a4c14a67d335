"""The column layout of the Kaggle credit-card data, and the CSV connector's typed-column spec."""

from __future__ import annotations

KAGGLE_COLUMNS: tuple[str, ...] = ("Time", *(f"V{i}" for i in range(1, 29)), "Amount", "Class")


def kaggle_column_spec() -> str:
    """`schema.columns` for the CSV connector: Time, V1..V28 and Amount as FLOAT64, Class as INT32."""
    return ",".join(f"{c}:{'INT32' if c == 'Class' else 'FLOAT64'}" for c in KAGGLE_COLUMNS)


def inferred_column_spec(header: list[str], sample: list[list[str]]) -> str:
    """A spec from the file's own header: numeric columns FLOAT64 (INT64 when every sample is an
    integer), everything else STRING."""
    specs = []
    for i, name in enumerate(header):
        values = [row[i].strip().strip('"') for row in sample if i < len(row) and row[i].strip()]
        kind = "STRING"
        if values and all(_is_float(v) for v in values):
            kind = "INT64" if all(_is_int(v) for v in values) else "FLOAT64"
        specs.append(f"{name}:{kind}")
    return ",".join(specs)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True
