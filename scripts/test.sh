#!/usr/bin/env bash
# The whole test suite: lint, unit tests, then integration tests against a real Kafka + Connect stack
# that the session fixture starts on free ports (or the one named by FRAUDLAB_BOOTSTRAP_SERVERS).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}
export FRAUDLAB_SHARED_DIR=${FRAUDLAB_SHARED_DIR:-$(cd .. && pwd)/shared}

"$venv/bin/ruff" check src tests benchmarks
"$venv/bin/pytest" tests "$@"
