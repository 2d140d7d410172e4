"""Shared test fixtures: settings in a temporary data directory and a real local HTTP server.

The fixture server serves ``tests/fixtures/site`` plus the misbehaving
endpoints a crawler meets in the wild: HTTP 500, a redirect loop, a page that
never answers in time and a 10 MB page.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coopwatch.settings import Settings, load_settings
from cli_helpers import run_cli

FIXTURES = Path(__file__).parent / "fixtures"
SITE = FIXTURES / "site"


class FixtureHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kw):
        super().__init__(*args, directory=str(SITE), **kw)

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", headers=()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on /slow, as it should

    def _route(self) -> None:
        path = self.path.split("?")[0]
        base = f"http://{self.headers.get('Host')}"
        if path.startswith("/status/"):
            self._send(int(path.rsplit("/", 1)[1]), b"<html><body>error</body></html>")
        elif path == "/redirect-loop":  # an endless chain of fresh URLs, as misconfigured CMSs produce
            n = int(self.path.partition("n=")[2] or 0)
            self._send(302, headers=[("Location", f"/redirect-loop?n={n + 1}")])
        elif path == "/slow":
            time.sleep(float(self.server.slow_seconds))  # type: ignore[attr-defined]
            self._send(200, b"<html><body><p>too late</p></body></html>")
        elif path == "/big":
            para = "<p>" + "Telemedicine cooperation between hospitals. " * 50 + "</p>\n"
            body = ("<html><body><article>" + para * (10 * 1024 * 1024 // len(para) + 1) + "</article></body></html>").encode()
            self._send(200, body)
        elif path.endswith(".xml"):
            self._send(200, (SITE / path.lstrip("/")).read_text().replace("__BASE__", base).encode(), "application/xml")
        else:
            super().do_GET()


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FixtureHandler)
    server.slow_seconds = 4  # type: ignore[attr-defined]
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path / "data", env={})


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The demo pipeline run once per session through the CLI: (data dir, its --json output)."""
    import json

    data = tmp_path_factory.mktemp("demo") / "data"
    res = run_cli(data, "demo", "--port", "0", "--json")
    assert res.returncode == 0, res.stderr[-3000:]
    return data, json.loads(res.stdout)
