"""The ksqlDB-compatible REST server: HTTP/1.1 and HTTP/2 on one port, over the `Engine` facade."""

from ksqlserver.server.app import KsqlServer, bind_socket
from ksqlserver.server.background import BackgroundServer, start_in_background

__all__ = ["BackgroundServer", "KsqlServer", "bind_socket", "start_in_background"]
