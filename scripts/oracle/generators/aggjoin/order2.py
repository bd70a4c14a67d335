"""Run generated cases forward and reversed; print cases whose shown output differs between the orders."""

import contextlib
import io
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import show as S  # noqa
from ksqlserver.conformance import qtt as Q

cases = [c for p in sys.argv[1:] for t in Q.load_file(Path(p))["tests"] for c in Q.expand(Path(p).stem, t)]


def run(order):
    res = {}
    for c in order:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            S.show(c)
        res[c.name] = buf.getvalue()
    return res


a = run(cases)
b = run(list(reversed(cases)))
sh = cases[:]
random.Random(5).shuffle(sh)
c3 = run(sh)
for n in a:
    if a[n] != b[n] or a[n] != c3[n]:
        print("DIFF", n)
print("compared", len(a))
