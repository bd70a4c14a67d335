"""Drops the output timestamps that are wall-clock times (rows an INSERT VALUES without a column list wrote:
with no ROWTIME the row gets the current time, which no two runs share) from files bin/fill-outputs wrote.
Text edit, so the recorded number text (1.50, 0.0) is kept. usage: python postfill.py FILE..."""
import re
import sys
from pathlib import Path

WALL = r'"timestamp": 1[6-9]\d{11}'
for path in sys.argv[1:]:
    text = Path(path).read_text()
    text, a = re.subn(r",\s*\n\s*" + WALL + r"(?=\s*\n\s*\})", "", text)  # the record's last field
    text, b = re.subn(r"\n\s*" + WALL + r",(?=\s*\n)", "", text)  # any other field
    Path(path).write_text(text)
    print(path, "wall-clock timestamps dropped:", a + b)
