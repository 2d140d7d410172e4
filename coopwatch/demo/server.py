"""Serve the static demo site (or any directory) on loopback.

``serve_site(root)`` is a context manager that runs a
:class:`http.server.ThreadingHTTPServer` in a daemon thread and yields the base
URL, e.g. ``http://127.0.0.1:43121``.  Request logging is silenced.

Content types follow the site's needs:

* ``*.xml`` is served as ``application/xml``;
* pages under ``/zh-gbk/`` are served as ``text/html; charset=GBK`` (the files
  are GBK-encoded); other ``*.html`` as ``text/html; charset=utf-8``.

Feeds, sitemaps and ``robots.txt`` need absolute URLs but the port is only
known at run time, so in ``*.xml`` and ``*.txt`` files the literal placeholder
``__BASE_URL__`` is replaced by the base URL the client used (from its ``Host``
header), e.g. ``<loc>__BASE_URL__/vi/tin-tuc/a.html</loc>``.

Run ``python -m coopwatch.demo.server [--port N]`` to serve until Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

SITE_DIR: Path = Path(__file__).resolve().parent / "site"

BASE_PLACEHOLDER = "__BASE_URL__"
_TEMPLATED_SUFFIXES = (".xml", ".txt")


class DemoRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the demo's content types and base-URL templating."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".html": "text/html; charset=utf-8",
        ".htm": "text/html; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
        ".css": "text/css; charset=utf-8",
    }

    def log_message(self, format: str, *args) -> None:
        pass

    def _relative(self, fs_path: str) -> str:
        try:
            rel = Path(fs_path).resolve().relative_to(Path(self.directory).resolve())
        except ValueError:
            return ""
        return "/" + rel.as_posix()

    def guess_type(self, path) -> str:
        rel = self._relative(str(path))
        if rel.startswith("/zh-gbk/") and rel.endswith((".html", ".htm")):
            return "text/html; charset=GBK"
        if rel.endswith(".xml"):
            return "application/xml"
        return super().guess_type(path)

    def _base_url(self) -> str:
        host = (self.headers.get("Host") or "").strip()
        if not host or not all(c.isalnum() or c in ".-:[]" for c in host) or not host.isascii():
            addr, port = self.server.server_address[:2]
            host = f"{addr}:{port}"
        return f"http://{host}"

    def send_head(self):
        fs_path = self.translate_path(self.path)
        if fs_path.endswith(_TEMPLATED_SUFFIXES) and Path(fs_path).is_file():
            try:
                raw = Path(fs_path).read_bytes()
            except OSError:
                self.send_error(404, "File not found")
                return None
            body = raw.replace(BASE_PLACEHOLDER.encode("ascii"), self._base_url().encode("ascii"))
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(fs_path))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


@contextlib.contextmanager
def serve_site(root: Path = SITE_DIR, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``root`` on ``host:port`` (0 = any free port) and yield the base URL."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"site directory not found: {root}")
    handler = functools.partial(DemoRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="coopwatch-demo-site", daemon=True)
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    try:
        yield f"http://{bound_host}:{bound_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coopwatch.demo.server", description="Serve the coopwatch demo site."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port (default 8000)")
    parser.add_argument("--root", type=Path, default=SITE_DIR, help="directory to serve (default: the demo site)")
    args = parser.parse_args(argv)
    with serve_site(args.root, args.host, args.port) as base:
        print(f"Serving {args.root} at {base}/  (Ctrl-C to stop)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("\nStopped.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
