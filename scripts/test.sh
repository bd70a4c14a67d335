#!/usr/bin/env bash
# The whole test suite: lint, then two tiers side by side: the unit tests (CPU-bound: model training, the
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

unit_log=$(mktemp -t fraudlab-unit-tests.XXXXXX)
started=$(date +%s)
"$venv/bin/pytest" tests/unit -p no:cacheprovider -o console_output_style=classic --durations=10 >"$unit_log" 2>&1 &
unit_pid=$!
"$venv/bin/pytest" tests/integration tests/notebooks --durations=25  # the slowest: where CI time goes
stack_rc=$?
wait "$unit_pid"
unit_rc=$?
echo
echo "== unit tests (ran beside the integration and notebook tests; output kept until now)"
cat "$unit_log"
rm -f "$unit_log"
echo "== tiers: unit exit $unit_rc, integration + notebooks exit $stack_rc, $(( $(date +%s) - started )) s"
[ "$unit_rc" -eq 0 ] && [ "$stack_rc" -eq 0 ]
