#!/usr/bin/env bash
# The shipped deploy/prometheus and deploy/grafana against a real Prometheus scraping a real
# master and workers (prometheus_check.py): promtool check config / check rules / test rules,
# every target up, every metric with # HELP, every dashboard query returning data.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
fi
# The Debian package may start its own service; ours runs on a free port of its own.
if pgrep -x prometheus >/dev/null 2>&1 && command -v service >/dev/null 2>&1; then
    service prometheus stop >/dev/null 2>&1 || true
fi
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import yaml' 2>/dev/null || "$PYTHON" -m pip install --quiet --disable-pip-version-check pyyaml
command -v redis-server >/dev/null || { echo "prometheus.sh: redis-server is missing (scripts/test installs it)"; exit 1; }
command -v moto_server >/dev/null || { echo "prometheus.sh: moto_server is missing (scripts/test installs it)"; exit 1; }
[ -x .build/debug/anankor ] || timeout 1800 swift build --product anankor >/dev/null

cd scripts/checks
timeout 600 "$PYTHON" prometheus_check.py
