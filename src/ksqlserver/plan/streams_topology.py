"""Kafka Streams 3.5's processor naming and TopologyDescription text, for EXPLAIN's `topology`.

`StreamsTopology` follows InternalStreamsBuilder: every name a DSL operator generates takes the next value of
one index (`newProcessorName`: `<PREFIX><10 digits>`; `newStoreName`: `<prefix>STATE-STORE-<10 digits>`),
while a name given with `Named.as` takes none. `describe()` is InternalTopologyBuilder.describe() and
TopologyDescription.toString(): nodes fall into sub-topologies by their connections and shared stores
(numbered in the order their first node was added), each sub-topology lists its nodes by the size of the
tree below them (largest first), then by name (NodeComparator), and so are each node's `-->` / `<--` lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(eq=False)
class Node:
    """InternalTopologyBuilder.Source / Processor / Sink."""

    name: str
    kind: str  # Source, Processor or Sink
    topics: tuple[str, ...] = ()  # a source's topics, a sink's topic
    stores: list[str] = field(default_factory=list)
    predecessors: list[Node] = field(default_factory=list)
    successors: list[Node] = field(default_factory=list)


class StreamsTopology:
    """The nodes a Kafka Streams topology gets, in the order they are added."""

    def __init__(self) -> None:
        self.index = 0
        self.nodes: list[Node] = []

    def new_name(self, prefix: str) -> str:
        """InternalStreamsBuilder.newProcessorName."""
        name = f"{prefix}{self.index:010d}"
        self.index += 1
        return name

    def new_store_name(self, prefix: str) -> str:
        """InternalStreamsBuilder.newStoreName."""
        name = f"{prefix}STATE-STORE-{self.index:010d}"
        self.index += 1
        return name

    def source(self, name: str, topic: str) -> Node:
        return self._add(Node(name, "Source", (topic,)), [])

    def processor(self, name: str, parents: list[Node], stores: list[str] | None = None) -> Node:
        return self._add(Node(name, "Processor", stores=list(stores or [])), parents)

    def sink(self, name: str, topic: str, parent: Node, *more: Node) -> Node:
        return self._add(Node(name, "Sink", (topic,)), [parent, *more])

    def _add(self, node: Node, parents: list[Node]) -> Node:
        for p in parents:
            node.predecessors.append(p)
            p.successors.append(node)
        self.nodes.append(node)
        return node

    def describe(self) -> str:
        """TopologyDescription.toString() of the whole topology (no global stores)."""
        groups = self._subtopologies()
        sizes: dict[int, int] = {}
        out = "Topologies:\n "
        for number, nodes in enumerate(groups):
            ordered = _ordered(nodes, sizes)
            text = "".join(f"    {_node_text(n, sizes)}\n" for n in ordered)
            out += f"  Sub-topology: {number}\n{text}\n"
        return out

    def _subtopologies(self) -> list[list[Node]]:
        """InternalTopologyBuilder.makeNodeGroups: nodes joined by an edge or a shared store are one group;
        groups are numbered by their first node."""
        parent = {id(n): id(n) for n in self.nodes}

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        by_store: dict[str, Node] = {}
        for n in self.nodes:
            for p in n.predecessors:
                parent[root(id(n))] = root(id(p))
            for s in n.stores:
                if s in by_store:
                    parent[root(id(n))] = root(id(by_store[s]))
                by_store.setdefault(s, n)
        groups: dict[int, list[Node]] = {}
        for n in self.nodes:
            groups.setdefault(root(id(n)), []).append(n)
        return list(groups.values())


def _size(n: Node, sizes: dict[int, int]) -> int:
    """AbstractNode.size: the node plus the sizes of its successors (updateSize adds them up)."""
    if id(n) not in sizes:
        sizes[id(n)] = 1 + sum(_size(s, sizes) for s in n.successors)
    return sizes[id(n)]


def _ordered(nodes: list[Node], sizes: dict[int, int]) -> list[Node]:
    """NodeComparator: the larger sub-tree first, then by name."""
    return sorted(nodes, key=lambda n: (-_size(n, sizes), n.name))


def _names(nodes: list[Node], sizes: dict[int, int]) -> str:
    return ", ".join(n.name for n in _ordered(nodes, sizes)) if nodes else "none"


def java_string_hash(s: str) -> int:
    """String.hashCode (over UTF-16 code units), as a signed 32-bit int."""
    h = 0
    for unit in s.encode("utf-16-be").hex(" ", 2).split():
        h = (31 * h + int(unit, 16)) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


def java_hash_set_order(names: list[str]) -> list[str]:
    """A HashSet<String>'s iteration order (Processor's `stores`, copied into a new HashSet): by bucket,
    (h ^ h >>> 16) & (capacity - 1), each bucket in insertion order; the capacity is the default 16 until
    the set outgrows 12 entries (a resize doubles it)."""
    capacity = 16
    while len(names) > capacity * 3 // 4:
        capacity *= 2

    def bucket(name: str) -> int:
        h = java_string_hash(name) & 0xFFFFFFFF
        return (h ^ (h >> 16)) & (capacity - 1)

    return sorted(dict.fromkeys(names), key=bucket)


def _node_text(n: Node, sizes: dict[int, int]) -> str:
    """Source / Processor / Sink.toString()."""
    if n.kind == "Source":
        return f"Source: {n.name} (topics: [{', '.join(n.topics)}])\n      --> {_names(n.successors, sizes)}"
    if n.kind == "Sink":
        return f"Sink: {n.name} (topic: {n.topics[0]})\n      <-- {_names(n.predecessors, sizes)}"
    return (
        f"Processor: {n.name} (stores: [{', '.join(java_hash_set_order(n.stores))}])\n      --> {_names(n.successors, sizes)}"
        f"\n      <-- {_names(n.predecessors, sizes)}"
    )
