"""Apache Kafka's own command-line tools (kafka-topics.sh and friends) from the stack's jars.

Installed into the venv under the scripts' names (`kafka-topics.sh` and `kafka-topics`), and run by
`fraudlab kafka <tool>`. Each tool's JVM starts from a class-data archive written by its first run.
"""

from fraudlab.kafka_tools.config import ToolsConfig
from fraudlab.kafka_tools.errors import JarsMissingError, JavaMissingError, KafkaToolError, UnknownToolError
from fraudlab.kafka_tools.tools import TOOLS, KafkaTool, find_tool

__all__ = [
    "TOOLS",
    "JarsMissingError",
    "JavaMissingError",
    "KafkaTool",
    "KafkaToolError",
    "ToolsConfig",
    "UnknownToolError",
    "find_tool",
]
