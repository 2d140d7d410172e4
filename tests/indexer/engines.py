"""Real Elasticsearch / OpenSearch nodes for the tests, started once per session.

``scripts/engines/engine.sh`` resolves the runner jars from Maven Central (cached
in ~/.m2) and starts the node(s) on 127.0.0.1 on free ports; the session
fixtures below stop them at the end. When a node cannot start, engine tests are
skipped — unless ``COOPWATCH_REQUIRE_ENGINES=1`` (set by CI), which makes them
fail. ``COOPWATCH_TEST_OPENSEARCH_URL`` / ``COOPWATCH_TEST_ELASTICSEARCH_URL``
point the tests at an already running node instead (faster while developing).
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "engines" / "engine.sh"
FLAVOURS = ("opensearch", "elasticsearch")


def engines_required() -> bool:
    return os.environ.get("COOPWATCH_REQUIRE_ENGINES", "") not in ("", "0", "false", "no")


def unavailable(message: str) -> None:
    """Skip, or fail when CI requires the engines."""
    if engines_required():
        pytest.fail(f"{message} (COOPWATCH_REQUIRE_ENGINES is set, so this is a failure)", pytrace=False)
    pytest.skip(message)


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_base_port(nodes: int) -> int:
    """A base port whose HTTP (base+i) and transport (base+50+i) ports are all free."""
    for _ in range(200):
        base = random.randrange(20_000, 40_000, 100)
        if all(_free(base + i) and _free(base + 50 + i) for i in range(1, nodes + 1)):
            return base
    raise RuntimeError("no free port range on 127.0.0.1")


@dataclass
class Cluster:
    flavour: str
    url: str
    nodes: int
    base_port: int
    workdir: Path | None  # None: an external node we did not start

    def node_url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.base_port + n}"

    def stop(self) -> None:
        if self.workdir is not None:
            subprocess.run([str(SCRIPT), "stop", str(self.workdir)], check=False, timeout=120)


def start_cluster(flavour: str, workdir: Path, nodes: int = 1) -> Cluster:
    """Start ``nodes`` nodes of ``flavour`` (raises RuntimeError with the script's explanation)."""
    base = free_base_port(nodes)
    proc = subprocess.run(
        [str(SCRIPT), "start", flavour, str(workdir), str(nodes), str(base)],
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    if proc.returncode != 0:
        subprocess.run([str(SCRIPT), "stop", str(workdir)], check=False, timeout=120)
        raise RuntimeError(f"{flavour} ({nodes} node(s)) did not start: {proc.stderr.strip()[-3000:]}")
    return Cluster(flavour, proc.stdout.strip().splitlines()[-1], nodes, base, workdir)


def session_cluster(flavour: str, tmp_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    external = os.environ.get(f"COOPWATCH_TEST_{flavour.upper()}_URL")
    if external:
        yield Cluster(flavour, external, 1, int(external.rsplit(":", 1)[1]) - 1, None)
        return
    try:
        cluster = start_cluster(flavour, tmp_factory.mktemp(f"{flavour}-node"))
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        unavailable(str(exc))
        return
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    yield from session_cluster("opensearch", tmp_path_factory)


@pytest.fixture(scope="session")
def elasticsearch_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    yield from session_cluster("elasticsearch", tmp_path_factory)
