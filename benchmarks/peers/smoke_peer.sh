#!/usr/bin/env bash
# End-to-end correctness check of the Python reference peer (benchmarks/peers/music_bot.py)
# against Anankor's Discord and Lavalink emulators: the peer starts, syncs its commands, connects
# wavelink and prints PEER READY; a member in voice then drives /play, /queue, /skip, /pause,
# /resume, /seek, /volume, /nowplaying and /stop through the Discord emulator's control API, and
# every answer and every player change is checked through the two control APIs. No figures.
#
# Usage: benchmarks/peers/smoke_peer.sh   (needs .build/debug/anankor, discord.py 2.7, wavelink 3.5)
#        SMOKE_KEEP=1 keeps the emulator and peer logs; ANANKOR_BIN picks another binary.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
BIN=${ANANKOR_BIN:-.build/debug/anankor}
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -n "${SMOKE_KEEP:-}" ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Reports to stderr, so that a failure inside $(...) is seen too (set -e then stops the script).
fail() {
    {
        echo "FAIL: Python peer smoke check: $*"
        for log in discord lavalink peer; do
            echo "--- $log output (last 40 lines)"; tail -n 40 "$work/$log.log" 2>/dev/null || true
        done
    } >&2
    exit 1
}

# Waits up to $2 seconds for file $1 to contain pattern $3.
wait_for() {
    local file=$1 seconds=$2 pattern=$3
    timeout "$seconds" bash -c "until grep -q -- \"$pattern\" \"$file\" 2>/dev/null; do sleep 0.1; done" \
        || fail "no '$pattern' in $(basename "$file") within ${seconds}s"
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

"$PYTHON" -c 'import discord, wavelink, sys; sys.exit(0 if discord.version_info[:2] >= (2, 7) and wavelink.__version__.startswith("3.") else 1)' \
    || fail "discord.py >= 2.7 and wavelink 3.x must be installed"

# The binary may be rebuilt under us now and then: wait for it rather than fail at once.
for _ in $(seq 1 120); do [ -x "$BIN" ] && break; sleep 1; done
[ -x "$BIN" ] || fail "$BIN is missing (swift build --product anankor)"

discord_port=$(free_port)
lavalink_port=$(free_port)
token="peer-smoke-token"
password="peer-smoke-$RANDOM$RANDOM"
cat >"$work/world.json" <<JSON
{
  "applications": [{"name": "PeerBot", "token": "$token", "privileged_intents": 0}],
  "users": [{"username": "alice"}, {"username": "bob"}],
  "guilds": [{
    "name": "Peer Guild", "owner": "alice",
    "channels": [{"name": "general", "type": 0}, {"name": "Lobby", "type": 2, "user_limit": 10}],
    "members": ["alice", "bob", "PeerBot"]
  }]
}
JSON

"$BIN" emulate discord --port "$discord_port" --world "$work/world.json" >"$work/discord.log" 2>&1 &
pids+=($!)
# Speed 1: tracks play in real time, so the one started stays current while the check runs;
# the end of a track is brought about with the Lavalink clock.
"$BIN" emulate lavalink --port "$lavalink_port" --password "$password" --speed 1 >"$work/lavalink.log" 2>&1 &
pids+=($!)
wait_for "$work/discord.log" 30 "control:"
D="http://127.0.0.1:$discord_port/_emulator"
L="http://127.0.0.1:$lavalink_port"
timeout 30 bash -c "until curl -sf '$L/_emulator/clock' >/dev/null; do sleep 0.1; done" \
    || fail "the Lavalink emulator did not come up"

started=$(date +%s.%N)
"$PYTHON" benchmarks/peers/music_bot.py --discord-url "http://127.0.0.1:$discord_port" --token "$token" \
    --lavalink-uri "$L" --lavalink-password "$password" --log-level "${PEER_LOG_LEVEL:-INFO}" >"$work/peer.log" 2>&1 &
pids+=($!)
wait_for "$work/peer.log" 60 "^PEER READY"
ready=$(date +%s.%N)
[ "$(grep -c '^PEER READY' "$work/peer.log")" = 1 ] || fail "PEER READY printed more than once"
echo "peer ready after $("$PYTHON" -c "print(f'{$ready - $started:.2f}')") s"

ids=$(curl -sf "$D/world" | "$PYTHON" -c '
import json, sys
world = json.load(sys.stdin)
app = next(a for a in world["applications"] if a["name"] == "PeerBot")
users = {u["username"]: u["id"] for u in world["users"]}
guild = next(g for g in world["guilds"] if g["name"] == "Peer Guild")
channels = {c["name"]: c["id"] for c in guild["channels"]}
print(app["id"], users["alice"], users["bob"], guild["id"], channels["general"], channels["Lobby"])') \
    || fail "reading the world failed"
read -r app_id alice bob guild_id general lobby <<<"$ids"

# Invokes slash command $2 with options $3 (JSON object) as user $1; prints the interaction id.
invoke() {
    local user=$1 name=$2 options=${3:-"{}"} reply
    reply=$(curl -sf -X POST "$D/interactions/commands" -H 'Content-Type: application/json' -d "{
        \"application_id\": \"$app_id\", \"channel_id\": \"$general\", \"user_id\": \"$user\",
        \"name\": \"$name\", \"options\": $options}") || fail "invoking /$name failed"
    printf '%s' "$reply" | "$PYTHON" -c '
import json, sys
reply = json.load(sys.stdin)
assert reply["delivered"], "INTERACTION_CREATE was not delivered to the peer"
print(reply["id"])' || fail "/$name: $reply"
}

# Waits for the answer to interaction $1 (a message with content: the immediate response, or the
# deferred one edited in) and prints "ephemeral|public<TAB>content".
answer_of() {
    local id=$1 record
    for _ in $(seq 1 100); do
        record=$(curl -sf "$D/interactions/$id") || fail "reading interaction $id failed"
        if printf '%s' "$record" | "$PYTHON" -c '
import json, sys
record = json.load(sys.stdin)
if not record["acknowledged"]:
    sys.exit(1)
found = None
for response in record["responses"]:
    data = response["body"].get("data", response["body"]) if isinstance(response.get("body"), dict) else {}
    content = data.get("content") if isinstance(data, dict) else None
    if content:
        found = ("ephemeral" if (data.get("flags") or 0) & 64 else "public", content)
    elif response["kind"] == "interaction_response" and record["callback_type"] == 5 and (data.get("flags") or 0) & 64:
        pass
if found is None:
    sys.exit(1)
print(found[0] + "\t" + found[1].replace("\n", " / "))
' 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    fail "interaction $id was not answered within 10 s: $record"
}

# Runs /$2 as user $1 with options $3 and checks that the answer matches regex $4 and is
# "public" or "ephemeral" ($5).
expect() {
    local user=$1 name=$2 options=$3 pattern=$4 visibility=$5 id answer
    id=$(invoke "$user" "$name" "$options")
    answer=$(answer_of "$id")
    printf '  /%-10s %s -> %s\n' "$name" "$options" "$answer"
    [[ "${answer%%$'\t'*}" == "$visibility" ]] || fail "/$name answer should be $visibility: $answer"
    [[ "${answer#*$'\t'}" =~ $pattern ]] || fail "/$name answer does not match /$pattern/: $answer"
}

# Prints field $1 (a Python expression over `p`) of the Lavalink player of the guild.
player_field() {
    curl -sf "$L/_emulator/players" | "$PYTHON" -c '
import json, sys
players = [p for p in json.load(sys.stdin) if p["guildId"] == sys.argv[2]]
if not players:
    print("NO-PLAYER"); sys.exit(0)
p = players[0]
print(eval(sys.argv[1]))' "$1" "$guild_id"
}

# Waits until player field $1 prints $2.
wait_player() {
    local field=$1 want=$2 got=""
    for _ in $(seq 1 100); do
        got=$(player_field "$field") || fail "reading Lavalink players failed"
        [ "$got" = "$want" ] && return 0
        sleep 0.1
    done
    fail "Lavalink player: $field is '$got', expected '$want'"
}

track_starts() {
    curl -sf "$L/_emulator/track-starts" | "$PYTHON" -c '
import json, sys
starts = [s for s in json.load(sys.stdin) if s["guildId"] == sys.argv[1]]
print(len(starts), starts[-1]["identifier"] if starts else "-")' "$guild_id"
}

wait_starts() {
    local want=$1 got=""
    for _ in $(seq 1 100); do
        got=$(track_starts)
        [ "${got%% *}" = "$want" ] && { echo "$got"; return 0; }
        sleep 0.1
    done
    fail "expected $want track starts for the guild, got: $got"
}

echo "refusals"
expect "$alice" play '{"query": "some song"}' '^Join a voice channel first' ephemeral
expect "$alice" skip '{}' '^Join a voice channel first' ephemeral

curl -sf -X PUT "$D/guilds/$guild_id/voice/$alice" -H 'Content-Type: application/json' \
    -d "{\"channel_id\": \"$lobby\"}" >/dev/null || fail "alice could not join Lobby"
expect "$alice" pause '{}' '^Nothing is playing' ephemeral
expect "$alice" nowplaying '{}' '^Nothing is playing' ephemeral
expect "$alice" queue '{}' '^The queue is empty' ephemeral

echo "playback"
expect "$alice" play '{"query": "some song"}' '^Playing \*\*.+\*\* \([0-9]+:[0-9]{2}\)\.$' public
first=$(wait_starts 1)
wait_player 'p["voiceConnected"]' True
wait_player 'p["voice"]["channelId"]' "$lobby"
wait_player 'p["track"] is not None' True
curl -sf "$D/activity?application_id=$app_id&kind=voice_joined" | grep -q "$lobby" \
    || fail "the Discord emulator recorded no voice_joined of the peer in Lobby"
echo "  lavalink started: $first"
first_id=${first#* }

expect "$alice" play '{"query": "another song"}' '^Queued \*\*.+\*\* \([0-9]+:[0-9]{2}\) at position 1\.$' public
expect "$alice" play '{"query": "third song", "next": true}' '^Queued \*\*.+\*\* .* at position 1\.$' public
expect "$alice" queue '{}' '^▶️ .* Queue — page 1 of 1 \(2 tracks\): / 1\. .* / 2\. ' ephemeral
expect "$alice" nowplaying '{}' '^▶️ \*\*.+\*\* — .+ `[0-9]+:[0-9]{2} / [0-9]+:[0-9]{2}`$' ephemeral

expect "$alice" skip '{}' '^Skipped \*\*.+\*\*\.$' public
second=$(wait_starts 2)
[ "${second#* }" != "$first_id" ] || fail "/skip did not start another track: $second"
echo "  lavalink started: $second"

expect "$alice" pause '{}' '^Paused\.$' public
wait_player 'p["paused"]' True
expect "$alice" resume '{}' '^Resumed\.$' public
wait_player 'p["paused"]' False
expect "$alice" volume '{"level": 50}' '^Volume set to 50%\.$' public
wait_player 'p["volume"]' 50
expect "$alice" seek '{"position": "0:30"}' '^Jumped to 0:30\.$' public
wait_player 'p["position"] >= 30000' True
expect "$alice" seek '{"position": "99:00"}' '^Cannot seek to' ephemeral
expect "$alice" skip '{"to": 5}' '^There is no track at position 5; the queue has 1\.$' ephemeral

echo "auto-advance"
# End the current track on the Lavalink clock: the peer must start the next queued one by itself.
curl -sf -X POST "$L/_emulator/clock/advance" -H 'Content-Type: application/json' -d '{"ms": 400000}' >/dev/null \
    || fail "advancing the Lavalink clock failed"
third=$(wait_starts 3)
echo "  lavalink started: $third"
expect "$alice" queue '{}' '^▶️ .* \(0 tracks\):$' ephemeral

echo "autocomplete"
reply=$(curl -sf -X POST "$D/interactions/autocomplete" -H 'Content-Type: application/json' -d "{
    \"application_id\": \"$app_id\", \"channel_id\": \"$general\", \"user_id\": \"$alice\",
    \"name\": \"play\", \"options\": {\"query\": \"lofi beats\"}, \"focused\": \"query\"}") \
    || fail "autocomplete of /play query failed"
auto_id=$(printf '%s' "$reply" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["id"])')
for _ in $(seq 1 50); do
    choices=$(curl -sf "$D/interactions/$auto_id" | "$PYTHON" -c '
import json, sys
record = json.load(sys.stdin)
if record["callback_type"] != 8:
    sys.exit(1)
print(len(record["responses"][0]["body"]["data"]["choices"]))' 2>/dev/null) && break
    sleep 0.1
done
[ "${choices:-0}" = 5 ] || fail "autocomplete answered ${choices:-nothing}, expected 5 choices"
echo "  /play query autocomplete -> $choices choices"

echo "playlists and misses"
expect "$alice" play '{"query": "https://www.youtube.com/playlist?list=PLpeer"}' '^Queued [0-9]+ tracks from \*\*.+\*\*\.$' public
expect "$alice" queue '{"page": 1}' '^▶️ .* Queue — page 1 of [0-9]+ \([0-9]+ tracks\): / 1\. ' ephemeral
expect "$alice" play '{"query": "emulator:empty"}' '^Nothing found for `emulator:empty`\.$' public

echo "stop"
expect "$bob" stop '{}' '^Join a voice channel first' ephemeral
expect "$alice" stop '{}' '^Stopped and cleared the queue\.$' public
wait_player 'p["track"] is None' True
expect "$alice" nowplaying '{}' '^Nothing is playing' ephemeral

now_playing=$(curl -sf "$D/channels/$general/messages" | "$PYTHON" -c '
import json, sys
print(sum(1 for m in json.load(sys.stdin) if m["content"].startswith("🎶 Now playing")))')
[ "$now_playing" = 1 ] || fail "expected one now-playing message (edited in place), found $now_playing"
grep -q "Traceback" "$work/peer.log" && fail "the peer logged a traceback"

echo "PASS: the Python peer (discord.py $("$PYTHON" -c 'import discord; print(discord.__version__)'), wavelink $("$PYTHON" -c 'import wavelink; print(wavelink.__version__)')) played, queued, skipped, paused, resumed, seeked, set the volume, auto-advanced and stopped against the emulators"
