"""The embedded stack: a real Kafka broker (KRaft) and Kafka Connect worker from Maven jars, plus the
KSQL server, run as local processes on loopback (no Docker)."""

from fraudlab.stack.config import StackConfig, find_project_root, shared_dir
from fraudlab.stack.errors import StackError
from fraudlab.stack.ksql_process import KsqlServerProcess
from fraudlab.stack.manager import ServiceStatus, Stack

__all__ = ["KsqlServerProcess", "ServiceStatus", "Stack", "StackConfig", "StackError", "find_project_root",
           "shared_dir"]
