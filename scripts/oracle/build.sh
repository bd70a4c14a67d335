#!/usr/bin/env bash
# Builds the ksqlDB 0.29.0 oracle (real ksqlDB compiled from source) into TARGET (default: .cache/oracle of this
# checkout, git-ignored).
#
#   scripts/oracle/build.sh [TARGET]
#
# Needs the three source mirrors brought by the search tool's `fetch` (see README.md; the defaults are
# where `fetch` puts them):
#   KSQL_GIT   (default /work/.mirror/confluentinc+ksql/repo)             tag v0.29.0
#   COMMON_GIT (default /work/.mirror/confluentinc+common/repo)           tag v7.5.0-cc-docker-ksql.148-390
#   SR_GIT     (default /work/.mirror/confluentinc+schema-registry/repo)  tag v7.5.0-cc-docker-ksql.148-379
# and Maven Central (third-party jars, Apache Kafka 3.5.1). Nothing of ksqlDB's source is kept in this repo.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARGET="${1:-$(cd "$HERE/../.." && pwd)/.cache/oracle}"
KSQL_GIT="${KSQL_GIT:-/work/.mirror/confluentinc+ksql/repo}"
COMMON_GIT="${COMMON_GIT:-/work/.mirror/confluentinc+common/repo}"
SR_GIT="${SR_GIT:-/work/.mirror/confluentinc+schema-registry/repo}"
# exact commits of the tags (checked below, so a moved tag is noticed)
KSQL_REF=v0.29.0;   KSQL_COMMIT=518dbfe11a34b15e48eb5f120aabbaceac1cf3ba
COMMON_REF=v7.5.0-cc-docker-ksql.148-390;  COMMON_COMMIT=0be4d63b5ed89eb07860f673f6d98fefbf55bcb9
SR_REF=v7.5.0-cc-docker-ksql.148-379;      SR_COMMIT=dca24f24e5a14391cd972122186b702a74efe0c0
MVN="nice mvn -B -q -Dstyle.color=never"

say() { printf '[oracle build %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

extract() {  # git-dir ref commit dest [paths...]
  local git="$1" ref="$2" commit="$3" dest="$4"; shift 4
  local got
  got="$(git --git-dir="$git" rev-parse "$ref^{commit}")"
  if [ "$got" != "$commit" ]; then
    echo "build.sh: $git $ref is $got, expected $commit" >&2; exit 1
  fi
  rm -rf "$dest"; mkdir -p "$dest"
  git --git-dir="$git" archive "$commit" "$@" | tar -x -C "$dest"
}

mkdir -p "$TARGET"
say "extracting sources into $TARGET/src"
extract "$KSQL_GIT" "$KSQL_REF" "$KSQL_COMMIT" "$TARGET/src/ksql"
extract "$COMMON_GIT" "$COMMON_REF" "$COMMON_COMMIT" "$TARGET/src/common"
extract "$SR_GIT" "$SR_REF" "$SR_COMMIT" "$TARGET/src/sr"
# ksqldb-engine's test UDFs (classes annotated @UdfDescription/@UdafDescription/@UdtfDescription directly
# under function/udf and function/udaf of its tests): ksqlDB's functional tests have them on the class path
mapfile -t TEST_UDFS < <(cd "$TARGET/src/ksql" && grep -l -E '^@(Udf|Udaf|Udtf)Description' \
  ksqldb-engine/src/test/java/io/confluent/ksql/function/udf/*.java \
  ksqldb-engine/src/test/java/io/confluent/ksql/function/udaf/*.java)
extract "$KSQL_GIT" "$KSQL_REF" "$KSQL_COMMIT" "$TARGET/src/ksql-test-udfs" "${TEST_UDFS[@]}"
say "${#TEST_UDFS[@]} test UDF classes"

say "harness pom (generated from the source poms; compare with the committed one)"
rm -rf "$TARGET/harness"; mkdir -p "$TARGET/harness"
cp -r "$HERE/harness/src" "$TARGET/harness/"
python3 "$HERE/gen_pom.py" "$TARGET/src" > "$TARGET/harness/pom.xml"
if ! diff -q "$HERE/harness/pom.xml" "$TARGET/harness/pom.xml" >/dev/null; then
  echo "build.sh: warning: the generated pom differs from scripts/oracle/harness/pom.xml" >&2
fi

say "compiling (one Maven module; ~3 min of javac on a busy 2-core machine)"
(cd "$TARGET/harness" && $MVN -Doracle.src="$TARGET/src" -DskipTests compile)
say "compiling ksqldb-engine's test UDFs apart (only the QTT oracle has them on its class path)"
rm -rf "$TARGET/test-udfs"; mkdir -p "$TARGET/test-udfs"
(cd "$TARGET/harness" && $MVN -Doracle.src="$TARGET/src" dependency:build-classpath -Dmdep.outputFile=cp.txt)
nice javac -nowarn -source 8 -target 8 -parameters -d "$TARGET/test-udfs" \
  -cp "$TARGET/harness/target/classes:$(cat "$TARGET/harness/cp.txt")" \
  $(find "$TARGET/src/ksql-test-udfs" -name '*.java') 2>&1 | grep -v '^warning\|^Note' || true
say "copying the runtime jars to $TARGET/lib"
rm -rf "$TARGET/lib"
(cd "$TARGET/harness" && $MVN -Doracle.src="$TARGET/src" dependency:copy-dependencies \
  -DoutputDirectory="$TARGET/lib" -DincludeScope=runtime)

say "tools"
rm -rf "$TARGET/tools" "$TARGET/conf"; mkdir -p "$TARGET/tools" "$TARGET/conf" "$TARGET/bin"
cp "$HERE"/tools/*.py "$TARGET/tools/"
cp "$HERE"/conf/* "$TARGET/conf/"
cp "$HERE/NOTES.md" "$TARGET/NOTES.md"
CHECKOUT="$(cd "$HERE/../.." && pwd)"
echo "$CHECKOUT" > "$TARGET/conf/checkout"  # tools/checkout.py: the defaults for "ours"
PY_OURS="\${ORACLE_PYTHON:-$CHECKOUT/.venv/bin/python}"
for t in qtt-oracle fill-outputs diff-ours oracle-rest-stack diff-rest; do
  mod="${t//-/_}"
  [ -f "$TARGET/tools/$mod.py" ] || continue
  printf '#!/bin/sh\nexec %s "$(dirname "$0")/../tools/%s.py" "$@"\n' "$PY_OURS" "$mod" > "$TARGET/bin/$t"
  chmod +x "$TARGET/bin/$t"
done
say "done: $TARGET/bin/qtt-oracle FILE|DIR..."
