#!/usr/bin/env bash
# One /play is one trace across processes: a real master and two workers (Redis, moto and the
# emulators behind them) export OTLP/HTTP to a small collector that decodes the protobuf payload
# and checks spans from both processes with correct parent links (tracing_check.py).
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import opentelemetry.proto.collector.trace.v1.trace_service_pb2' 2>/dev/null \
    || "$PYTHON" -m pip install --quiet --disable-pip-version-check 'opentelemetry-proto>=1.27,<2'
command -v redis-server >/dev/null || { echo "tracing.sh: redis-server is missing (scripts/test installs it)"; exit 1; }
command -v moto_server >/dev/null || { echo "tracing.sh: moto_server is missing (scripts/test installs it)"; exit 1; }
[ -x .build/debug/anankor ] || timeout 1800 swift build --product anankor >/dev/null

cd scripts/checks
timeout 300 "$PYTHON" tracing_check.py
