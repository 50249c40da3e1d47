"""Validates the Discord emulator's wire shapes against Discord's own OpenAPI description.

Drives every REST route the emulator serves (the list is read from
Sources/DiscordEmulator/REST/RESTRoutes.swift, so a new route without coverage fails the check),
with a success and at least one error status each, and validates every response body against
the schema Discord publishes for that route and status (`4XX` → ErrorResponse, `429` →
RatelimitedResponse). Then connects to the gateway and validates the objects its dispatches embed
(READY user and application, GUILD_CREATE guild, channels, members and voice states,
INTERACTION_CREATE, MESSAGE_CREATE/UPDATE, VOICE_STATE_UPDATE, GUILD_MEMBERS_CHUNK).

Finally it proves the validator can fail: every validated object has each of its required fields
removed in turn, and each mutated body must be rejected.

Usage: discord_schema.py PORT TOKEN SPEC ROUTES_SWIFT
"""
import asyncio
import copy
import json
import re
import sys
import time
import urllib.error
import urllib.request

import aiohttp
from jsonschema import Draft202012Validator

port, token, spec_path, routes_path = sys.argv[1:5]
base = f"http://127.0.0.1:{port}"
rest = f"{base}/api/v10"
control = f"{base}/_emulator"

with open(spec_path) as handle:
    spec = json.load(handle)
components = spec["components"]
schemas = components["schemas"]
# Erratum: the description reuses `Error` (integer `code`) for the leaves of `errors`, but Discord
# sends, and its reference documents, string codes there: {"_errors": [{"code":
# "BASE_TYPE_REQUIRED", "message": "This field is required"}]}. The emulator follows Discord.
schemas["InnerErrors"]["properties"]["_errors"]["items"] = {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
}


def normalized(path):
    return re.sub(r"\{[^}]+\}", "{}", path)


spec_paths = {normalized(path): path for path in spec["paths"]}
with open(routes_path) as handle:
    emulator_routes = re.findall(r'route\("(GET|POST|PUT|PATCH|DELETE)", "([^"]+)"', handle.read())
if len(emulator_routes) < 30:
    sys.exit(f"FAIL: read only {len(emulator_routes)} routes from {routes_path}; has its format changed?")

validators = {}


def validator_for(schema):
    """A validator for a schema whose `$ref`s point into the spec's components."""
    key = json.dumps(schema, sort_keys=True)
    if key not in validators:
        root = dict(schema)
        root["components"] = components
        validators[key] = Draft202012Validator(root)
    return validators[key]


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def errors_in(body, schema):
    found = sorted(validator_for(schema).iter_errors(body), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}" for e in found]


failures = []
validated = set()  # (method, template, status)
samples = []  # (label, body, schema) for the mutation self-test


def check(label, body, schema):
    problems = errors_in(body, schema)
    if problems:
        failures.append(f"{label}:\n    " + "\n    ".join(problems[:12]))
    else:
        samples.append((label, body, schema))
    return not problems


def response_schema(method, template, status):
    """The schema of `status` for the route, or None for a documented empty body (204)."""
    spec_path_ = spec_paths.get(normalized(template))
    if spec_path_ is None:
        raise KeyError(f"{method} {template} is not in Discord's OpenAPI description")
    operation = spec["paths"][spec_path_].get(method.lower())
    if operation is None:
        raise KeyError(f"{method} {spec_path_} is not in Discord's OpenAPI description")
    responses = operation["responses"]
    entry = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX")
    if entry is None:
        raise KeyError(f"{method} {spec_path_} documents no status {status} (documented: {list(responses)})")
    if "$ref" in entry:
        entry = components["responses"][entry["$ref"].rsplit("/", 1)[1]]
    content = entry.get("content", {}).get("application/json")
    return content["schema"] if content else None


def template_of(method, path):
    segments = path.strip("/").split("/")
    candidates = []
    for route_method, template in emulator_routes:
        parts = template.strip("/").split("/")
        if route_method != method or len(parts) != len(segments):
            continue
        if all(p == s or (p.startswith("{") and not s.startswith("@")) for p, s in zip(parts, segments)):
            literal = sum(1 for p in parts if not p.startswith("{"))
            candidates.append((literal, template))
    if not candidates:
        raise KeyError(f"{method} {path} matches no emulator route")
    return max(candidates)[1]


def http(method, url, body=None, authorization=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if authorization:
        request.add_header("Authorization", authorization)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, (json.loads(raw) if raw else None)


def call(method, path, expect, body=None, auth=True):
    """One REST request; its status must be `expect` and its body must match the route's schema."""
    authorization = f"Bot {token}" if auth is True else auth or None
    status, payload = http(method, rest + path, body, authorization)
    template = template_of(method, path.split("?")[0])
    if status == 429 and expect != 429:
        # The global limit (50/s) caught up with the check: validate the 429, wait, try again.
        if check(f"{method} {template} → 429", payload, response_schema(method, template, 429)):
            validated.add((method, template, 429))
        time.sleep(payload["retry_after"] + 0.05)
        status, payload = http(method, rest + path, body, authorization)
    label = f"{method} {template} → {status}"
    if status != expect:
        failures.append(f"{label}: expected {expect}, body {json.dumps(payload)[:300]}")
        return payload
    schema = response_schema(method, template, status)
    if schema is None:
        if payload is not None:
            failures.append(f"{label}: Discord documents no body, got {json.dumps(payload)[:200]}")
    elif check(label, payload, schema):
        validated.add((method, template, status))
    if schema is None and payload is None:
        validated.add((method, template, status))
    return payload


def ctl(method, path, body=None):
    status, payload = http(method, control + path, body)
    if status >= 300:
        sys.exit(f"FAIL: control {method} {path} → {status}: {payload}")
    return payload


def force(path, status, method=None, **extra):
    ctl("POST", "/faults/routes", {"path": path, "status": status, "method": method, "count": 1, **extra})


# --- the world ------------------------------------------------------------------------------
world = ctl("GET", "/world")
app = next(a for a in world["applications"] if a["name"] == "SchemaCheck")
app_id = app["id"]
users = {u["username"]: u["id"] for u in world["users"]}
guild = next(g for g in world["guilds"] if g["name"] == "Schema Guild")
guild_id = guild["id"]
channels = {c["name"]: c["id"] for c in guild["channels"]}
roles = {r["name"]: r["id"] for r in guild["roles"]}
general, lobby, stage = channels["general"], channels["Lobby"], channels["Stage"]
alice, bob = users["alice"], users["bob"]
unknown = "1" + "0" * 17

events = []


async def gateway(ready):
    """Collects every dispatch of one session until cancelled."""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"ws://127.0.0.1:{port}/?v=10&encoding=json") as ws:
            hello = await ws.receive_json()
            interval = hello["d"]["heartbeat_interval"] / 1000
            intents = 1 | 2 | 128 | 512 | 4096 | 32768
            await ws.send_json({"op": 2, "d": {"token": token, "intents": intents, "properties": {
                "os": "linux", "browser": "schema-check", "device": "schema-check"}}})
            seq = None

            async def beat():
                while True:
                    await asyncio.sleep(interval)
                    await ws.send_json({"op": 1, "d": seq})

            beater = asyncio.create_task(beat())
            try:
                async for message in ws:
                    payload = json.loads(message.data)
                    if payload.get("s") is not None:
                        seq = payload["s"]
                    if payload["op"] == 0:
                        events.append((payload["t"], payload["d"]))
                        if payload["t"] == "GUILD_CREATE":
                            ready.set()
                    if payload["t"] == "READY":
                        await ws.send_json({"op": 8, "d": {"guild_id": guild_id, "query": "", "limit": 0}})
            finally:
                beater.cancel()


def events_named(name):
    return [d for t, d in events if t == name]


async def wait_for_event(name, predicate=lambda d: True, seconds=10):
    for _ in range(seconds * 20):
        if any(predicate(d) for d in events_named(name)):
            return next(d for d in events_named(name) if predicate(d))
        await asyncio.sleep(0.05)
    failures.append(f"gateway: no {name} within {seconds}s")
    return None


def drive_rest():
    bad = "Bot not-a-token"
    # Gateway and identity.
    call("GET", "/gateway", 200, auth=False)
    force("/gateway", 429)
    call("GET", "/gateway", 429, auth=False)
    call("GET", "/gateway/bot", 200)
    call("GET", "/gateway/bot", 401, auth=bad)
    call("GET", "/users/@me", 200)
    call("GET", "/users/@me", 401, auth=bad)
    call("GET", f"/users/{alice}", 200)
    call("GET", f"/users/{unknown}", 404)
    call("GET", "/applications/@me", 200)
    call("GET", "/applications/@me", 401, auth=bad)
    call("GET", "/oauth2/applications/@me", 200)
    call("GET", "/oauth2/applications/@me", 401, auth=bad)
    dm = call("POST", "/users/@me/channels", 200, {"recipient_id": alice})
    call("POST", "/users/@me/channels", 400, {})
    call("GET", f"/channels/{dm['id']}", 200)

    # Commands.
    ping = {"name": "ping", "description": "Answers pong", "options": [
        {"type": 3, "name": "word", "description": "What to echo", "required": True}]}
    call("PUT", f"/applications/{app_id}/commands", 200, [ping])
    call("PUT", f"/applications/{app_id}/commands", 400, [{"name": "Bad Name!", "description": ""}])
    call("GET", f"/applications/{app_id}/commands", 200)
    call("GET", f"/applications/{app_id}/commands", 401, auth=bad)
    call("PUT", f"/applications/{app_id}/guilds/{guild_id}/commands", 200,
         [{"name": "menu", "type": 3}, {"name": "queue", "description": "Shows the queue"}])
    call("PUT", f"/applications/{app_id}/guilds/{guild_id}/commands", 400, [{"name": "x" * 40, "description": "d"}])
    call("GET", f"/applications/{app_id}/guilds/{guild_id}/commands", 200)
    call("GET", f"/applications/{app_id}/guilds/{unknown}/commands", 404)

    # Channels and messages.
    call("GET", f"/channels/{general}", 200)
    call("GET", f"/channels/{lobby}", 200)
    call("GET", f"/channels/{unknown}", 404)
    message = call("POST", f"/channels/{general}/messages", 200, {
        "content": "hello", "embeds": [{"title": "t", "description": "d", "fields": [{"name": "n", "value": "v"}]}],
        "components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "Go", "custom_id": "go"}]}]})
    call("POST", f"/channels/{general}/messages", 400, {"content": "x" * 2001})
    call("GET", f"/channels/{general}/messages/{message['id']}", 200)
    call("GET", f"/channels/{general}/messages/{unknown}", 404)
    call("PATCH", f"/channels/{general}/messages/{message['id']}", 200, {"content": "edited"})
    call("PATCH", f"/channels/{general}/messages/{unknown}", 404, {"content": "edited"})
    call("GET", f"/channels/{general}/messages?limit=10", 200)
    call("GET", f"/channels/{unknown}/messages", 404)
    doomed = call("POST", f"/channels/{general}/messages", 200, {"content": "bye"})
    call("DELETE", f"/channels/{general}/messages/{doomed['id']}", 204)
    call("DELETE", f"/channels/{general}/messages/{doomed['id']}", 404)
    # Five messages per five seconds per channel: the sixth within the window is a 429.
    for _ in range(5):
        http("POST", f"{rest}/channels/{stage}/messages", {"content": "burst"}, f"Bot {token}")
    call("POST", f"/channels/{stage}/messages", 429, {"content": "one too many"})
    force("/channels/{channel_id}/messages", 429, method="POST", retry_after=0.5)
    call("POST", f"/channels/{general}/messages", 429, {"content": "limited"})

    # Guild.
    call("GET", f"/guilds/{guild_id}", 200)
    call("GET", f"/guilds/{unknown}", 404)
    call("GET", f"/guilds/{guild_id}/channels", 200)
    call("GET", f"/guilds/{unknown}/channels", 404)
    call("GET", f"/guilds/{guild_id}/roles", 200)
    call("GET", f"/guilds/{unknown}/roles", 404)
    created = call("POST", f"/guilds/{guild_id}/channels", 201, {"name": "scratch", "type": 0})
    call("POST", f"/guilds/{guild_id}/channels", 400, {"type": 0})
    call("DELETE", f"/channels/{created['id']}", 200)
    call("DELETE", f"/channels/{created['id']}", 404)
    call("PUT", f"/channels/{lobby}/voice-status", 204, {"status": "Now playing: lofi beats"})
    call("PUT", f"/channels/{lobby}/voice-status", 204, {"status": None})
    call("PUT", f"/channels/{lobby}/voice-status", 400, {"status": "x" * 501})
    call("PUT", f"/channels/{general}/voice-status", 400, {"status": "not a voice channel"})
    call("PUT", f"/channels/{unknown}/voice-status", 404, {"status": "nowhere"})
    call("GET", f"/guilds/{guild_id}/members?limit=100", 200)
    call("GET", f"/guilds/{unknown}/members", 404)
    call("GET", f"/guilds/{guild_id}/members/{bob}", 200)
    call("GET", f"/guilds/{guild_id}/members/{unknown}", 404)
    call("PATCH", f"/guilds/{guild_id}/members/{bob}", 200, {"nick": "Bobby"})
    call("PATCH", f"/guilds/{guild_id}/members/{alice}", 400, {"channel_id": lobby})
    call("PUT", f"/guilds/{guild_id}/members/{bob}/roles/{roles['DJ']}", 204)
    call("PUT", f"/guilds/{guild_id}/members/{bob}/roles/{unknown}", 404)
    call("DELETE", f"/guilds/{guild_id}/members/{bob}/roles/{roles['DJ']}", 204)
    call("DELETE", f"/guilds/{guild_id}/members/{bob}/roles/{unknown}", 404)
    return message


def drive_interactions(message):
    invoke = lambda: ctl("POST", "/interactions/commands", {
        "application_id": app_id, "channel_id": general, "user_id": alice, "name": "ping",
        "options": {"word": "hi"}})
    first = invoke()
    callback = f"/interactions/{first['id']}/{first['token']}/callback"
    call("POST", callback, 204, {"type": 5}, auth=False)
    call("POST", callback, 400, {"type": 4, "data": {"content": "again"}}, auth=False)
    call("POST", f"/interactions/{unknown}/nope/callback", 404, {"type": 4, "data": {"content": "x"}}, auth=False)
    hook = f"/webhooks/{app_id}/{first['token']}"
    call("PATCH", f"{hook}/messages/@original", 200, {"content": "pong hi"}, auth=False)
    call("GET", f"{hook}/messages/@original", 200, auth=False)
    followup = call("POST", hook, 200, {"content": "follow"}, auth=False)
    call("POST", hook, 400, {"content": "x" * 2001}, auth=False)
    call("GET", f"{hook}/messages/{followup['id']}", 200, auth=False)
    call("GET", f"{hook}/messages/{unknown}", 404, auth=False)
    call("PATCH", f"{hook}/messages/{followup['id']}", 200, {"content": "followed"}, auth=False)
    call("PATCH", f"{hook}/messages/{unknown}", 404, {"content": "x"}, auth=False)
    call("DELETE", f"{hook}/messages/{followup['id']}", 204, auth=False)
    call("DELETE", f"{hook}/messages/{followup['id']}", 404, auth=False)
    call("DELETE", f"{hook}/messages/@original", 204, auth=False)
    call("DELETE", f"{hook}/messages/@original", 404, auth=False)
    bad_hook = f"/webhooks/{app_id}/not-a-token"
    call("GET", f"{bad_hook}/messages/@original", 404, auth=False)
    call("PATCH", f"{bad_hook}/messages/@original", 404, {"content": "x"}, auth=False)
    second = invoke()
    call("POST", f"/interactions/{second['id']}/{second['token']}/callback?with_response=true", 200,
         {"type": 4, "data": {"content": "pong"}}, auth=False)
    third = invoke()
    call("POST", f"/interactions/{third['id']}/{third['token']}/callback", 204,
         {"type": 4, "data": {"content": "pong"}}, auth=False)
    # A button press on the bot's message: INTERACTION_CREATE carries the message.
    ctl("POST", "/interactions/components", {"message_id": message["id"], "user_id": alice, "custom_id": "go"})
    ctl("POST", f"/channels/{general}/messages", {"user_id": alice, "content": "hi bot"})
    ctl("PUT", f"/guilds/{guild_id}/voice/{alice}", {"channel_id": lobby})


def interaction_schema():
    """Discord's OpenAPI has no schema for the inbound interaction; this one follows the
    interaction object documented for Gateway v10 and points at the spec's own types."""
    snowflake = ref("SnowflakeType")
    member = {"allOf": [ref("GuildMemberResponse"), {"type": "object", "required": ["permissions"],
                                                      "properties": {"permissions": {"type": "string"}}}]}
    return {
        "type": "object",
        "required": ["id", "application_id", "type", "token", "version", "app_permissions", "entitlements",
                     "authorizing_integration_owners", "context", "attachment_size_limit", "locale",
                     "channel", "channel_id"],
        "properties": {
            "id": snowflake, "application_id": snowflake, "type": ref("InteractionTypes"),
            "token": {"type": "string"}, "version": {"const": 1}, "app_permissions": {"type": "string"},
            "guild_id": snowflake, "channel_id": snowflake, "locale": ref("AvailableLocalesEnum"),
            "guild_locale": ref("AvailableLocalesEnum"), "member": member, "user": ref("UserResponse"),
            "message": ref("MessageResponse"), "channel": {"oneOf": [ref("GuildChannelResponse"),
                                                                      ref("PrivateChannelResponse")]},
            "entitlements": {"type": "array"}, "context": ref("InteractionContextType"),
            "authorizing_integration_owners": {"type": "object", "additionalProperties": snowflake},
            "attachment_size_limit": {"type": "integer"},
        },
    }


def without_required(name, *dropped):
    schema = copy.deepcopy(schemas[name])
    schema["required"] = [field for field in schema["required"] if field not in dropped]
    return schema


def check_gateway():
    ready = events_named("READY")
    if not ready:
        failures.append("gateway: no READY")
        return
    ready = ready[0]
    check("READY user", ready["user"], ref("UserPIIResponse"))
    application = schemas["PrivateApplicationResponse"]["properties"]
    check("READY application", ready["application"], {
        "type": "object", "required": ["id", "flags"],
        "properties": {"id": application["id"], "flags": application["flags"]}})
    guild_create = next((d for d in events_named("GUILD_CREATE") if d["id"] == guild_id), None)
    if guild_create is None:
        failures.append("gateway: no GUILD_CREATE for the guild")
        return
    check("GUILD_CREATE guild", guild_create, ref("GuildResponse"))
    # GUILD_CREATE's channels and voice states omit guild_id (the guild is implied).
    for channel in guild_create["channels"]:
        check(f"GUILD_CREATE channel {channel.get('name')}", channel, without_required("GuildChannelResponse", "guild_id"))
    for member in guild_create["members"]:
        check("GUILD_CREATE member", member, ref("GuildMemberResponse"))
    for state in guild_create["voice_states"]:
        check("GUILD_CREATE voice state", state, without_required("VoiceStateResponse", "guild_id"))
    if not guild_create["voice_states"]:
        failures.append("GUILD_CREATE: the world has a user in voice, but voice_states is empty")
    for interaction in events_named("INTERACTION_CREATE"):
        check(f"INTERACTION_CREATE type {interaction.get('type')}", interaction, interaction_schema())
    partial_member = without_required("GuildMemberResponse", "user")
    for name in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
        for message in events_named(name):
            check(name, message, ref("MessageResponse"))
            if "member" in message:
                check(f"{name} member", message["member"], partial_member)
    for state in events_named("VOICE_STATE_UPDATE"):
        check("VOICE_STATE_UPDATE", state, ref("VoiceStateResponse"))
    for chunk in events_named("GUILD_MEMBERS_CHUNK"):
        for member in chunk["members"]:
            check("GUILD_MEMBERS_CHUNK member", member, ref("GuildMemberResponse"))
    for name in ("INTERACTION_CREATE", "MESSAGE_CREATE", "MESSAGE_UPDATE", "VOICE_STATE_UPDATE",
                 "GUILD_MEMBERS_CHUNK"):
        if not events_named(name):
            failures.append(f"gateway: the check caused no {name}")
    return len(events)


def mutation_self_test():
    """Each required field removed from each validated object must make validation fail."""
    mutated, missed = 0, []
    for label, body, schema in samples:
        target = body[0] if isinstance(body, list) and body else body
        if not isinstance(target, dict):
            continue
        resolved = schema
        while "$ref" in resolved:
            resolved = schemas[resolved["$ref"].rsplit("/", 1)[1]]
        if resolved.get("type") == ["array", "null"] or resolved.get("type") == "array":
            resolved = resolved["items"]
            while "$ref" in resolved:
                resolved = schemas[resolved["$ref"].rsplit("/", 1)[1]]
        for field in resolved.get("required", []):
            if field not in target:
                continue
            copy_ = copy.deepcopy(body)
            (copy_[0] if isinstance(copy_, list) else copy_).pop(field)
            mutated += 1
            if not errors_in(copy_, schema):
                missed.append(f"{label} without {field}")
    return mutated, missed


async def main():
    ready = asyncio.Event()
    session = asyncio.create_task(gateway(ready))
    await asyncio.wait_for(ready.wait(), 15)
    message = await asyncio.to_thread(drive_rest)
    await asyncio.to_thread(drive_interactions, message)
    await wait_for_event("INTERACTION_CREATE", lambda d: d.get("type") == 3)
    await wait_for_event("MESSAGE_CREATE", lambda d: d.get("content") == "hi bot")
    await wait_for_event("VOICE_STATE_UPDATE", lambda d: d.get("user_id") == alice)
    await wait_for_event("GUILD_MEMBERS_CHUNK")
    session.cancel()
    dispatches = check_gateway()

    served = {(m, t) for m, t in emulator_routes}
    statuses = {}
    for method, template, status in validated:
        statuses.setdefault((method, template), set()).add(status)
    for route in sorted(served):
        got = statuses.get(route, set())
        if not any(s < 300 for s in got):
            failures.append(f"{route[0]} {route[1]}: no success status validated")
        if not any(s >= 400 for s in got):
            failures.append(f"{route[0]} {route[1]}: no error status validated")
    mutated, missed = mutation_self_test()
    if mutated < 100:
        failures.append(f"self-test: only {mutated} mutated bodies")
    for miss in missed:
        failures.append(f"self-test: the validator accepted {miss}")
    if failures:
        print(f"FAIL: {len(failures)} differences from Discord's OpenAPI description:")
        for failure in failures:
            print(f"  - {failure}")
        sys.exit(1)
    print(f"PASS: {len(served)} routes, {len(validated)} route/status pairs validated against Discord's "
          f"OpenAPI ({len(samples)} objects incl. {dispatches} gateway dispatches); "
          f"{mutated} bodies with a required field removed were all rejected")


asyncio.run(main())
