"""Helpers of the ported ksqlDB 0.29 ksqldb-streams materialization and timestamp tests (and a few
ksqldb-engine ones): `Streams` and its `ks` / `make_streams` fixtures are javastreams/'s (imported here so
these tests see them too): a synchronous engine over the in-memory driver, its sinks' records decoded
independently of the engine's serdes, and pull queries over its state stores."""

from __future__ import annotations

from ..javastreams.conftest import Streams, ks, make_streams

__all__ = ["Streams", "ks", "make_streams"]
