"""HTTP basic authentication against the configured credentials."""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping

from ksqlserver.config import Secret
from ksqlserver.server.errors import HttpError

CHALLENGE = ("www-authenticate", 'Basic realm="ksqlserver"')


def check_basic_auth(header: str | None, credentials: Mapping[str, Secret]) -> None:
    """Raises 401 (40100) unless `header` carries a configured user and password."""
    if not credentials:
        return
    if not header or not header[:6].lower() == "basic ":
        raise HttpError(401, 40100, "Unauthorized: missing basic credentials")
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise HttpError(401, 40100, "Unauthorized: malformed basic credentials") from exc
    user, _, password = decoded.partition(":")
    expected = credentials.get(user)
    # compare_digest on every path keeps the timing independent of which part was wrong
    matches = hmac.compare_digest(password.encode(), (expected.value if expected else "").encode())
    if expected is None or not matches:
        raise HttpError(401, 40100, "Unauthorized: bad user name or password")
