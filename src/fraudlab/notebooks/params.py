"""The parameters file: YAML mapping of notebook parameters, with `{root}` and `{shared}` placeholders.

Placeholders keep machine paths out of committed files: `{root}` is the checkout, `{shared}` the shared
data folder (both decided at the edge, e.g. from FRAUDLAB_SHARED_DIR). Relative values of path
parameters (names ending in `_path` or `_dir`) are taken relative to `{root}`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from fraudlab.notebooks.errors import ParametersError

PATH_SUFFIXES = ("_path", "_dir")


def load_parameters(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParametersError(path, f"cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise ParametersError(path, f"is not valid YAML ({exc})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ParametersError(path, "must be a mapping of parameter names to values")
    return data


def resolve_parameters(params: dict[str, Any], root: Path, shared: Path) -> dict[str, Any]:
    """Expand placeholders; make relative path parameters absolute under `root`. Empty stays empty."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, str):
            value = value.replace("{root}", str(root)).replace("{shared}", str(shared))
            if name.endswith(PATH_SUFFIXES) and value and not Path(value).is_absolute():
                value = str((root / value).resolve())
        out[name] = value
    return out
