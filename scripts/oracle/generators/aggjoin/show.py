"""Run QTT-format cases through our engine and print every output record (or the error)."""

import sys
from pathlib import Path

from ksqlserver.conformance import qtt as Q
from ksqlserver.conformance.qtt import *  # noqa


def show(case):
    test = case.test
    driver = Q.MemoryDriver()
    props = {"ksql.streams.auto.offset.reset": "earliest", "ksql.streams.cache.max.bytes.buffering": "0"}
    props.update({k: str(v) for k, v in case.properties.items()})
    registry = Q.MemoryRegistryClient()
    engine = Q.Engine(
        Q.EngineConfig(
            service_id=Q.SERVICE_ID,
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
    rec = Q.Recorder()
    engine.state.processing_log = rec
    try:
        for name, parts in Q._topics_from_statements(case.statements).items():
            driver.create_topic(name, parts)
        for r in test.get("inputs") or []:
            driver.create_topic(r["topic"], 4)
        try:
            engine.execute("\n".join(case.statements))
            Q._produce_inputs(engine, driver, test.get("inputs") or [], registry)
            engine.drain()
        except Q.KsqlError as e:
            print("  ERROR:", e.message)
            print("  UNLOGGED:", e.unlogged_message)
            return
        for err in rec.errors:
            print("  PLOG:", err[:300])
        ins = {r["topic"] for r in test.get("inputs") or []}
        for topic in sorted(driver._logs):
            if topic in ins or topic.startswith("_"):
                continue
            src = Q._owner(engine, topic, prefer_sink=True)
            recs = driver.records(topic)
            if not recs:
                continue
            print("  topic", topic)
            for a in recs:
                raw, wnd = a.key, None
                if src is not None and src.window is not None and raw is not None:
                    s = src.window.kind == "SESSION"
                    raw, ws, we = Q.split_windowed_key(raw, s, src.window.size_ms)
                    wnd = (ws, we)
                k = Q.decode(src, raw, True, True, registry)
                v = Q.decode(src, a.value, False, True, registry)
                print(f"    {a.timestamp} {k!r} {wnd or ''} -> {v!r}")
    finally:
        engine.close()


if __name__ == "__main__":
    for p in sys.argv[1:]:
        for t in Q.load_file(Path(p))["tests"]:
            for c in Q.expand(Path(p).stem, t):
                print("==", c.name)
                show(c)
