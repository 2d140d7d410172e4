"""Replica sites served on 127.0.0.1 by the crawler tests (see ``conftest.py``).

``generated_article``/``generated_html`` build the generated news site used to
kill a crawl mid-way; ``ReplicaHandler`` serves files or the generated site and
logs every request.
"""

from __future__ import annotations

import http.server
import random
import time
from pathlib import Path
from typing import Any

SYLLABLES = [
    "ba",
    "ke",
    "lo",
    "mar",
    "ti",
    "su",
    "ven",
    "dra",
    "no",
    "pel",
    "qui",
    "ra",
    "zo",
    "hu",
    "an",
    "me",
    "sol",
    "tor",
    "vi",
    "ga",
]


def generated_article(i: int) -> tuple[str, str]:
    """Title and body text of generated article ``i``: distinct words, so no two are near-duplicates."""
    rng = random.Random(i)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))

    title = f"Hospital {word().title()} and {word().title()} sign health cooperation agreement {i}"
    sentences = [" ".join(word() for _ in range(rng.randint(12, 18))).capitalize() + "." for _ in range(8)]
    return title, "\n".join(sentences)


def generated_html(i: int) -> bytes:
    title, text = generated_article(i)
    paras = "".join(f"<p>{s}</p>\n" for s in text.split("\n"))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="2024-01-{1 + i % 28:02d}T08:00:00+00:00"></head>'
        f"<body><nav><a href='/'>Home</a></nav><main><article><h1>{title}</h1>\n{paras}</article></main>"
        f"<footer>© 2001-2026 Generated News</footer></body></html>"
    ).encode()


class ReplicaHandler(http.server.SimpleHTTPRequestHandler):
    server: Any

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        with self.server.lock:
            self.server.requests.append((path, self.headers.get("User-Agent", "")))
        base = f"http://{self.headers.get('Host')}"
        try:
            if self.server.generated:
                self._generated(path, base)
            elif path.endswith(".xml") and (Path(self.directory) / path.lstrip("/")).is_file():
                body = (Path(self.directory) / path.lstrip("/")).read_text().replace("__BASE__", base)
                self._send(200, body.encode(), "application/xml")
            else:
                super().do_GET()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (e.g. a crawl killed mid-request)

    def _generated(self, path: str, base: str) -> None:
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        elif path == "/feed.xml":
            items = "".join(
                f"<item><title>{i}</title><link>{base}/a/{i}.html</link></item>" for i in self.server.feed_ids
            )
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>gen</title>{items}</channel></rss>'
            self._send(200, body.encode(), "application/rss+xml")
        elif path.startswith("/a/") and path.endswith(".html"):
            time.sleep(self.server.delay)
            self._send(200, generated_html(int(path[3:-5])))
        else:
            self._send(404, b"<html><body>not found</body></html>")
