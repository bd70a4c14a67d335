"""oracle-rest-stack up|down|status: real ksqlDB 0.29.0's REST server on 127.0.0.1:28088.

    oracle-rest-stack up [--fresh]    our stack's Kafka broker (29092) and schema registry (28081)
                                      (`fraudlab stack up --no-ksql`), then KsqlServerMain
    oracle-rest-stack down [--wipe]   stops both (--wipe also deletes their state: topics, command topic)
    oracle-rest-stack status

The server's log: ORACLE_HOME/rest/ksql.log. Dev tool of the fraudlab project (scripts/oracle).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import checkout

HOME = Path(os.environ.get("ORACLE_HOME", Path(__file__).resolve().parent.parent))
REST = HOME / "rest"
STACK_STATE = REST / "stack"
FRAUDLAB = checkout.fraudlab()
URL = "http://127.0.0.1:28088"
PORTS = ["--kafka-port", "29092", "--schema-registry-port", "28081", "--connect-port", "28083"]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as r:
            return r.status == 200
    except Exception:
        return False


def ksql_pid() -> int | None:
    try:
        pid = int((REST / "ksql.pid").read_text())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def up(fresh: bool) -> int:
    if fresh:
        down(wipe=True)
    REST.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [FRAUDLAB, "stack", "up", "--no-ksql", "--state-dir", str(STACK_STATE), *PORTS], check=True
    )
    if ksql_pid() is None:
        props = (HOME / "conf" / "ksql-server.properties").read_text().replace("@HOME@", str(HOME))
        (REST / "ksql-server.properties").write_text(props)
        cp = f"{HOME / 'harness' / 'target' / 'classes'}:{HOME / 'lib'}/*"
        opts = os.environ.get("ORACLE_REST_JAVA_OPTS", "-Xmx1g -XX:+UseSerialGC").split()
        with open(REST / "ksql.log", "ab") as log:
            proc = subprocess.Popen(
                ["nice", "java", *opts, f"-Dlog4j.configuration=file:{HOME / 'conf' / 'log4j-rest.properties'}",
                 "-cp", cp, "io.confluent.ksql.rest.server.KsqlServerMain", str(REST / "ksql-server.properties")],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )
        (REST / "ksql.pid").write_text(str(proc.pid))
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if answers(URL + "/info"):
            print(f"ksqlDB 0.29.0 (built from source) answers on {URL}")
            return 0
        if ksql_pid() is None:
            break
        time.sleep(2)
    print(f"oracle-rest-stack: the server did not come up; see {REST / 'ksql.log'}", file=sys.stderr)
    return 1


def down(wipe: bool) -> int:
    pid = ksql_pid()
    if pid is not None:
        os.killpg(pid, signal.SIGTERM)
        for _ in range(30):
            if ksql_pid() is None:
                break
            time.sleep(1)
        else:
            os.killpg(pid, signal.SIGKILL)
    (REST / "ksql.pid").unlink(missing_ok=True)
    if STACK_STATE.exists():
        subprocess.run([FRAUDLAB, "stack", "down", "--state-dir", str(STACK_STATE)], check=False)
    if wipe:
        shutil.rmtree(STACK_STATE, ignore_errors=True)
        shutil.rmtree(REST / "streams-state", ignore_errors=True)
    return 0


def status() -> int:
    pid = ksql_pid()
    print(f"ksqlDB REST: pid {pid}, {'answers' if answers(URL + '/info') else 'does not answer'} on {URL}")
    if STACK_STATE.exists():
        subprocess.run([FRAUDLAB, "stack", "status", "--state-dir", str(STACK_STATE)], check=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="oracle-rest-stack", description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["up", "down", "status"])
    ap.add_argument("--fresh", action="store_true", help="up: wipe the previous state first")
    ap.add_argument("--wipe", action="store_true", help="down: delete the state too")
    a = ap.parse_args(argv)
    if a.command == "up":
        return up(a.fresh)
    if a.command == "down":
        return down(a.wipe)
    return status()


if __name__ == "__main__":
    sys.exit(main())
