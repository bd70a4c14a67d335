"""A tiny C parser for DELIMITED numeric lines, built with the system C compiler at first use and
loaded with ctypes. `native()` returns None when no compiler (or no writable cache) is available;
callers then use the pure numpy/pandas path, which makes the same decisions."""

from fraudlab._fastparse.build import native
from fraudlab._fastparse.lines import LinesResult, parse_lines

__all__ = ["LinesResult", "native", "parse_lines"]
