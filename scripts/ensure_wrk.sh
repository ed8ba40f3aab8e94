#!/usr/bin/env bash
# Debian's wrk, the HTTP load generator of `make bench` (C, one thread: it is not the bottleneck).
set -euo pipefail
if command -v wrk >/dev/null; then
    exit 0
fi
echo "wrk: installing Debian's package for the benchmarks"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
