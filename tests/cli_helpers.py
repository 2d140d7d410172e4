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
