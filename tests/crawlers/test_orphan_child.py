"""A crawl child never outlives its parent: a SIGKILLed `coopwatch crawl` takes its crawl down."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SOURCES = """sources:
  - name: hanging-feed
    lang: en
    kind: rss
    start_urls: ["{base}/feed.xml"]
    allowed_domains: ["127.0.0.1"]
    article_patterns: ['/hang']
    politeness: {{download_delay: 0, concurrency: 2, obey_robots: false}}
"""


class HangingSite(http.server.BaseHTTPRequestHandler):
    """A feed whose only article takes a minute to answer: the crawl is busy for that long."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if self.path == "/feed.xml":
            base = f"http://{self.headers.get('Host')}"
            body = f'<rss version="2.0"><channel><title>t</title><item><title>a</title><link>{base}/hang</link></item></channel></rss>'.encode()
        else:
            time.sleep(60)
            body = b"<html><body><p>late</p></body></html>"
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def hanging_site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HangingSite)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_killed_parent_takes_the_crawl_child_down(tmp_path, hanging_site):
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES.format(base=hanging_site))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "coopwatch.toml").write_text(f'sources_file = "{sources}"\ndownload_timeout = 120\n')
    parent = subprocess.Popen(
        [sys.executable, "-m", "coopwatch", "--data-dir", str(tmp_path / "data"), "crawl", "-s", "hanging-feed"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    child = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child is None:
        kids = _children(parent.pid)
        child = kids[0] if kids else None
        time.sleep(0.2)
    assert child is not None, "the crawl child never started"
    time.sleep(3.0)  # the child is now waiting on /hang
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15  # without the parent-death signal it would wait ~60 s on /hang
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.2)
    alive = _alive(child)
    if alive:
        os.kill(child, signal.SIGKILL)
    assert not alive, "the crawl child outlived its killed parent"
