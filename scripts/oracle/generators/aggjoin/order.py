"""Run the recorded oracle cases in a given order; print those whose verdict differs from the in-order run."""

import random
import sys
from pathlib import Path

from ksqlserver.conformance import qtt

HERE = Path("tests/unit/ksqlserver/oracle")
known = {
    line.split("\t")[0]
    for line in (HERE / "known_divergences.txt").read_text().splitlines()
    if line and not line.startswith("#")
}
cases = [
    c
    for p in sorted(HERE.glob(sys.argv[1] + "/*.json"))
    for t in qtt.load_file(p)["tests"]
    for c in qtt.expand(p.stem, t)
]
seed = int(sys.argv[2])
if seed == -1:
    cases.reverse()
else:
    random.Random(seed).shuffle(cases)
for c in cases:
    v, why = qtt.run_case(c)
    if (v == qtt.PASS) == (c.name in known):
        print(c.name, v, why[:300])
