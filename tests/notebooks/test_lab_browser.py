"""The magics and tqdm as a data scientist sees them: JupyterLab (the `lab` extra) in headless Debian
chromium driven by Playwright. A notebook runs in the browser against an in-process ksqlserver; the test
checks the DOM (a rendered tqdm progress widget at 100 %, the `%%ksql` DataFrame with its rows, the
`latest` notice) and keeps screenshots of both outputs.

Needs `chromium` (Debian) and the `lab` extra plus Playwright; `scripts/setup.sh` installs them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
import requests
from nbformat.v4 import new_code_cell, new_notebook

from fraudlab.stack.ports import free_ports
from ksqlserver.config import ServerConfig
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("FRAUDLAB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("FRAUDLAB_SCREENSHOT_DIR", REPO / "reports" / "screenshots"))


@pytest.fixture(scope="module")
def ksql_url() -> Iterator[str]:
    driver = MemoryDriver()
    driver.create_topic("cards", partitions=1)
    rows = [{"ID": 1, "NAME": "alice", "AMOUNT": 12.5}, {"ID": 2, "NAME": "bob", "AMOUNT": 7.25},
            {"ID": 3, "NAME": "carol", "AMOUNT": 99.0}]
    driver.produce("cards", [Record(None, json.dumps(r).encode(), 1_000 + i) for i, r in enumerate(rows)])
    with BackgroundServer(Engine(EngineConfig(service_id="lab_"), driver), ServerConfig(port=0)) as server:
        yield server.url


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A JupyterLab server on a free port, over a fresh folder; yields (base URL with token, folder)."""
    if not (BIN / "jupyter-lab").is_file():
        pytest.fail("JupyterLab is not installed in this venv: run scripts/setup.sh (it installs the lab extra)")
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no chromium at {CHROMIUM}: run scripts/setup.sh (it installs Debian's chromium)")
    root = tmp_path_factory.mktemp("lab")
    port, token = free_ports(1)[0], uuid.uuid4().hex
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".jupyter-config"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / ".workspaces"),
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    log = (root / "lab.log").open("wb")
    proc = subprocess.Popen(
        [str(BIN / "jupyter-lab"), "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter-lab exited: {(root / 'lab.log').read_text()[-2000:]}")
            try:
                if requests.get(f"{base}/api/status?token={token}", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter-lab did not answer in 120 s: {(root / 'lab.log').read_text()[-2000:]}")
            time.sleep(0.5)
        yield f"{base}/lab/tree/{{name}}?token={token}", root
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_tqdm_bar_and_ksql_dataframe_render_in_jupyterlab(lab: tuple[str, Path], ksql_url: str) -> None:
    from playwright.sync_api import sync_playwright

    url, root = lab
    cells = [
        "%load_ext fraudlab.magics\n%ksql_connect " + ksql_url,
        "%%ksql\nCREATE STREAM cards (ID INT, NAME STRING, AMOUNT DOUBLE) WITH (kafka_topic='cards', value_format='JSON');",
        "%ksql --timeout 1 SELECT * FROM cards EMIT CHANGES;",
        "%ksql_config auto.offset.reset=earliest",
        "%%ksql -o df --limit 3\nSELECT ID, UCASE(NAME) AS NAME, AMOUNT FROM cards EMIT CHANGES;",
        "from tqdm.auto import tqdm\nfor _ in tqdm(range(300), desc='scoring'):\n    pass",
    ]
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells],
                                metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                         "language": "python"}}), root / "magics.ipynb")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url.format(name="magics.ipynb"))
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            select = page.locator(".jp-Dialog button", has_text="Select")  # JupyterLab may ask for the kernel
            try:
                select.first.wait_for(timeout=10_000)
                select.first.click()
            except Exception:
                pass
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

            table = page.locator(".jp-OutputArea-output table.dataframe", has_text="CAROL")
            try:
                table.wait_for(timeout=120_000)
            except Exception:
                page.screenshot(path=str(SCREENSHOTS / "failure.png"), full_page=True)
                raise AssertionError(f"no DataFrame; the notebook shows: {page.locator('.jp-Notebook').inner_text()[-3000:]}")
            bar = page.locator(".jp-OutputArea-output .widget-hprogress, .jp-OutputArea-output .widget-progress")
            bar.first.wait_for(timeout=120_000)
            page.locator(".jp-OutputArea-output", has_text="scoring: 100%").first.wait_for(timeout=60_000)

            headers = table.locator("thead th").all_inner_texts()
            assert [h for h in headers if h] == ["ID", "NAME", "AMOUNT"]
            body = [r.split("\t") for r in table.locator("tbody tr").all_inner_texts()]
            assert [r[2] for r in body] == ["ALICE", "BOB", "CAROL"]
            notice = page.locator(".fraudlab-ksql-notice", has_text="latest offset").first
            assert "%ksql_config auto.offset.reset=earliest" in notice.inner_text()
            page_text = page.locator(".jp-Notebook").inner_text()
            assert "IProgress not found" not in page_text

            tqdm_output = page.locator(".jp-OutputArea-output:has(.widget-hprogress)").first
            shots = {"tqdm-bar.png": tqdm_output, "ksql-dataframe.png": table}
            for name, element in shots.items():
                element.scroll_into_view_if_needed()
                element.screenshot(path=str(SCREENSHOTS / name))
                assert (SCREENSHOTS / name).stat().st_size > 1_000, name
        finally:
            browser.close()
