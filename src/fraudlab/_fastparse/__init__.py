"""Small C helpers built with the system C compiler at first use and loaded with ctypes.

`delimited.c`: a parser for DELIMITED numeric lines; `native()` returns None when no compiler (or no
writable cache) is available, and callers then use the pure numpy/pandas path, which makes the same
decisions. `fraudlab/kafka/batch_consumer.c` includes it and drives librdkafka (see `fraudlab.kafka.batch_consumer`).
Both are built by the shared `nativebuild` helper.
"""

from fraudlab._fastparse.build import load_library, native
from fraudlab._fastparse.lines import LinesResult, parse_lines

__all__ = ["LinesResult", "load_library", "native", "parse_lines"]
