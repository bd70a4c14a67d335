"""Quick: python q.py 'stmt; stmt;' 'topic|key|json|ts' ...  -> writes a one-case QTT file ($AJ_Q_OUT,
default <tempdir>/aj_q.json) to show with show.py or run with bin/diff-ours."""

import json
import os
import sys
import tempfile
from pathlib import Path

OUT = Path(os.environ.get("AJ_Q_OUT") or Path(tempfile.gettempdir()) / "aj_q.json")

stmts = [s.strip() + ";" for s in sys.argv[1].split(";") if s.strip()]
inputs = []
for a in sys.argv[2:]:
    topic, key, val, ts = a.split("|")
    inputs.append(
        {
            "topic": topic,
            "key": None if key == "null" else json.loads(key) if key[:1] in '{[0123456789-"' else key,
            "value": json.loads(val),
            "timestamp": int(ts),
        }
    )
OUT.write_text(json.dumps({"tests": [{"name": "q", "statements": stmts, "inputs": inputs}]}))
