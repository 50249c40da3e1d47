#!/usr/bin/env bash
# A third-party Lavalink client (wavelink 3.5) against our emulator: connect a node, search,
# connect a player and wait for the playerUpdate that says its voice is up, play, and see
# TrackStart and TrackEnd through wavelink's own event dispatch; and LavaSrc's Spotify track and
# album with the plugin fields wavelink reads.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
BIN=.build/debug/anankor
if [ ! -x "$BIN" ]; then
    echo "FAIL wavelink: $BIN is missing (run swift build first)"
    exit 1
fi

PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
PASSWORD="check-$RANDOM$RANDOM"
LOG=$(mktemp -t anankor-lavalink-emulator.XXXXXX)
# Speed 1000: a search result (1–6 minutes) ends within a second of real time.
"$BIN" emulate lavalink --port "$PORT" --password "$PASSWORD" --speed 1000 --plugins lavasrc >"$LOG" 2>&1 &
EMULATOR_PID=$!
cleanup() {
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
    rm -f "$LOG"
}
trap cleanup EXIT

listening() {
    "$PYTHON" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()' "$PORT" 2>/dev/null
}
for _ in $(seq 1 200); do
    if listening; then break; fi
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
        echo "FAIL wavelink: the emulator exited at start"; cat "$LOG"; exit 1
    fi
    sleep 0.1
done

if timeout 60 "$PYTHON" scripts/checks/wavelink_emulator.py "http://127.0.0.1:$PORT" "$PASSWORD"; then
    echo "PASS wavelink: node, search, LavaSrc track and album, voice connect confirmed by playerUpdate, play, TrackStart and TrackEnd"
else
    echo "FAIL wavelink (emulator log follows)"
    cat "$LOG"
    exit 1
fi
