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

# Three pytest sessions side by side. The stack tests mostly wait (on brokers restarting, commit intervals,
# notebooks training), so they are split in two sessions whose waits overlap: the notebook runs with the
# security, fault-matrix, peers and Kafka-tools tests beside the other integration tests.
# Each session starts the plaintext stack it needs on free ports.
# Balanced by the durations CI printed (2026-12-07: 935 s against 690 s before the last two moved over).
side=(tests/notebooks tests/integration/test_security.py tests/integration/test_fault_matrix.py
      tests/integration/test_peers_benchmark.py tests/integration/test_kafka_cli.py)
ignore=()
for path in "${side[@]:1}"; do ignore+=("--ignore=$path"); done
unit_log=$(mktemp -t fraudlab-unit-tests.XXXXXX)
side_log=$(mktemp -t fraudlab-notebook-tests.XXXXXX)
started=$(date +%s)
"$venv/bin/pytest" tests/unit -p no:cacheprovider -o console_output_style=classic --durations=10 >"$unit_log" 2>&1 &
unit_pid=$!
"$venv/bin/pytest" "${side[@]}" -p no:cacheprovider --durations=15 >"$side_log" 2>&1 &
side_pid=$!
"$venv/bin/pytest" tests/integration "${ignore[@]}" --durations=20  # the slowest: where CI time goes
stack_rc=$?
stack_s=$(( $(date +%s) - started ))
wait "$side_pid"
side_rc=$?
wait "$unit_pid"
unit_rc=$?
echo
echo "== notebook, security, fault-matrix, peers and Kafka-tools tests (ran beside the others; output kept until now)"
cat "$side_log"
echo
echo "== unit tests (ran beside the others; output kept until now)"
cat "$unit_log"
rm -f "$unit_log" "$side_log"
# each session's own time is on its summary line
echo "== tiers: unit exit $unit_rc, integration exit $stack_rc (${stack_s} s)," \
     "notebooks and the rest exit $side_rc, all $(( $(date +%s) - started )) s"
[ "$unit_rc" -eq 0 ] && [ "$stack_rc" -eq 0 ] && [ "$side_rc" -eq 0 ]
