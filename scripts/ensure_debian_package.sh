#!/usr/bin/env bash
# Install a Debian package when the programs it brings are missing.
# Usage: ensure_debian_package.sh PACKAGE "WHAT IT IS FOR" PROGRAM [PROGRAM ...]
# Chromium (browser tests), Prometheus (deploy tests: promtool, and a server the tests start on a
# port of their own, never the package's service) and wrk (the benchmarks' load generator).
set -euo pipefail
package=$1 purpose=$2
shift 2
missing=0
for program in "$@"; do
    command -v "$program" >/dev/null || missing=1
done
if [ "$missing" -eq 0 ]; then
    exit 0
fi
echo "$package: installing Debian's package for $purpose"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$package" >/dev/null
