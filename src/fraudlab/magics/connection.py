"""Which KSQL server the magics talk to, and with which credentials: a URL, a secured stack's recorded
client config (basic auth + the CA of the server's certificate), or a client properties file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from fraudlab.kafka.config import read_properties
from fraudlab.magics.errors import MagicUsageError
from fraudlab.magics.rest import AUTH_PREFIX, KsqlConfig

DEFAULT_URL = "http://127.0.0.1:8088"


def stack_connection(state_dir: Path) -> KsqlConfig | None:
    """The KSQL server `fraudlab stack up` recorded in `state_dir`, with the basic-auth user and CA of the
    stack's client config when the stack is secured; None when no stack with a KSQL server was recorded."""
    try:
        recorded = json.loads((state_dir / "stack.json").read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(recorded, dict) or not recorded.get("ksql_url"):
        return None
    config = KsqlConfig(str(recorded["ksql_url"]))
    client_config = recorded.get("client_config")
    if client_config:
        try:
            config = config.with_client_properties(read_properties(Path(client_config)))
        except OSError as exc:
            raise MagicUsageError(f"the stack in {state_dir} is secured but its client config "
                                  f"{client_config} cannot be read: {exc.strerror or exc}") from exc
    return config


def client_config_connection(url: str, client_config: Path) -> KsqlConfig:
    """`url` with the basic-auth user and CA of a client properties file (`fraudlab stack client-config
    --path`); its `fraudlab.ksql.url` line is the URL when `url` is empty."""
    try:
        props = read_properties(client_config)
    except OSError as exc:
        raise MagicUsageError(f"cannot read the client config {client_config}: {exc.strerror or exc}") from exc
    url = url or props.get(AUTH_PREFIX + "url", "")
    if not url:
        raise MagicUsageError(f"{client_config} names no KSQL server (no {AUTH_PREFIX}url line): give its URL")
    return KsqlConfig(url).with_client_properties(props)


def default_connection(env: dict[str, str] | None = None) -> KsqlConfig:
    """FRAUDLAB_KSQL_URL (with the credentials of FRAUDLAB_CLIENT_CONFIG when set), else the stack `fraudlab
    stack up` recorded in FRAUDLAB_STATE_DIR or the project's `.state/stack` (a secured stack's credentials
    included), else the embedded stack's standard port."""
    env = dict(os.environ) if env is None else env
    url = env.get("FRAUDLAB_KSQL_URL", "")
    if env.get("FRAUDLAB_CLIENT_CONFIG"):
        return client_config_connection(url, Path(env["FRAUDLAB_CLIENT_CONFIG"]))
    if url:
        return KsqlConfig(url)
    if env.get("FRAUDLAB_STATE_DIR"):
        state_dir = Path(env["FRAUDLAB_STATE_DIR"])
    else:
        from fraudlab.kafka_tools.config import project_root

        state_dir = project_root() / ".state" / "stack"
    return stack_connection(state_dir) or KsqlConfig(DEFAULT_URL)


def default_url(env: dict[str, str] | None = None) -> str:
    """The URL of `default_connection`."""
    return default_connection(env).url
