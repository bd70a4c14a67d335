"""The text formats' C helpers (`_textformats`: the DELIMITED decoder, Java's Double.toString, the JSON row
writer and flat-object reader), built at first use by `nativebuild` into a per-user cache.

A missing compiler or headers only costs speed: `textformats()` is then None (the reason logged once) and
the pure-Python decoders and writers serve, with the same results.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from types import ModuleType

from ksqlserver.formats.java_plain import C_DEFINES
from nativebuild import BuildError, NativeSpec, load_extension

log = logging.getLogger("ksqlserver.native")

FOLDER = Path(__file__).parent
SPEC = NativeSpec(
    namespace="ksqlserver",
    sources=(FOLDER / "_textformats.c",),
    depends=tuple(FOLDER / n for n in ("number.h", "delimited.c", "javatext.c", "jsonrow.c", "jsonobject.c")),
    defines=C_DEFINES,
    python=True,
)


@functools.cache
def textformats() -> ModuleType | None:
    """The compiled module, or None (logged once) when it cannot be built or imported."""
    try:
        module = load_extension(SPEC)
    except BuildError as exc:
        log.warning("C text-format helpers unavailable (%s); using the Python decoders and writers", exc)
        return None
    log.debug("C text-format helpers loaded")
    return module
