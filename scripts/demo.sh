#!/usr/bin/env bash
# The demo on the embedded stack: start it (or reuse it), ingest the sample transactions through Kafka
# Connect, and show the topic. DATA=path ingests your own Kaggle-format CSV through the CSV connector.
set -euo pipefail
cd "$(dirname "$0")/.."
fl=${VENV:-.venv}/bin/fraudlab
data=${1:-}
shared=${FRAUDLAB_SHARED_DIR:-$(cd .. && pwd)/shared}

"$fl" stack up
if [ -n "$data" ]; then
  "$fl" ingest "$data" --topic creditcard_transactions --connector csv
  "$fl" topics show creditcard_transactions -n 3
else
  sample="$shared/data/seed/creditcard_extended.csv"
  if [ ! -f "$sample" ]; then
    echo "error: $sample not found; pass DATA=/path/to/creditcard.csv" >&2
    exit 1
  fi
  echo "No DATA= given: ingesting the sample $sample (10 rows, the original demo's file)."
  "$fl" ingest "$sample" --topic creditcardfraud_source --connector file
  "$fl" topics show creditcardfraud_source -n 10
fi
"$fl" stack status
