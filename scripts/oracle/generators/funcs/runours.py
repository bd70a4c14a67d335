"""Run generated QTT files through our engine; print ERROR verdicts (crashes / statement errors)."""

import collections
import sys
from pathlib import Path

from ksqlserver.conformance import qtt

counts = collections.Counter()
for p in sys.argv[1:]:
    for test in qtt.load_file(Path(p))["tests"]:
        for c in qtt.expand(Path(p).stem, test):
            v, why = qtt.run_case(c)
            counts[v] += 1
            if v == qtt.ERROR:
                print(c.name, "|", why[:200])
print(dict(counts))
