"""Build `delimited.c` (the DELIMITED line parser) once per source version and load it with ctypes, through
the shared `nativebuild` helper (`fraudlab.kafka.batch_consumer` builds `batch_consumer.c`, which
includes this parser, the same way)."""

from __future__ import annotations

import ctypes
import functools
import logging
from collections.abc import Sequence
from pathlib import Path

from nativebuild import BuildError, NativeSpec, load_ctypes

log = logging.getLogger(__name__)

SOURCE = Path(__file__).with_name("delimited.c")
NAMESPACE = "fraudlab"
_I64P = ctypes.POINTER(ctypes.c_int64)


def load_library(source: Path, link: Sequence[Path] = (), depends: Sequence[Path] = ()) -> ctypes.CDLL:
    """Build (once per version of the sources and of the linked libraries) and load `source`, which may
    include the parser (`#include "delimited.c"`); OSError (a `BuildError`) when that is impossible."""
    spec = NativeSpec(
        namespace=NAMESPACE,
        sources=(source,),
        depends=(*depends, *((SOURCE,) if source != SOURCE else ())),
        include_dirs=(SOURCE.parent,),
        link=tuple(link),
        libraries=("m",),
    )
    return load_ctypes(spec)


@functools.cache
def native() -> ctypes.CDLL | None:
    """The loaded library, or None (logged once) when it cannot be built or loaded."""
    try:
        lib = load_library(SOURCE)
    except BuildError as exc:
        log.warning("native DELIMITED parser unavailable (%s); using the numpy path", exc)
        return None
    fn = lib.fl_parse_lines
    fn.restype = ctypes.c_int64
    fn.argtypes = [
        ctypes.c_char_p, _I64P, _I64P, ctypes.c_int64, ctypes.c_int, ctypes.POINTER(ctypes.c_int32),
        ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_float), _I64P, ctypes.POINTER(ctypes.c_uint8),
    ]
    return lib
