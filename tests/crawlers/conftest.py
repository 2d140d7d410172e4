"""Local replica sites for the crawler tests, each on its own real HTTP server.

A replica server logs every request (path and User-Agent) so tests can check
what a crawl did and did not fetch. ``replica_site("atom")`` serves
``tests/fixtures/replicas/atom`` (``__BASE__`` in XML replaced by the server's
URL); ``replica_site("generated")`` serves a generated news site whose feed
lists ``server.feed_ids`` and whose article pages answer after
``server.delay`` seconds — slow enough to kill a crawl in the middle.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from replica_sites import ReplicaHandler

REPLICAS = Path(__file__).parents[1] / "fixtures" / "replicas"


@pytest.fixture
def replica_site() -> Iterator[Any]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(kind: str) -> Any:
        handler = functools.partial(ReplicaHandler, directory=str(REPLICAS / kind))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        server.requests = []  # type: ignore[attr-defined]
        server.lock = threading.Lock()  # type: ignore[attr-defined]
        server.generated = kind == "generated"  # type: ignore[attr-defined]
        server.feed_ids = []  # type: ignore[attr-defined]
        server.delay = 0.0  # type: ignore[attr-defined]
        server.base = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


@pytest.fixture
def write_registry(tmp_path: Path) -> Any:
    """Write a registry file for replica sources (on 127.0.0.1, no delay) and return its path."""
    import yaml

    def write(base: str, entries: list[dict[str, Any]]) -> Path:
        for e in entries:
            e.setdefault("allowed_domains", ["127.0.0.1"])
            e.setdefault("politeness", {"download_delay": 0, "concurrency": 4})
            e["start_urls"] = [u.replace("{base}", base) for u in e["start_urls"]]
        path = tmp_path / "sources.yaml"
        path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True))
        return path

    return write
