#!/usr/bin/env bash
# Create the virtualenv and install fraudlab with its ML and dev extras. Idempotent: pip skips what is
# already installed; `make` only calls this when pyproject.toml changed.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
cd "$(dirname "$0")/.."

if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: $python not found; fraudlab needs Python 3.11 or newer" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "error: $("$python" --version 2>&1) is too old; fraudlab needs Python 3.11 or newer" >&2
  exit 1
fi
for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || echo "warning: '$tool' not found: the Kafka stack needs Java 17+ and Maven" >&2
done

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip wheel setuptools
# `xgboost` and `xgboost-cpu` install the same module; a venv made before the switch keeps only the CPU build
if "$venv/bin/python" -m pip show xgboost >/dev/null 2>&1; then
  "$venv/bin/python" -m pip uninstall --quiet -y xgboost xgboost-cpu nvidia-nccl-cu12 2>/dev/null || true
fi
# The lab extra too: the page tests open the notebooks in JupyterLab. A cut connection to PyPI resumes
# (--resume-retries) and the whole install is tried three times before set-up gives up.
pip_install() { "$venv/bin/python" -m pip install --quiet --retries 10 --resume-retries 10 "$@"; }
for attempt in 1 2 3; do
  if pip_install -e '.[ml,dev,lab]'; then break; fi
  if [ "$attempt" = 3 ]; then echo "error: pip install failed three times (see above)" >&2; exit 1; fi
  echo "setup: pip install failed (attempt $attempt of 3), retrying in 15 s ..." >&2
  sleep 15
done

# The page tests drive Debian's chromium (Playwright's own browser downloads are not used).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing chromium (Debian) for the JupyterLab page tests ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq chromium >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
      || echo "warning: could not install chromium: the JupyterLab page tests will fail" >&2
  else
    echo "warning: 'chromium' not found and cannot be installed here (needs root and apt-get):" \
         "the JupyterLab page tests will fail" >&2
  fi
fi
echo "setup: $venv ready ($("$venv/bin/python" --version))"
