#!/usr/bin/env bash
# Installs what the test suite needs beyond the Python packages (called by `make test`).
# Each section is idempotent and fast when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- web workbench (tests/web): Debian's headless Chromium, driven by Playwright
# through executable_path (Playwright never downloads a browser here).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "test-setup: /usr/bin/chromium missing; run as root: apt-get install chromium chromium-driver" >&2
  fi
fi
