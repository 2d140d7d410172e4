#!/usr/bin/env bash
# Installs what the test suite needs beyond the Python packages (called by `make test`).
# Each section is idempotent and fast when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
