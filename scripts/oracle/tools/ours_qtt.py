"""Runs QTT files through OUR engine (ksqlserver.conformance.qtt) for diff-ours; JSON lines on stdout.

    PYTHONPATH=$OURS_SRC python ours_qtt.py EMPTY_TOPICS_JSON FILE...

EMPTY_TOPICS_JSON maps a case name to the topics on which real ksqlDB wrote nothing: QTT `outputs` cannot
say "no records", so those topics are read here after the case ran (a wrapper around qtt._check_outputs,
which run_case calls once the statements and inputs ran without error).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ksqlserver.conformance import qtt


def main() -> int:
    empty: dict[str, list[str]] = json.loads(Path(sys.argv[1]).read_text())
    current: dict[str, Any] = {}
    original = qtt._check_outputs

    def check_outputs(engine: Any, driver: Any, test: Any, *args: Any, **kw: Any) -> None:
        for topic in empty.get(current["name"], []):
            try:
                current["extra"][topic] = len(driver.records(topic))
            except Exception:  # the topic does not exist on our side: nothing written either
                current["extra"][topic] = 0
        original(engine, driver, test, *args, **kw)

    qtt._check_outputs = check_outputs  # type: ignore[assignment]
    for f in sys.argv[2:]:
        path = Path(f)
        for test in qtt.load_file(path)["tests"]:
            for case in qtt.expand(path.stem, test):
                current.clear()
                current.update(name=case.name, extra={})
                try:
                    verdict, reason = qtt.run_case(case)
                except Exception as e:  # a runner crash is an outcome too
                    verdict, reason = qtt.ERROR, f"runner crashed: {type(e).__name__}: {e}"
                extra = {t: n for t, n in current["extra"].items() if n}
                print(json.dumps({"file": f, "name": case.name, "verdict": verdict, "reason": reason, "extra": extra}),
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
