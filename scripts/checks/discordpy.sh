#!/usr/bin/env bash
# Proof that the Discord emulator speaks Discord, not just DiscordKit's dialect: a plain
# discord.py 2.7 bot connects (zlib-stream gateway, REST login, command sync), receives READY and
# GUILD_CREATE, answers a slash command the emulator's control API sends, resumes its session after
# the emulator drops the connection, and answers a command with a deferred reply whose channel
# message first gets a forced 429 (discord.py waits it out and retries).
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
emulator_pid=""
bot_pid=""
cleanup() {
    [ -n "$bot_pid" ] && kill "$bot_pid" 2>/dev/null || true
    [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "FAIL: discord.py against the Discord emulator: $*"
    echo "--- emulator output"; cat "$work/emulator.log" 2>/dev/null || true
    echo "--- bot output"; cat "$work/bot.log" 2>/dev/null || true
    exit 1
}

# Waits up to $2 seconds for file $1 to contain pattern $3.
wait_for() {
    local file=$1 seconds=$2 pattern=$3
    timeout "$seconds" bash -c "until grep -q -- \"$pattern\" \"$file\" 2>/dev/null; do sleep 0.2; done" \
        || fail "no '$pattern' within ${seconds}s"
}

"$PYTHON" -c 'import discord, sys; sys.exit(0 if discord.version_info[:2] >= (2, 7) else 1)' \
    || fail "discord.py >= 2.7 is not installed (scripts/test installs it)"

token="discordpy-check-token"
cat > "$work/world.json" <<JSON
{
  "applications": [{"name": "PyCheck", "token": "$token"}],
  "users": [{"username": "alice", "locale": "de"}],
  "guilds": [{
    "name": "Check Guild", "owner": "alice",
    "channels": [{"name": "general", "type": 0}, {"name": "Lobby", "type": 2, "user_limit": 5}],
    "members": ["PyCheck"]
  }]
}
JSON

# shellcheck source=lib/discord_emulator.sh
. scripts/checks/lib/discord_emulator.sh
start_discord_emulator "$work/world.json" "$work/emulator.log"
control="http://127.0.0.1:$port/_emulator"

"$PYTHON" scripts/checks/discordpy_bot.py "$port" "$token" >"$work/bot.log" 2>&1 &
bot_pid=$!
wait_for "$work/bot.log" 30 "SYNCED ping"
wait_for "$work/bot.log" 30 "GUILD "
wait_for "$work/bot.log" 30 "READY "
grep -q "voice=\['Lobby'\]" "$work/bot.log" || fail "the bot's guild has no voice channel Lobby"

world=$(curl -sf "$control/world") || fail "GET /_emulator/world failed"
ids=$(printf '%s' "$world" | "$PYTHON" -c '
import json, sys
world = json.load(sys.stdin)
app = next(a for a in world["applications"] if a["name"] == "PyCheck")
user = next(u for u in world["users"] if u["username"] == "alice")
guild = next(g for g in world["guilds"] if g["name"] == "Check Guild")
channel = next(c for c in guild["channels"] if c["name"] == "general")
print(app["id"], user["id"], channel["id"])')
read -r app_id user_id channel_id <<<"$ids"

interaction=$(curl -sf -X POST "$control/interactions/commands" -H 'Content-Type: application/json' \
    -d "{\"application_id\": \"$app_id\", \"channel_id\": \"$channel_id\", \"user_id\": \"$user_id\",
         \"name\": \"ping\", \"options\": {\"word\": \"hello\"}}") || fail "invoking /ping failed"
interaction_id=$(printf '%s' "$interaction" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["id"])')

wait_for "$work/bot.log" 15 "ANSWERED $interaction_id"
record=$(curl -sf "$control/interactions/$interaction_id") || fail "reading the interaction failed"
printf '%s' "$record" | "$PYTHON" -c '
import json, sys
record = json.load(sys.stdin)
assert record["acknowledged"] and record["callback_type"] == 4, record
content = record["responses"][0]["body"]["data"]["content"]
assert content == "pong hello (de)", content
' || fail "the bot's response is not what it sent: $record"

# Resume after a dropped connection: same session, RESUMED, no second READY.
session_before=$(sed -n 's/^READY .* session=\([^ ]*\).*/\1/p' "$work/bot.log" | head -1)
[ -n "$session_before" ] || fail "READY did not name the session"
curl -sf -X POST "$control/faults/drop" -H 'Content-Type: application/json' \
    -d "{\"application_id\": \"$app_id\"}" >/dev/null || fail "dropping the bot's connection failed"
wait_for "$work/bot.log" 30 "RESUMED session=$session_before"
[ "$(grep -c '^READY ' "$work/bot.log")" = 1 ] || fail "the bot identified again instead of resuming"
curl -sf "$control/sessions" | "$PYTHON" -c '
import json, sys
sessions = json.load(sys.stdin)
assert len(sessions) == 1 and sessions[0]["session_id"] == sys.argv[1] and sessions[0]["connected"], sessions
' "$session_before" || fail "the emulator does not show the resumed session connected"

# A forced 429 on the channel message, inside a deferred reply.
curl -sf -X POST "$control/faults/routes" -H 'Content-Type: application/json' \
    -d '{"path": "/channels/{channel_id}/messages", "method": "POST", "status": 429, "retry_after": 0.5}' >/dev/null \
    || fail "forcing a 429 failed"
said=$(curl -sf -X POST "$control/interactions/commands" -H 'Content-Type: application/json' \
    -d "{\"application_id\": \"$app_id\", \"channel_id\": \"$channel_id\", \"user_id\": \"$user_id\",
         \"name\": \"say\", \"options\": {\"text\": \"after the limit\"}}") || fail "invoking /say failed"
said_id=$(printf '%s' "$said" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["id"])')
wait_for "$work/bot.log" 20 "SAID $said_id"
grep -q "responded with 429" "$work/bot.log" || fail "discord.py never saw the forced 429"
record=$(curl -sf "$control/interactions/$said_id") || fail "reading the /say interaction failed"
messages=$(curl -sf "$control/channels/$channel_id/messages") || fail "reading the channel failed"
printf '%s\n%s' "$record" "$messages" | "$PYTHON" -c '
import json, sys
record, messages = (json.loads(line) for line in sys.stdin.read().split("\n", 1))
assert record["callback_type"] == 5, record
kinds = [response["kind"] for response in record["responses"]]
assert kinds == ["callback", "original_edited"], kinds
said = [m for m in messages if m["content"] == "after the limit"]
assert len(said) == 1, f"expected the message once after the 429, got {len(said)}"
original = next(m for m in messages if m["id"] == record["original_message_id"])
assert original["content"] == "said " + said[0]["id"], original
assert original["flags"] & 128 == 0, "the edited reply still shows LOADING"
assert original["interaction_metadata"]["id"] == record["id"], original
' || fail "the deferred reply, the retried message or the edit is not what the bot did: $record"

echo "PASS: discord.py $("$PYTHON" -c 'import discord; print(discord.__version__)') connected to the Discord emulator (READY, GUILD_CREATE, command sync), answered /ping, resumed after a dropped connection, and answered /say with a deferred reply around a forced 429"
