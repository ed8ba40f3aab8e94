#!/usr/bin/env bash
# Debian's Prometheus for the deploy tests: promtool checks the configuration and rules, and the
# tests start their own prometheus binary (a free port, a temporary storage dir), never the
# package's service.
set -euo pipefail
if command -v promtool >/dev/null && command -v prometheus >/dev/null; then
    exit 0
fi
echo "prometheus: installing Debian's package for the deploy tests"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
