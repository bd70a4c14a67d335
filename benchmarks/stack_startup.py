"""Cold and warm `stack up` times and the idle stack's RSS. Prints JSON.

cold: a new state dir (storage formatted, topics created) with the jars already cached;
warm: `down` then `up` again on the same state dir; reuse: `up` while the stack already runs.

    .venv/bin/python benchmarks/stack_startup.py [--repeat 3] [--with-ksql]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median

from fraudlab.stack import Stack, StackConfig
from fraudlab.stack.jars import ensure_jars
from fraudlab.stack.ports import free_ports


def timed_up(stack: Stack) -> tuple[float, list]:
    start = time.perf_counter()
    rows = stack.up(progress=False)
    return time.perf_counter() - start, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--with-ksql", action="store_true")
    parser.add_argument("--idle-seconds", type=float, default=20.0, help="Settle time before reading RSS.")
    args = parser.parse_args()
    cold, warm, reuse, idle = [], [], [], []
    per_service: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        kafka, connect, ksql = free_ports(3)
        with tempfile.TemporaryDirectory(prefix="fraudlab-startup-") as tmp:
            config = StackConfig.default(
                state_dir=Path(tmp),
                kafka_port=kafka,
                connect_port=connect,
                ksql_port=ksql,
                with_ksql=args.with_ksql,
            )
            ensure_jars(config)
            stack = Stack(config)
            try:
                seconds, _ = timed_up(stack)
                cold.append(seconds)
                seconds, _ = timed_up(stack)
                reuse.append(seconds)
                stack.down()
                seconds, _ = timed_up(stack)
                warm.append(seconds)
                time.sleep(args.idle_seconds)
                rows = stack.status()
                idle.append(sum(r.rss_mb or 0 for r in rows))
                for r in rows:
                    per_service.setdefault(r.service, []).append(r.rss_mb or 0)
            finally:
                stack.down()
    print(
        json.dumps(
            {
                "benchmark": "stack_startup",
                "repeat": args.repeat,
                "cold_up_s_median": round(median(cold), 1),
                "warm_up_s_median": round(median(warm), 1),
                "reuse_up_s_median": round(median(reuse), 2),
                "idle_rss_mb_median": round(median(idle)),
                "idle_rss_mb_by_service": {k: round(median(v)) for k, v in per_service.items()},
                "cold_up_s_all": [round(x, 1) for x in cold],
                "warm_up_s_all": [round(x, 1) for x in warm],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
