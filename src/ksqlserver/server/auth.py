"""HTTP basic authentication and role authorization, as ksqlDB's AuthHandlers chain does it: paths that skip
authentication (/v1/metadata, /v1/metadata/id, /healthcheck and `authentication.skip.paths`), the JAAS
basic-auth check (401 "Unauthorized") and RoleBasedAuthZHandler's `authentication.roles` check
(403 "Forbidden")."""

from __future__ import annotations

import base64
import binascii
import hmac
import re
from collections.abc import Collection, Mapping, Sequence

from ksqlserver.config import Secret
from ksqlserver.server.errors import HttpError

# AuthHandlers.KSQL_AUTHENTICATION_SKIP_PATHS
ALWAYS_SKIPPED = ("/v1/metadata", "/v1/metadata/id", "/healthcheck")
DEFAULT_REALM = "ksqlserver"


def challenge(realm: str) -> tuple[str, str]:
    """BasicAuthHandlerImpl.setAuthenticateHeader: the header of every 401."""
    return ("www-authenticate", f'Basic realm="{realm or DEFAULT_REALM}"')


def wildcards_to_regex(paths: Sequence[str]) -> re.Pattern[str]:
    """ServerUtils.convertCommaSeparatedWilcardsToRegex: `.+?-` literal, `*` any run of characters."""
    parts = []
    for path in paths:
        part = path.strip()
        for ch in ".+?-":
            part = part.replace(ch, "\\" + ch)
        parts.append(part.replace("*", ".*"))
    return re.compile("|".join(parts))


def skip_path_pattern(skip_paths: Sequence[str]) -> re.Pattern[str]:
    """AuthHandlers.getAuthenticationSkipPathPattern: the fixed paths plus `authentication.skip.paths`."""
    return wildcards_to_regex(sorted({*ALWAYS_SKIPPED, *skip_paths}))


def allowed_roles(configured: Sequence[str]) -> tuple[str, ...] | None:
    """RoleBasedAuthZHandler's parsing of `authentication.roles`: `*` entries are dropped and `**` means any
    role; None: every authenticated user is authorized."""
    parsed = [("*" if role == "**" else role) for role in configured if role != "*"]
    return None if "*" in parsed else tuple(parsed)


def authenticate(header: str | None, credentials: Mapping[str, Secret]) -> str | None:
    """The user a request's basic credentials name; raises 401 "Unauthorized" (40100) as Vert.x's
    BasicAuthHandler and AuthHandlers.selectHandler (an Authorization that is not basic) do. None when no
    credentials are configured."""
    if not credentials:
        return None
    if not header or header[:6].lower() != "basic ":
        raise HttpError(401, 40100, "Unauthorized")
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise HttpError(401, 40100, "Unauthorized") from exc
    user, _, password = decoded.partition(":")
    expected = credentials.get(user)
    # compare_digest on every path keeps the timing independent of which part was wrong
    matches = hmac.compare_digest(password.encode(), (expected.value if expected else "").encode())
    if expected is None or not matches:
        raise HttpError(401, 40100, "Unauthorized")
    return user


def authorize(user: str, roles: Collection[str], allowed: tuple[str, ...] | None) -> None:
    """RoleBasedAuthZHandler: the user needs one of the allowed roles, else 403 "Forbidden" (40300)."""
    if allowed is not None and not any(role in roles for role in allowed):
        raise HttpError(403, 40300, "Forbidden")
