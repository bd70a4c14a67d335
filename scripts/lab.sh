#!/usr/bin/env bash
# `make lab`: JupyterLab on the pipeline notebooks, with the embedded stack running.
# Usage: scripts/lab.sh [VENV] [extra jupyter lab args...]
# The notebooks' default parameters point at the embedded stack's standard ports, so they run as opened.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.venv}"
shift || true
if [ ! -x "$venv/bin/jupyter-lab" ]; then
    echo "installing JupyterLab (the lab extra) into $venv ..." >&2
    "$venv/bin/python" -m pip install --quiet -e '.[ml,dev,lab]'
fi
"$venv/bin/fraudlab" stack up
echo "stack is up; stop it with: $venv/bin/fraudlab stack down" >&2
# the venv's executables (kafka-topics.sh, ...) for the notebooks' `!` commands
export PATH="$(cd "$venv/bin" && pwd):$PATH"
# Jupyter refuses to run as root without being told (containers, CI machines)
root_flag=()
[ "$(id -u)" = 0 ] && root_flag=(--allow-root)
# the kernel is the venv's own python3 (ipykernel), so no global Jupyter or kernelspec is needed
exec "$venv/bin/jupyter-lab" --notebook-dir=notebooks "${root_flag[@]}" "$@"
