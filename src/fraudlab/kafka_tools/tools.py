"""The Kafka command-line tools fraudlab runs, by the names of Apache Kafka's `bin/` scripts.

Main classes are those the Kafka 4.3 scripts start (`kafka-run-class.sh <class>`); most live in the
`kafka-tools` jar, `ConfigCommand` still in `kafka_2.13`. Heaps follow the scripts' defaults: 512 MB for
the console clients, 256 MB for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from fraudlab.kafka_tools.errors import UnknownToolError


@dataclass(frozen=True)
class KafkaTool:
    name: str  # the script's name without `.sh`, as Confluent's packages install it
    main_class: str
    summary: str
    heap: str = "-Xmx256M"
    # A console client may stream many records: it keeps the optimising JIT. The admin tools make a few
    # requests and exit, so C1 alone (no C2 compile threads) is the faster way through.
    streams_data: bool = False

    @property
    def script(self) -> str:
        return f"{self.name}.sh"


TOOLS: dict[str, KafkaTool] = {
    t.name: t
    for t in (
        KafkaTool("kafka-topics", "org.apache.kafka.tools.TopicCommand", "create, list, describe, alter, delete topics"),
        KafkaTool(
            "kafka-console-producer",
            "org.apache.kafka.tools.ConsoleProducer",
            "write lines from stdin to a topic",
            heap="-Xmx512M",
            streams_data=True,
        ),
        KafkaTool(
            "kafka-console-consumer",
            "org.apache.kafka.tools.consumer.ConsoleConsumer",
            "print a topic's records",
            heap="-Xmx512M",
            streams_data=True,
        ),
        KafkaTool(
            "kafka-consumer-groups",
            "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
            "list, describe, reset consumer groups",
        ),
        KafkaTool("kafka-configs", "kafka.admin.ConfigCommand", "describe and alter topic/broker/client configs"),
        KafkaTool("kafka-get-offsets", "org.apache.kafka.tools.GetOffsetShell", "a topic's offsets per partition"),
    )
}


def find_tool(name: str) -> KafkaTool:
    """`kafka-topics.sh`, `kafka-topics` or `topics` all name the same tool."""
    base = name.removesuffix(".sh")
    tool = TOOLS.get(base) or TOOLS.get(f"kafka-{base}")
    if tool is None:
        raise UnknownToolError(name, sorted(TOOLS))
    return tool
