"""Run generated QTT files through our engine; print per case: error, or each sink topic's records.
usage: show.py FILE... [-k substring] [--json out.json]"""

import base64
import json
import sys
import traceback
from decimal import Decimal
from pathlib import Path

from ksqlserver.config import EngineConfig
from ksqlserver.conformance import qtt, sr_records
from ksqlserver.conformance.qtt import SERVICE_ID, Recorder, _owner, _produce_inputs, _topics_from_statements
from ksqlserver.conformance.records import decode
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError
from ksqlserver.formats.sr.client import MemoryRegistryClient
from ksqlserver.runtime.operators.windows import split_windowed_key


def plain(v):
    if isinstance(v, bytes):
        return "b64:" + base64.b64encode(v).decode()
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def run(case):
    test = case.test
    driver = MemoryDriver()
    props = {"ksql.streams.auto.offset.reset": "earliest", "ksql.streams.cache.max.bytes.buffering": "0"}
    props.update({k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in case.properties.items()})
    registry = MemoryRegistryClient()
    engine = Engine(
        EngineConfig(
            service_id=SERVICE_ID,
            synchronous=True,
            processing_log=False,
            command_topic=False,
            properties=props,
            frozen_wall_clock=True,
            topic_injector=False,
        ),
        driver,
        registry,
    )
    rec = Recorder()
    engine.state.processing_log = rec
    out = {}
    try:
        for t in test.get("topics") or []:
            driver.create_topic(t["name"], int(t.get("partitions", 1)))
        sr_records.register_topic_schemas(registry, test.get("topics") or [])
        for name, parts in _topics_from_statements(case.statements).items():
            driver.create_topic(name, parts)
        for r in test.get("inputs") or []:
            driver.create_topic(r["topic"], 4)
        try:
            engine.execute("\n".join(case.statements))
            _produce_inputs(engine, driver, test.get("inputs") or [], registry)
            engine.drain()
        except KsqlError as e:
            return {"error": e.unlogged_message or e.logged_message, "type": type(e).__name__}
        except Exception as e:
            return {"internal": f"{type(e).__name__}: {e}", "tb": traceback.format_exc()[-1500:]}
        in_topics = {r["topic"] for r in test.get("inputs") or []}
        for _src in engine.state.metastore.all() if hasattr(engine.state.metastore, "all") else []:
            pass
        for topic in sorted(driver.topics() if hasattr(driver, "topics") else []):
            if topic in in_topics or topic.startswith("_"):
                continue
            recs = driver.records(topic)
            s = _owner(engine, topic, prefer_sink=True)
            rows = []
            for a in recs:
                k = a.key
                w = None
                try:
                    if s is not None and s.window is not None and k is not None:
                        sess = s.window.kind == "SESSION"
                        k, ws, we = split_windowed_key(k, sess, s.window.size_ms)
                        w = [ws, we]
                    row = {
                        "key": plain(decode(s, k, True, True, registry)),
                        "value": plain(decode(s, a.value, False, True, registry)),
                        "ts": a.timestamp,
                    }
                except Exception as e:
                    row = {"undecodable": str(e), "raw": repr((a.key, a.value))}
                if w:
                    row["window"] = w
                if a.headers:
                    row["headers"] = [(h, plain(v)) for h, v in a.headers]
                rows.append(row)
            if rows:
                out[topic] = rows
        res = {"topics": out}
        if rec.errors:
            res["log"] = rec.errors[:6]
        return res
    finally:
        engine.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    k = None
    js = None
    if "-k" in args:
        i = args.index("-k")
        k = args[i + 1]
        del args[i : i + 2]
    if "--json" in args:
        i = args.index("--json")
        js = args[i + 1]
        del args[i : i + 2]
    allres = {}
    for f in args:
        from pathlib import Path

        p = Path(f)
        for t in qtt.load_file(p)["tests"]:
            for c in qtt.expand(p.stem, t):
                if k and k not in c.name:
                    continue
                r = run(c)
                allres[c.name] = r
                if not js:
                    print("==", c.name)
                    print("  ", "\n   ".join(c.statements))
                    print("  ->", json.dumps(r, default=str)[:1500])
    if js:
        Path(js).write_text(json.dumps(allres, indent=1, default=str))
