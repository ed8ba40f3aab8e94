#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it; no browser download of its own).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
echo "chromium: installing Debian's package for the browser tests"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
