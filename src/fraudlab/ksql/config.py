"""`KsqlConfig`: where the KSQL server is, how to authenticate to it, and which streams properties
every statement carries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from fraudlab.kafka.config import Secret
from fraudlab.ksql.offsets import EARLIEST

AUTH_PREFIX = "fraudlab.ksql."  # the KSQL lines of a client properties file (fraudlab/stack/security.py)


@dataclass(frozen=True)
class KsqlConfig:
    url: str
    timeout_s: float = 30.0  # per HTTP read: a push query that stalls longer ends
    properties: Mapping[str, str] = field(default_factory=lambda: dict(EARLIEST))
    username: str | None = None  # HTTP basic auth
    password: Secret | None = field(default=None, repr=False)
    ca_location: str | None = None  # PEM of the CA that signed an https server's certificate

    def __post_init__(self) -> None:
        if self.password is not None and not isinstance(self.password, Secret):
            object.__setattr__(self, "password", Secret(self.password))

    def with_client_properties(self, props: Mapping[str, str]) -> KsqlConfig:
        """Basic auth and TLS trust from a client properties file's `fraudlab.ksql.*` lines."""
        user_info = props.get(AUTH_PREFIX + "basic.auth.user.info")
        user, _, password = user_info.partition(":") if user_info else (None, "", None)
        return replace(
            self,
            username=user or self.username,
            password=Secret(password) if password else self.password,
            ca_location=props.get(AUTH_PREFIX + "ssl.ca.location") or self.ca_location,
        )
