#!/usr/bin/env bash
# The Discord emulator's REST responses and gateway objects, validated against Discord's own
# OpenAPI description (scripts/checks/discord-api-spec/, vendored). Prints how many routes and
# route/status pairs were validated; fails on any difference, and fails if the validator accepts
# a body with a required field removed.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import jsonschema, aiohttp' 2>/dev/null \
    || "$PYTHON" -m pip install --quiet --disable-pip-version-check 'jsonschema>=4.18' aiohttp

work=$(mktemp -d)
emulator_pid=""
cleanup() {
    [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "FAIL: Discord emulator schema conformance: $*"
    echo "--- emulator output"; cat "$work/emulator.log" 2>/dev/null || true
    exit 1
}

spec=scripts/checks/discord-api-spec/openapi.json
[ -f "$spec" ] || fail "$spec is missing"

token="schema-check-token"
cat > "$work/world.json" <<JSON
{
  "applications": [{"name": "SchemaCheck", "token": "$token"}],
  "users": [{"username": "alice", "locale": "de"}, {"username": "bob"}],
  "guilds": [{
    "name": "Schema Guild", "owner": "alice",
    "roles": [{"name": "DJ", "permissions": "16777216"}, {"name": "Admin", "permissions": "8"}],
    "channels": [{"name": "general", "type": 0}, {"name": "Stage", "type": 0},
                 {"name": "Lobby", "type": 2, "user_limit": 5}],
    "members": ["alice", "bob", {"user": "SchemaCheck", "roles": ["Admin"]}],
    "voice_states": [{"user": "bob", "channel": "Lobby"}]
  }]
}
JSON

# shellcheck source=lib/discord_emulator.sh
. scripts/checks/lib/discord_emulator.sh
start_discord_emulator "$work/world.json" "$work/emulator.log"

timeout 120 "$PYTHON" scripts/checks/discord_schema.py "$port" "$token" "$spec" \
    Sources/DiscordEmulator/REST/RESTRoutes.swift || fail "see above"
