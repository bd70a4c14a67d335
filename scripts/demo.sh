#!/usr/bin/env bash
# `make demo`: the whole pipeline on the embedded stack. Starts (or reuses) the stack, shows Kafka Connect
# ingesting the original demo's sample, then runs the five notebooks with papermill (ingest, KSQL
# preprocessing, training, deployment, monitoring) and prints the report's summary table.
# DATA=path runs the pipeline on your Kaggle creditcard.csv(.gz); without it, on synthetic data.
set -euo pipefail
cd "$(dirname "$0")/.."
fl=${VENV:-.venv}/bin/fraudlab
data=${1:-}
shared=${FRAUDLAB_SHARED_DIR:-$(cd .. && pwd)/shared}

"$fl" stack up
sample="$shared/data/seed/creditcard_extended.csv"
if [ -f "$sample" ]; then
  echo "== Kafka Connect: the original demo's sample ($sample) into creditcardfraud_source"
  "$fl" ingest "$sample" --topic creditcardfraud_source --connector file
  "$fl" topics show creditcardfraud_source -n 3
fi

if [ -n "$data" ]; then
  echo "== The pipeline on the real data: $data"
  "$fl" notebooks run --params notebooks/params/demo.yaml --data "$data" -p sample_size=0
else
  echo "== No DATA= given: the pipeline runs on SYNTHETIC data (same schema as the Kaggle file)."
  echo "   Point DATA= at the Kaggle creditcard.csv(.gz) to run it on real transactions."
  "$fl" notebooks run --params notebooks/params/demo.yaml
fi
"$fl" stack status
