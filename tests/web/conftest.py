"""Fixtures for the web workbench tests: a real store + index, the app, a live server, Chromium.

The data is the demo pipeline's (crawled from the bundled site, analysed and
indexed by the real stages, built once per session by ``demo_run``), copied
and extended with one hostile article: its title, text and source name carry
``<script>`` and ``onerror=`` payloads, ingested from a saved HTML page and
processed and indexed by the real pipeline stages.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from coopwatch.settings import Settings, load_settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
XSS_TITLE = 'Telemedicine <script>window.__xss=1</script> hospital cooperation <img src=x onerror="window.__xss=2">'
XSS_SOURCE = 'evil"><script>window.__xss=3</script>'
XSS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="https://evil.example.org/news/xss-telemedicine">
<meta name="date" content="2023-10-05">
</head><body><article>
<h1>{title}</h1>
<p>The World Health Organization and the Ministry of Health of Viet Nam signed an agreement on
telemedicine cooperation between hospitals on 5 October 2023 in Hanoi. &lt;script&gt;window.__xss=4&lt;/script&gt;
The hospital alliance will train doctors in remote consultation. &lt;img src=x onerror=window.__xss=5&gt;</p>
<p>Under the agreement, provincial hospitals in Viet Nam will connect to national hospitals through an
internet hospital platform, and WHO experts will support training of health workers in telemedicine.
Doctors from both sides will exchange experience at a conference on digital health cooperation.</p>
<p>"Telemedicine cooperation brings specialists closer to patients," the Ministry of Health said,
adding that the international medical cooperation will continue with new hospital partnerships.</p>
</article></body></html>
"""


@dataclass
class WebData:
    data_dir: Path
    settings: Settings
    xss_id: str


def _html_escape(s: str) -> str:
    import html

    return html.escape(s, quote=True)


@pytest.fixture(scope="session")
def web_data(demo_run: tuple[Path, dict], tmp_path_factory: pytest.TempPathFactory) -> WebData:
    """A copy of the demo data plus the hostile article, through the real ingest/process/index stages."""
    from coopwatch import pipeline
    from coopwatch.store import Store
    from indexer.registry import open_backend

    demo_dir, _ = demo_run
    data = tmp_path_factory.mktemp("web") / "data"
    shutil.copytree(demo_dir, data)
    settings = load_settings(data_dir=data, env={})
    page = tmp_path_factory.mktemp("xss") / "xss.html"
    page.write_text(XSS_PAGE.format(title=_html_escape(XSS_TITLE)), encoding="utf-8")
    store = Store.open(settings)
    counts = pipeline.ingest(store, settings, [str(page)], source=XSS_SOURCE, lang="en")
    assert counts["new"] == 1, counts
    xss_id = counts["ids"][0]
    assert pipeline.process(store, settings)["processed"] == 1
    backend = open_backend(settings)
    indexed = pipeline.index(store, settings, backend)
    assert indexed["indexed"] == 1, indexed
    art = store.get_article(xss_id)
    assert art is not None and "<script>" in art.title and "onerror=" in art.text  # the payload survived extraction
    backend.close()
    store.close()
    return WebData(data_dir=data, settings=settings, xss_id=xss_id)


@pytest.fixture(scope="session")
def web_app(web_data: WebData) -> Iterator[object]:
    from coopwatch.web.app import create_app

    app = create_app(web_data.settings)
    yield app
    app.state.workbench.close()


@pytest.fixture(scope="session")
def client(web_app: object) -> Iterator[object]:
    from fastapi.testclient import TestClient

    with TestClient(web_app) as c:  # type: ignore[arg-type]
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(data_dir: Path) -> Iterator[str]:
    """``coopwatch serve`` (real CLI, real uvicorn) over ``data_dir`` on a free loopback port."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPWATCH_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "coopwatch", "--data-dir", str(data_dir), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/api/openapi.json", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            pytest.fail(f"coopwatch serve did not start: {out[-2000:]}")
        time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def live_server(web_data: WebData) -> Iterator[str]:
    """The workbench over the demo data plus the hostile article."""
    yield from _serve(web_data.data_dir)


@pytest.fixture(scope="session")
def demo_server(demo_run: tuple[Path, dict]) -> Iterator[str]:
    """The workbench over the untouched demo data (for the README screenshots)."""
    yield from _serve(demo_run[0])


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test-setup.sh (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")  # type: ignore[attr-defined]
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    ctx.close()
