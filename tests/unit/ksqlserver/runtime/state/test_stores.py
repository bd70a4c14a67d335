"""The key-value store interface every stateful operator uses (in-memory backend)."""

from __future__ import annotations

from ksqlserver.runtime.state.base import InMemoryKeyValueStore, StateStores


def test_get_put_delete() -> None:
    s = InMemoryKeyValueStore("CTAS_T_0", "Aggregate-Aggregate-Materialize")
    assert s.get(("a",)) is None
    s.put(("a",), [1, 2])
    s.put(("b",), [3])
    assert s.get(("a",)) == [1, 2]
    s.delete(("a",))
    s.delete(("missing",))
    assert s.get(("a",)) is None
    assert list(s.items()) == [(("b",), [3])]
    assert len(s) == 1
    assert s.full_name == "CTAS_T_0-Aggregate-Aggregate-Materialize"


def test_range_is_inclusive_ordered_and_tolerates_nulls() -> None:
    s = InMemoryKeyValueStore("q", "s")
    for k in (5, 1, 3, None, 9):
        s.put((k,), k)
    assert [k for k, _ in s.range((1,), (5,))] == [(1,), (3,), (5,)]
    assert [k for k, _ in s.range(lower=(4,))] == [(5,), (9,)]
    assert [k for k, _ in s.range()] == [(None,), (1,), (3,), (5,), (9,)]


def test_items_is_a_snapshot() -> None:
    s = InMemoryKeyValueStore("q", "s")
    s.put((1,), 1)
    it = s.items()
    s.put((2,), 2)
    assert list(it) == [((1,), 1)]


def test_provider_opens_once_and_drops_per_query() -> None:
    stores = StateStores()
    a = stores.open("Q1", "Aggregate-Aggregate-Materialize")
    assert stores.open("Q1", "Aggregate-Aggregate-Materialize") is a
    b = stores.open("Q2", "Aggregate-Aggregate-Materialize")
    a.put((1,), 1)
    assert stores.of_query("Q1") == [a]
    stores.drop("Q1")
    assert stores.find("Q1", "Aggregate-Aggregate-Materialize") is None
    assert stores.find("Q2", "Aggregate-Aggregate-Materialize") is b


def test_custom_factory_is_used() -> None:
    made: list[tuple[str, str]] = []

    def factory(q: str, n: str) -> InMemoryKeyValueStore:
        made.append((q, n))
        return InMemoryKeyValueStore(q, n)

    StateStores(factory).open("Q", "S")
    assert made == [("Q", "S")]
