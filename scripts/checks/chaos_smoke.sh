#!/usr/bin/env bash
# The chaos suite's smoke (docs/reliability.md): every fault once in a small world, against real
# anankor master and worker processes, Lavalink emulator nodes, redis-server and moto_server.
# It fails on a lost or duplicated track, an unanswered interaction, double audio, a stuck
# session, a lane silent while shown as playing, or a lobby reminder not posted exactly once —
# never on a time figure. The seed of every run is printed; replay one with
# `.build/debug/AnankorChaos --faults FAULT --seed SEED --runs 1`.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in redis-server moto_server; do
    command -v "$tool" >/dev/null 2>&1 || { echo "chaos smoke: $tool is missing (scripts/test installs it)" >&2; exit 1; }
done

# Incremental builds: nothing to do right after `swift build --build-tests`, and never a stale binary.
timeout 1800 swift build --product anankor >/dev/null
timeout 1800 swift build --product AnankorChaos >/dev/null

# About 6–8 minutes on a loaded 2-core machine (docs/reliability.md); the bound only stops a hung run.
# stdbuf: each line as it happens, so a run stopped by the timeout still shows where it was.
timeout 1200 stdbuf -oL .build/debug/AnankorChaos --smoke --output .build/chaos/smoke
