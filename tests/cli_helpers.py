"""Run the real ``coopwatch`` command in a child process (shared by CLI-level tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_cli(data_dir: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coopwatch", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def make_store(data_dir: Path) -> Path:
    """An empty store in ``data_dir`` (read commands refuse a data dir without one)."""
    from coopwatch.settings import load_settings
    from coopwatch.store import Store

    Store.open(load_settings(data_dir=data_dir, env={})).close()
    return data_dir
