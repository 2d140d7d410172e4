#!/usr/bin/env bash
# Debian packages the application reads at run time (called by `make setup`, so by
# `make demo` and `make test`). Idempotent and quick when already done.
set -euo pipefail

# --- Ding German–English dictionary (GPL-2+), for cross-language query translation:
# read from /usr/share/trans/de-en, never copied into the repository.
if [ ! -f /usr/share/trans/de-en ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq trans-de-en >/dev/null
  else
    echo "setup: /usr/share/trans/de-en missing; German query translation is off (run as root: apt-get install trans-de-en)" >&2
  fi
fi

# --- Noto Sans CJK (OFL-1.1), so Chinese in timeline PNGs and the web UI is not boxes:
# matplotlib reads it by path (indexer/chart_fonts.py), the CSS names "Noto Sans CJK SC".
if [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
  else
    echo "setup: Noto Sans CJK missing; Chinese shows as boxes in charts and the web UI (run as root: apt-get install fonts-noto-cjk)" >&2
  fi
fi
