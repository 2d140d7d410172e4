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

# --- search engines (tests/indexer, engine marker): Java 17 + Maven resolve the
# Elasticsearch 7.10.2 and OpenSearch 2.19.1 runner jars from Maven Central into ~/.m2,
# so the session fixtures start real nodes without waiting for downloads.
if command -v java >/dev/null && command -v mvn >/dev/null; then
  for flavour in opensearch elasticsearch; do
    scripts/engines/engine.sh resolve "$flavour" || echo "test-setup: could not resolve the $flavour jars" >&2
  done
elif [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless maven curl >/dev/null
  for flavour in opensearch elasticsearch; do scripts/engines/engine.sh resolve "$flavour"; done
else
  echo "test-setup: java/mvn missing; engine tests will be skipped (run as root: apt-get install openjdk-17-jre-headless maven)" >&2
fi
