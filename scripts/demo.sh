#!/usr/bin/env bash
# `make demo`: the whole pipeline on the embedded stack. Starts (or reuses) the stack, shows Kafka Connect
# ingesting the original demo's sample, then runs the five notebooks with papermill (ingest, KSQL
# preprocessing, training, deployment, monitoring) and prints the report's summary table.
# DATA=path runs the pipeline on your Kaggle creditcard.csv(.gz); without it, on synthetic data.
# SECURITY=sasl_ssl (or sasl_plaintext) runs it on a secured stack: SCRAM users, TLS, the KSQL server on
# HTTPS with basic auth; its state lives in .state/stack-$SECURITY (a stack's profile is fixed when its
# broker storage is formatted), so stop a plaintext stack on the same ports first.
set -euo pipefail
cd "$(dirname "$0")/.."
fl=${VENV:-.venv}/bin/fraudlab
data=${1:-}
security=${SECURITY:-none}
shared=${FRAUDLAB_SHARED_DIR:-$(cd .. && pwd)/shared}
state=()
if [ "$security" != "none" ]; then
  state=(--state-dir ".state/stack-$security")
fi

"$fl" stack up --security "$security" "${state[@]}"
sample="$shared/data/seed/creditcard_extended.csv"
if [ -f "$sample" ]; then
  echo "== Kafka Connect: the original demo's sample ($sample) into creditcardfraud_source"
  "$fl" ingest "$sample" --topic creditcardfraud_source --connector file "${state[@]}"
  "$fl" topics show creditcardfraud_source -n 3 "${state[@]}"
fi

if [ -n "$data" ]; then
  echo "== The pipeline on the real data: $data"
  "$fl" notebooks run --params notebooks/params/demo.yaml --data "$data" -p sample_size=0 "${state[@]}"
else
  echo "== No DATA= given: the pipeline runs on SYNTHETIC data (same schema as the Kaggle file)."
  echo "   Point DATA= at the Kaggle creditcard.csv(.gz) to run it on real transactions."
  "$fl" notebooks run --params notebooks/params/demo.yaml "${state[@]}"
fi
"$fl" stack status "${state[@]}"
