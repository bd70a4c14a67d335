"""fraudlab: a notebook-driven workbench for credit-card fraud detection on streaming data."""

from fraudlab.errors import FraudlabError

__all__ = ["FraudlabError", "__version__"]
__version__ = "0.1.0"
