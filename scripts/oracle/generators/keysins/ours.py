"""Our QTT runner over filled files (oracle answers): print DIFF lines. usage: ours.py FILE... [-k sub]"""

import sys
from pathlib import Path

from ksqlserver.conformance import qtt

args = sys.argv[1:]
k = None
if "-k" in args:
    i = args.index("-k")
    k = args[i + 1]
    del args[i : i + 2]
p = f = 0
for a in args:
    path = Path(a)
    for t in qtt.load_file(path)["tests"]:
        for c in qtt.expand(path.stem, t):
            if k and k not in c.name:
                continue
            v, r = qtt.run_case(c)
            if v == qtt.PASS:
                p += 1
            else:
                f += 1
                print("DIFF", c.name, ":", r[:400])
print(p, "passed", f, "failed")
