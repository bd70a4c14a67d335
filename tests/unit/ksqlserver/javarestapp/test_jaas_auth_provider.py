"""Port of ksqlDB 0.29 `io.confluent.ksql.api.auth.JaasAuthProviderTest` (ksqldb-rest-app) with
RoleBasedAuthZHandler: which users of a JAAS password file (`user: password,role,...`) get through with
which `authentication.roles`, over /info: 200 when authorized, 403 "Forbidden" when authenticated without an
allowed role. JaasAuthProvider makes a role of every principal of the login subject, the user's own name among
them. shouldFailToAuthenticateOnMissingUsername / ...Password concern Vert.x's authInfo object: a request
without credentials is the 401 of test_auth.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from ksqlserver.config import parse_credentials, parse_user_roles
from ksqlserver.server.auth import allowed_roles

USER, PASSWORD = "fred", "letmein"


def _status(rest: Any, tmp_path: Path, configured: list[str], roles: list[str]) -> int:
    users = tmp_path / "password-file"
    users.write_text(f"{USER}: {','.join([PASSWORD, *roles])}\n")
    _, _, server = rest.start(
        server_options={
            "credentials": parse_credentials(str(users)),
            "user_roles": parse_user_roles(str(users)),
            "auth_roles": allowed_roles(configured),
        }
    )
    return httpx.get(server.url + "/info", auth=(USER, PASSWORD), timeout=10).status_code


@pytest.mark.parametrize(
    ("configured", "roles", "status"),
    [
        (["**"], [], 200),  # shouldAuthenticateWithWildcardAllowedRole
        (["user"], ["user"], 200),  # shouldAuthenticateWithNonWildcardRole
        (["user", "other"], ["user"], 200),  # shouldAuthenticateWithAdditionalAllowedRoles
        (["user"], ["user", "other"], 200),  # shouldAuthenticateWithExtraRoles
        (["user"], [], 403),  # shouldFailToAuthenticateWithNoRole
        (["user"], ["other"], 403),  # shouldFailToAuthenticateWithNonAllowedRole
        ([USER], [], 200),  # the user's own principal is a role too
        (["*"], ["user"], 403),  # RoleBasedAuthZHandler drops "*": no role is allowed
    ],
)
def test_roles(rest: Any, tmp_path: Path, configured: list[str], roles: list[str], status: int) -> None:
    """JaasAuthProviderTest: verifyAuthorizedSuccessfulLogin / verifyUnauthorizedSuccessfulLogin"""
    assert _status(rest, tmp_path, configured, roles) == status
