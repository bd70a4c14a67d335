"""What the magics show: notices, a push query's live table, titled result tables. Each object has an
HTML form (JupyterLab) and a text form (a terminal, papermill's text outputs)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from fraudlab.units import format_duration

LIVE_ROWS = 20  # rows a live display shows (the newest); the DataFrame keeps them all

_NOTICE_STYLE = (
    "border-left:4px solid #d9a400;background:#fff8e1;color:#3d3000;padding:6px 10px;margin:4px 0;"
    "font-family:var(--jp-ui-font-family, sans-serif);font-size:13px"
)


@dataclass(frozen=True)
class Notice:
    """A visible remark that is not an error (where a query starts reading, a server warning)."""

    text: str
    kind: str = "notice"

    def _repr_html_(self) -> str:
        return (
            f'<div class="fraudlab-ksql-notice fraudlab-ksql-{html.escape(self.kind)}" style="{_NOTICE_STYLE}">'
            f"<b>KSQL {html.escape(self.kind)}:</b> {html.escape(self.text)}</div>"
        )

    def __repr__(self) -> str:
        return f"KSQL {self.kind}: {self.text}"


@dataclass(frozen=True)
class Titled:
    """A result table with a line saying what it is (DESCRIBE's source, a statement's entity)."""

    title: str
    frame: pd.DataFrame

    def _repr_html_(self) -> str:
        table = self.frame.to_html(max_rows=200, classes="dataframe fraudlab-ksql-result", border=0)
        return f'<div class="fraudlab-ksql-title"><code>{html.escape(self.title)}</code></div>{table}'

    def __repr__(self) -> str:
        return f"{self.title}\n{self.frame.to_string(max_rows=200)}"


def status_line(rows: int, seconds: float, limit: int | None, timeout_s: float, ended: str | None) -> str:
    bound = f"limit {limit:,}" if limit is not None else "no limit"
    text = f"{rows:,} row{'s' if rows != 1 else ''} in {format_duration(seconds)} ({bound}, timeout {format_duration(timeout_s)})"
    if ended == "limit":
        text += ": ended at the row limit"
    elif ended == "timeout":
        text += ": ended at the timeout"
    elif ended == "complete":
        text += ": complete"
    else:
        text += ": running..."
    return text


@dataclass(frozen=True)
class LiveQuery:
    """A push query while it runs: a status line and its newest rows."""

    statement: str
    status: str
    frame: pd.DataFrame
    running: bool = True

    def _repr_html_(self) -> str:
        shown = self.frame.tail(LIVE_ROWS) if self.running else self.frame.iloc[0:0]
        table = shown.to_html(classes="dataframe fraudlab-ksql-live-rows", border=0) if len(shown) else ""
        state = "running" if self.running else "done"
        return (
            f'<div class="fraudlab-ksql-live" data-state="{state}">'
            f'<div class="fraudlab-ksql-status"><code>{html.escape(self.status)}</code></div>{table}</div>'
        )

    def __repr__(self) -> str:
        if not self.running:
            return self.status
        return f"{self.status}\n{self.frame.tail(LIVE_ROWS).to_string()}" if len(self.frame) else self.status
