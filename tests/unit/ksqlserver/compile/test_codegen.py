"""The emitter every generated function is built with."""

from __future__ import annotations

from ksqlserver.catalog.types import Column, primitive
from ksqlserver.compile.codegen import Emitter
from ksqlserver.formats import get_format
from ksqlserver.formats.base import SerdeOptions


def test_blocks_guards_and_bound_values_make_one_function() -> None:
    em = Emitter()
    scale = em.bind(lambda x: x * 10)
    with em.block("def f(xs, slow):"):
        em.line("out = []")
        with em.block("for x in xs:"):
            em.guard("x >= 0", ["slow(x)", "continue"])
            em.line(f"out.append({scale}(x))")
        em.line("return out")
    f = em.build("f")
    slowed: list[int] = []
    assert f([1, -2, 3], slowed.append) == [10, 30]
    assert slowed == [-2]
    assert "if not (x >= 0):" in em.source()


def test_bind_names_each_object_once_and_never_shadows() -> None:
    ns = {"_b1": "taken"}
    em = Emitter(ns)
    value = object()
    name = em.bind(value)
    assert name != "_b1" and ns["_b1"] == "taken"
    assert em.bind(value) == name
    assert em.bind(value, "_fixed") == "_fixed" and ns["_fixed"] is value


def test_format_snippets_agree_with_their_serdes() -> None:
    """The decode and encode snippets, run alone, give the serde's values and bytes or decline."""
    cols = [Column("A", primitive("DOUBLE")), Column("B", primitive("STRING")), Column("C", primitive("INTEGER"))]
    opts = SerdeOptions()
    for name in ("DELIMITED", "JSON"):
        fmt = get_format(name)
        serde = fmt.serde(cols, opts, False)
        em = Emitter()
        enc = fmt.encode_snippet(cols, opts, em, ["a", "b", "c"], "out")
        assert enc is not None
        with em.block("def enc(a, b, c):"):
            em.line(*enc.code)
            em.guard(enc.guard, "return None")
            em.line("return out")
        write = em.build("enc")
        for row in ([1.5, "x,y", 3], [1e-5, "plain", -1], [-0.0, "", 0], [2.0, 'q"', 2**40], [3.0, "z", True]):
            got = write(*row)
            assert got is None or got == serde.serialize(row), (name, row, got)
        assert write(1.5, "x", 3) == serde.serialize([1.5, "x", 3])
    fmt = get_format("DELIMITED")
    serde = fmt.serde(cols, opts, False)
    em = Emitter()
    dec = fmt.decode_snippet(cols, opts, em, "data", "vals")
    assert dec is not None
    with em.block("def dec(data):"):
        em.line(*dec.code)
        em.guard(dec.guard, "return None")
        em.line("return vals")
    read = em.build("dec")
    for line in (b"1.5,x,3", b'2,"q",4', b"1e400,x,1", b",x,1", b"1.5,x"):
        got = read(line)
        assert got is None or got == serde.deserialize(line), (line, got)
    assert read(b"1.5,x,3") == [1.5, "x", 3]
