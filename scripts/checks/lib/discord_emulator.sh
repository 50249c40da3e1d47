# Sourced by the checks that run third-party code against the Discord emulator (not a check
# itself: scripts/test runs only scripts/checks/*.sh).
#
# start_discord_emulator WORLD_FILE LOG_FILE: builds the binary when it is missing, starts
# `anankor emulate discord` on a free loopback port with the world file, and waits until it
# listens. Sets `port` and `emulator_pid` (the caller's cleanup stops it); calls the caller's
# `fail` when it does not start.
start_discord_emulator() {
    local world=$1 log=$2 binary=.build/debug/anankor
    if [ ! -x "$binary" ]; then
        timeout 1800 swift build --product anankor >/dev/null || fail "swift build --product anankor failed"
    fi
    port=$("${PYTHON:-python3}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$binary" emulate discord --port "$port" --world "$world" >"$log" 2>&1 &
    emulator_pid=$!
    timeout 30 bash -c "until grep -q control: '$log' 2>/dev/null; do sleep 0.2; done" \
        || fail "the Discord emulator did not start within 30s"
}
