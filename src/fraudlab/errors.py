"""The root of every error fraudlab raises on purpose.

Each subpackage subclasses `FraudlabError` in its own module and keeps the offending input on the
exception, so the CLI can print one clear line instead of a traceback.
"""

from __future__ import annotations


class FraudlabError(Exception):
    """Base class of fraudlab's errors; `str(err)` is a complete, user-facing sentence."""
