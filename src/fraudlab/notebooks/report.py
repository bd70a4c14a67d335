"""The HTML report of a run: each executed notebook through nbconvert, plus an index page with the
run's status, timings, the failing cell (if any) and the pipeline summary the notebooks recorded."""

from __future__ import annotations

import html
import json
from pathlib import Path

from fraudlab.notebooks.result import RunResult
from fraudlab.pipeline.summary import load_summary, summary_rows
from fraudlab.units import format_duration


def notebook_html(notebook: Path, target: Path) -> Path:
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nbformat.read(notebook, as_version=4))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return target


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_report(run: RunResult) -> Path:
    out = run.config.out_dir
    rows = []
    for nb in run.notebooks:
        page = notebook_html(nb.output_path, out / "html" / nb.output_path.with_suffix(".html").name)
        link = f'<a href="html/{html.escape(page.name)}">{html.escape(nb.name)}</a>'
        status = "ok" if nb.ok else f"<b>failed</b>: {html.escape(nb.error or '')}"
        rows.append((link, format_duration(nb.seconds), status))
    status = "passed" if run.ok else f"FAILED: {html.escape(str(run.error))}"
    artifacts = run.config.parameters.get("artifacts_dir")
    summary = load_summary(Path(artifacts)) if artifacts else {}
    summary_html = (
        _table(("stage", "figure", "value"), [tuple(html.escape(c) for c in r) for r in summary_rows(summary)])
        if summary
        else "<p>No pipeline summary was recorded.</p>"
    )
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>fraudlab pipeline report</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{border:1px solid #ccc;padding:4px 8px}}
table{{border-collapse:collapse;margin-bottom:1.5em}}</style></head><body>
<h1>fraudlab pipeline report</h1><p>Run {status}; {format_duration(run.seconds)} of notebook execution.</p>
<h2>Notebooks</h2>{_table(("notebook", "time", "status"), rows)}
<h2>Summary</h2>{summary_html}
<h2>Parameters</h2><pre>{html.escape(json.dumps(dict(run.config.parameters), indent=2, default=str))}</pre>
</body></html>"""
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
