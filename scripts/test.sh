#!/usr/bin/env bash
# The whole test suite: lint, then the tiers side by side: the unit tests (CPU-bound: model training, the
# conformance runners) beside the integration and notebook tests, which mostly wait on the real Kafka,
# Connect and KSQL processes their session fixtures start on free ports (or the broker named by
# FRAUDLAB_BOOTSTRAP_SERVERS). On 2 cores this takes about the time of the longer tier instead of the sum.
# Arguments are passed to pytest; with any, the whole suite runs as one pytest session instead
# (e.g. `make test PYTEST_ARGS="-x -k join"`). FRAUDLAB_TEST_SERIAL=1 runs the tiers one after the other.
set -uo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}
export FRAUDLAB_SHARED_DIR=${FRAUDLAB_SHARED_DIR:-$(cd .. && pwd)/shared}

"$venv/bin/ruff" check src tests benchmarks || exit 1
if [ $# -gt 0 ] || [ "${FRAUDLAB_TEST_SERIAL:-0}" = 1 ]; then
  exec "$venv/bin/pytest" tests "$@"
fi

# Four pytest sessions side by side (the unit tier in two). The stack tests mostly wait (on brokers restarting, commit intervals,
# notebooks training), so they are split in two sessions whose waits overlap: the notebook runs with the
# security, fault-matrix, peers and Kafka-tools tests beside the other integration tests.
# Each session starts the plaintext stack it needs on free ports.
# Balanced by the durations CI printed (2026-12-07: 935 s against 690 s before the last two moved over).
side=(tests/notebooks tests/integration/test_security.py tests/integration/test_fault_matrix.py
      tests/integration/test_peers_benchmark.py tests/integration/test_kafka_cli.py)
ignore=()
for path in "${side[@]:1}"; do ignore+=("--ignore=$path"); done
# The unit tier is CPU-bound and was the longest session (about 14 of 17 minutes on a quiet machine, the last
# 3.5 alone on one core), so it runs as two sessions of about equal time (split by the per-directory times of
# a full run on 2026-12-07: plan, conformance, the REST-app, resource, REST, API and CLI ports against the
# rest, about 590 s against 560 s plus part B's longer collection).
unit_a=(tests/unit/ksqlserver/plan tests/unit/ksqlserver/javarestapp tests/unit/ksqlserver/javaresource
        tests/unit/ksqlserver/javarest tests/unit/ksqlserver/javaapi tests/unit/ksqlserver/conformance
        tests/unit/ksqlserver/javacli)
unit_b_ignore=()
for path in "${unit_a[@]}"; do unit_b_ignore+=("--ignore=$path"); done
unit_a_log=$(mktemp -t fraudlab-unit-a-tests.XXXXXX)
unit_b_log=$(mktemp -t fraudlab-unit-b-tests.XXXXXX)
side_log=$(mktemp -t fraudlab-notebook-tests.XXXXXX)
started=$(date +%s)
"$venv/bin/pytest" "${unit_a[@]}" -p no:cacheprovider -o console_output_style=classic --durations=10 \
  >"$unit_a_log" 2>&1 &
unit_a_pid=$!
"$venv/bin/pytest" tests/unit "${unit_b_ignore[@]}" -p no:cacheprovider -o console_output_style=classic \
  --durations=10 >"$unit_b_log" 2>&1 &
unit_b_pid=$!
"$venv/bin/pytest" "${side[@]}" -p no:cacheprovider --durations=15 >"$side_log" 2>&1 &
side_pid=$!
"$venv/bin/pytest" tests/integration "${ignore[@]}" --durations=20  # the slowest: where CI time goes
stack_rc=$?
stack_s=$(( $(date +%s) - started ))
wait "$side_pid"
side_rc=$?
wait "$unit_a_pid"
unit_a_rc=$?
wait "$unit_b_pid"
unit_b_rc=$?
echo
echo "== notebook, security, fault-matrix, peers and Kafka-tools tests (ran beside the others; output kept until now)"
cat "$side_log"
echo
echo "== unit tests, part A: ${unit_a[*]} (ran beside the others; output kept until now)"
cat "$unit_a_log"
echo
echo "== unit tests, part B: the rest of tests/unit (ran beside the others; output kept until now)"
cat "$unit_b_log"
rm -f "$unit_a_log" "$unit_b_log" "$side_log"
# each session's own time is on its summary line
echo "== tiers: unit exit $unit_a_rc (A) and $unit_b_rc (B), integration exit $stack_rc (${stack_s} s)," \
     "notebooks and the rest exit $side_rc, all $(( $(date +%s) - started )) s"
[ "$unit_a_rc" -eq 0 ] && [ "$unit_b_rc" -eq 0 ] && [ "$stack_rc" -eq 0 ] && [ "$side_rc" -eq 0 ]
