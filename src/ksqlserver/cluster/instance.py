"""The identity of one server process across restarts: kept in `<state dir>/instance.id`.

It names the server's static consumer-group members (a restarted server takes its partitions back at once
instead of waiting for the dead member's session to expire) and its transactional producers (a restarted
server fences the dead one and aborts its open transaction). Two servers sharing a service id need two
state dirs, hence two identities. Without a state dir every start is a new identity.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from ksqlserver.errors import KsqlError

FILE = "instance.id"


class InstanceIdError(KsqlError):
    """The state dir holds an unreadable instance id; carries the file."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def instance_id(state_dir: Path | None) -> str:
    """The id stored in `state_dir` (created on first use), or a fresh one without a state dir."""
    if state_dir is None:
        return uuid.uuid4().hex[:12]
    path = state_dir / FILE
    if path.exists():
        text = path.read_text(encoding="utf-8").strip()
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", text):
            raise InstanceIdError(f"{path} does not hold an instance id (letters, digits, _ . -)", path)
        return text
    state_dir.mkdir(parents=True, exist_ok=True)
    new = uuid.uuid4().hex[:12]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(new + "\n", encoding="utf-8")
    tmp.replace(path)
    return new
