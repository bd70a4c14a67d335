"""Compare our CAST refusals with CastEvaluator.SUPPORTED (ksqlDB 0.29) over a type matrix, through the engine."""

import itertools

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

BASE = {
    ("BOOLEAN", "STRING"),
    ("INTEGER", "BIGINT"),
    ("INTEGER", "DECIMAL"),
    ("INTEGER", "DOUBLE"),
    ("INTEGER", "STRING"),
    ("BIGINT", "INTEGER"),
    ("BIGINT", "DECIMAL"),
    ("BIGINT", "DOUBLE"),
    ("BIGINT", "STRING"),
    ("DECIMAL", "INTEGER"),
    ("DECIMAL", "BIGINT"),
    ("DECIMAL", "DECIMAL"),
    ("DECIMAL", "DOUBLE"),
    ("DECIMAL", "STRING"),
    ("DOUBLE", "INTEGER"),
    ("DOUBLE", "BIGINT"),
    ("DOUBLE", "DECIMAL"),
    ("DOUBLE", "STRING"),
    ("STRING", "BOOLEAN"),
    ("STRING", "INTEGER"),
    ("STRING", "BIGINT"),
    ("STRING", "DECIMAL"),
    ("STRING", "DOUBLE"),
    ("STRING", "TIMESTAMP"),
    ("STRING", "TIME"),
    ("STRING", "DATE"),
    ("STRING", "BYTES"),
    ("ARRAY", "ARRAY"),
    ("ARRAY", "STRING"),
    ("MAP", "MAP"),
    ("MAP", "STRING"),
    ("STRUCT", "STRUCT"),
    ("STRUCT", "STRING"),
    ("TIMESTAMP", "STRING"),
    ("TIMESTAMP", "TIME"),
    ("TIMESTAMP", "DATE"),
    ("DATE", "TIMESTAMP"),
    ("TIME", "STRING"),
    ("DATE", "STRING"),
}
SCALARS = [
    "BOOLEAN",
    "INTEGER",
    "BIGINT",
    "DOUBLE",
    "DECIMAL(4, 2)",
    "STRING",
    "TIMESTAMP",
    "TIME",
    "DATE",
    "BYTES",
]
COMPLEX = [
    "ARRAY<INTEGER>",
    "ARRAY<STRING>",
    "ARRAY<BOOLEAN>",
    "ARRAY<BYTES>",
    "ARRAY<ARRAY<INTEGER>>",
    "MAP<STRING, INTEGER>",
    "MAP<STRING, BOOLEAN>",
    "STRUCT<`X` INTEGER, `Y` STRING>",
    "STRUCT<`X` BOOLEAN>",
    "STRUCT<`Z` BYTES>",
    "STRUCT<`X` STRING>",
]
TYPES = SCALARS + COMPLEX


def base(t):
    return t.split("<")[0].split("(")[0]


def parse(t):  # very small parser for the listed types
    return t


def inner(t):
    b = base(t)
    if b == "ARRAY":
        return [t[6:-1]]
    if b == "MAP":
        k, v = t[4:-1].split(", ", 1)
        return [k, v]
    return []


def fields(t):
    out = {}
    for f in t[7:-1].split(", "):
        n, ty = f.split(" ", 1)
        out[n.strip("`")] = ty
    return out


def ok(f, t):
    if f == t:
        return True
    bf, bt = base(f), base(t)
    if (bf, bt) not in BASE:
        return False
    if bf == bt == "ARRAY":
        return ok(inner(f)[0], inner(t)[0])
    if bf == bt == "MAP":
        return ok(inner(f)[0], inner(t)[0]) and ok(inner(f)[1], inner(t)[1])
    if bf == bt == "STRUCT":
        ff, tf = fields(f), fields(t)
        return all(ok(ff[n], tf[n]) for n in ff if n in tf)
    return True


def sqlt(t):
    return t.replace("`", "")


d = MemoryDriver()
d.create_topic("src", partitions=1)
e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={}), d)
cols = ", ".join(f"C{i} {sqlt(t)}" for i, t in enumerate(TYPES))
e.execute(f"CREATE STREAM SRC (K STRING KEY, {cols}) WITH (kafka_topic='src', value_format='JSON');")
bad = 0
n = 0
for (i, f), t in itertools.product(enumerate(TYPES), TYPES):
    n += 1
    exp = None if ok(f, t) else f"Invalid Select: Cast of {f} to {t} is not supported."
    try:
        e.execute(f"CREATE STREAM OUT{n} AS SELECT K, CAST(C{i} AS {sqlt(t)}) AS R FROM SRC;")
        got = None
    except KsqlError as err:
        got = err.message
    if got != exp:
        bad += 1
        print(f"CAST({f} AS {t}): expected {exp!r} got {got!r}")
print(n, "pairs", bad, "differ")
