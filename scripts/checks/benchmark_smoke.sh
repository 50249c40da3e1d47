#!/usr/bin/env bash
# The benchmark once on a tiny workload (issue 8): every contender — Anankor embedded and
# distributed, the null bot, the Python peer — starts, answers every interaction and plays.
# It fails on errors only, never on speed (figures come from `swift run -c release
# AnankorBenchmark`, docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

binary=.build/debug/AnankorBenchmark
if [ ! -x "$binary" ] || [ ! -x .build/debug/anankor ]; then
    timeout 1800 swift build --product anankor >/dev/null
    timeout 1800 swift build --product AnankorBenchmark >/dev/null
fi
timeout 600 "$binary" --smoke --output .build/benchmarks/smoke
