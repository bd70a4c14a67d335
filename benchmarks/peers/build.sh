#!/usr/bin/env bash
# Build the Kafka Streams peer (and collect the classpath of Kafka's ProducerPerformance /
# ConsumerPerformance) with Maven, against the Kafka version the stack runs (connectors/pom.xml).
# Output, git-ignored: benchmarks/peers/kafka-streams/target/fraudlab-peers-streams.jar and target/lib/*.jar.
# A stamp of the inputs makes a second run a no-op; Maven runs offline (-o) first, online if that fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
project=benchmarks/peers/kafka-streams
target=$project/target
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' connectors/pom.xml | head -1)
if [ -z "$kafka_version" ]; then
  echo "error: no <kafka.version> in connectors/pom.xml" >&2
  exit 1
fi
stamp=$target/.built
digest=$( (echo "$kafka_version"; cat "$project/pom.xml"; find "$project/src" -type f | sort | xargs cat) | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ] && [ -f "$target/fraudlab-peers-streams.jar" ]; then
  exit 0
fi
command -v mvn >/dev/null 2>&1 || { echo "error: Maven ('mvn') is needed to build the Kafka Streams peer" >&2; exit 1; }
rm -rf "$target/lib"
goals=(-B -q -f "$project/pom.xml" "-Dkafka.version=$kafka_version" -DskipTests package
       dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$(pwd)/$target/lib")
log=$(mktemp)
if ! mvn -o "${goals[@]}" >"$log" 2>&1; then
  echo "peers: fetching Kafka Streams $kafka_version from Maven Central ..." >&2
  if ! mvn "${goals[@]}" >"$log" 2>&1; then
    grep -E "ERROR" "$log" | head -20 >&2 || tail -20 "$log" >&2
    rm -f "$log"
    exit 1
  fi
fi
rm -f "$log"
echo "$digest" > "$stamp"
echo "peers: built $target/fraudlab-peers-streams.jar (Kafka $kafka_version)" >&2
