"""A notebook that uses `%%ksql` and Kafka's own CLI (`!kafka-topics.sh ...`), run by papermill through
fraudlab's runner against the embedded stack: the executed notebook holds the tools' output, the latest
notice, the query's DataFrame, a tqdm bar, and the kernel printed no
"running over TCP" warning."""

from __future__ import annotations

import uuid
from pathlib import Path

import nbformat
import pytest

from fraudlab.notebooks import NotebookRunConfig, run_notebooks

FIXTURES = Path(__file__).parent / "fixtures" / "magics"


def _outputs(cell: nbformat.NotebookNode) -> tuple[str, str]:
    """(all text, all HTML) of a cell's outputs."""
    text, html = [], []
    for out in cell.get("outputs", []):
        text.append(out.get("text", ""))
        data = out.get("data", {})
        text.append(data.get("text/plain", ""))
        html.append(data.get("text/html", ""))
        if out.get("output_type") == "error":
            text.append(out.get("evalue", ""))
            text.extend(out.get("traceback", []))
    return "\n".join(text), "\n".join(html)


def test_the_magics_notebook(
    plaintext_pipeline_stack: dict[str, str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # plaintext: the notebook runs Kafka's CLI tools, which take Java client properties (the secured stack's
    # client config is librdkafka's), and connects %%ksql without credentials
    pipeline_stack = plaintext_pipeline_stack
    topic = f"magics_{uuid.uuid4().hex[:8]}"
    config = NotebookRunConfig(
        FIXTURES, tmp_path / "out", parameters={"bootstrap_servers": pipeline_stack["bootstrap_servers"],
                                                 "ksql_url": pipeline_stack["ksql_url"], "topic": topic},
        progress=False, html_report=False, cell_timeout_s=300,
    )
    result = run_notebooks(config)
    assert result.ok, result.error
    nb = nbformat.read(tmp_path / "out" / "01_ksql_magics.ipynb", as_version=4)
    cells = {c.source.splitlines()[0]: c for c in nb.cells if c.cell_type == "code" and c.source}

    def cell(prefix: str) -> tuple[str, str]:
        return _outputs(next(c for first, c in cells.items() if first.startswith(prefix)))

    assert f"Created topic {topic}." in cell("!kafka-topics.sh")[0]
    consumed = cell("!kafka-console-consumer.sh")[0]
    assert "1,alice,12.5" in consumed and "3,carol,99.0" in consumed
    text, html = cell("%ksql -o latest_rows")
    assert "starts at the latest offset" in text and "fraudlab-ksql-notice" in html
    text, html = cell("%%ksql -o df")
    assert "ALICE" in html and 'class="dataframe' in html and "ended at the row limit" in text
    assert "application/vnd.jupyter.widget-view+json" in str(cells["from tqdm.auto import tqdm"].outputs)
    err = capfd.readouterr().err
    assert "running over TCP" not in err and "IPKernelApp" not in err
    assert (tmp_path / "out" / "kernels.log").is_file()  # the kernels' own stderr is kept, not printed
