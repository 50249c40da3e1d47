"""A distributed Anankor on one host for the observability checks (prometheus.sh, tracing.sh).

Starts, each on a free loopback port: redis-server, moto_server (DynamoDB), the Discord and
Lavalink emulators (`anankor emulate ...`), one `anankor master` and N `anankor worker`
processes, with a guild where member alice sits in a voice channel. `play()` runs /play as alice
through the emulator's control API and waits until she has her answer and a worker bot joined
her channel. `stop()` ends every process it started (also on errors: use it as a context
manager).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.path.join(ROOT, ".build", "debug", "anankor")
LAVALINK_PASSWORD = "observability-check"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(method, url, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        text = response.read().decode()
        return json.loads(text) if text.strip() else None


def wait_for(what, probe, timeout=90, interval=0.25):
    """Polls `probe` until it returns something truthy; raises naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = probe()
            if value:
                return value
        except Exception as error:  # noqa: BLE001 - any failure means "not yet"
            last_error = error
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout}s waiting for {what} (last error: {last_error})")


class Cluster:
    def __init__(self, workers=2, otlp_endpoint=None, extra_env=None):
        if not os.access(BINARY, os.X_OK):
            raise RuntimeError(f"{BINARY} is missing: run `swift build --product anankor` first")
        self.worker_count = workers
        self.otlp_endpoint = otlp_endpoint
        self.extra_env = extra_env or {}
        self.directory = tempfile.mkdtemp(prefix="anankor-observability-")
        self.processes = []
        self.master_port = None
        self.worker_ports = []

    # Processes

    def _spawn(self, name, arguments, env=None, read_lines=0):
        log = open(os.path.join(self.directory, f"{name}.log"), "w+")
        process = subprocess.Popen(arguments, env=env, stdout=subprocess.PIPE if read_lines else log,
                                   stderr=log, cwd=self.directory, start_new_session=True, text=True)
        self.processes.append((name, process, log))
        lines = []
        for _ in range(read_lines):
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"{name} exited before announcing itself; see {log.name}")
            lines.append(line.strip())
        return process, lines

    def log_of(self, name):
        for process_name, _, log in self.processes:
            if process_name == name:
                log.flush()
                with open(log.name) as handle:
                    return handle.read()
        return ""

    def start(self):
        redis_port = free_port()
        self._spawn("redis", ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", self.directory])
        moto_port = free_port()
        self._spawn("moto", ["moto_server", "-H", "127.0.0.1", "-p", str(moto_port)])
        _, discord_lines = self._spawn("discord", [BINARY, "emulate", "discord", "--port", "0"], read_lines=3)
        urls = dict(line.split(": ", 1) for line in discord_lines)
        self.discord_rest, self.discord_control = urls["rest"], urls["control"].rstrip("/")
        _, lavalink_lines = self._spawn("lavalink", [BINARY, "emulate", "lavalink", "--port", "0", "--password",
                                                     LAVALINK_PASSWORD, "--speed", "20",
                                                     "--player-update-interval", "1000"], read_lines=1)
        self.lavalink_url = lavalink_lines[0]
        wait_for("redis", lambda: socket.create_connection(("127.0.0.1", redis_port), timeout=1).close() or True)
        wait_for("moto", lambda: urllib.request.urlopen(f"http://127.0.0.1:{moto_port}/moto-api/", timeout=2))

        self.world = http("POST", f"{self.discord_control}/world", self._world())
        applications = {app["name"]: app for app in self.world["applications"]}
        self.master_app = applications["Anankor"]
        guild = self.world["guilds"][0]
        self.guild_id = guild["id"]
        channels = {channel["name"]: channel["id"] for channel in guild["channels"]}
        self.text_channel, self.voice_channel = channels["general"], channels["Music"]
        users = {user["username"]: user["id"] for user in self.world["users"]}
        self.alice = users["alice"]

        env = dict(os.environ)
        env.update({
            "DISCORD_API_URL": self.discord_rest,
            "DISCORD_MASTER_TOKEN": self.master_app["token"],
            "LAVALINK_URL": self.lavalink_url,
            "LAVALINK_PASSWORD": LAVALINK_PASSWORD,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "DYNAMODB_ENDPOINT": f"http://127.0.0.1:{moto_port}",
            "DYNAMODB_TABLE": "observability",
            "ANANKOR_LOG_FORMAT": "json",
            "ANANKOR_LOG_LEVEL": "info",
        })
        for index in range(self.worker_count):
            env[f"DISCORD_WORKER_TOKEN_{index + 1}"] = applications[f"Worker {index + 1}"]["token"]
        if self.otlp_endpoint:
            env["OTLP_ENDPOINT"] = self.otlp_endpoint
            # Export each batch within a second instead of five, so the check waits less.
            env["OTEL_BSP_SCHEDULE_DELAY"] = "500"
        env.update(self.extra_env)
        self.env = env

        self.master_port = free_port()
        self._spawn("master", [BINARY, "master", "--http-port", str(self.master_port)], env=env)
        # The master creates the DynamoDB table; workers start once it answers.
        wait_for("the master's /health", lambda: http("GET", f"http://127.0.0.1:{self.master_port}/health"))
        for index in range(self.worker_count):
            port = free_port()
            self.worker_ports.append(port)
            self._spawn(f"worker-{index + 1}", [BINARY, "worker", "--http-port", str(port)], env=env)
        for port in [self.master_port] + self.worker_ports:
            wait_for(f"/ready on port {port}", lambda port=port: self._ready(port), timeout=120)
        return self

    def _ready(self, port):
        try:
            return http("GET", f"http://127.0.0.1:{port}/ready", timeout=3)["ready"]
        except urllib.error.HTTPError:
            return False

    def _world(self):
        bots = ["Anankor"] + [f"Worker {index + 1}" for index in range(self.worker_count)]
        return {
            "applications": [{"name": name} for name in bots],
            "users": [{"username": "alice"}, {"username": "bob"}],
            "guilds": [{
                "name": "Observability",
                "owner": "alice",
                "everyone_permissions": "104324673",
                "channels": [{"name": "general", "type": 0}, {"name": "Music", "type": 2},
                             {"name": "Other", "type": 2}],
                "members": ["alice", "bob"] + [{"user": name} for name in bots],
                "voice_states": [{"user": "alice", "channel": "Music"}, {"user": "bob", "channel": "Other"}],
            }],
        }

    # Members acting

    def command(self, name, options=None, user=None, channel=None):
        """Runs a slash command; returns the interaction once it has an answer."""
        body = {"application_id": self.master_app["id"], "channel_id": channel or self.text_channel,
                "user_id": user or self.alice, "name": name}
        if options:
            body["options"] = [{"name": key, "type": 5 if isinstance(value, bool) else 3, "value": value}
                               for key, value in options.items()]
        sent = http("POST", f"{self.discord_control}/interactions/commands", body)
        return wait_for(f"an answer to /{name}",
                        lambda: self._answered(http("GET", f"{self.discord_control}/interactions/{sent['id']}")))

    @staticmethod
    def _answered(interaction):
        """The interaction once it has its answer: a message callback (type 4), or the edit or
        follow-up after a deferral (type 5 alone is "thinking…")."""
        for response in interaction.get("responses") or []:
            if response.get("kind") != "callback" or (response.get("body") or {}).get("type") == 4:
                return interaction
        return None

    def play(self, query="https://youtu.be/observability"):
        """/play as alice in her voice channel; returns once a worker bot is in that channel."""
        interaction = self.command("play", {"query": query})
        wait_for("a worker bot in alice's voice channel", self._bot_in_voice)
        return interaction

    def _bot_in_voice(self):
        guild = http("GET", f"{self.discord_control}/guilds/{self.guild_id}")
        bots = {user["id"] for user in self.world["users"] if user.get("bot")}
        return any(state.get("channel_id") == self.voice_channel and state.get("user_id") in bots
                   for state in guild.get("voice_states", []))

    # Stopping

    def stop(self):
        """Anankor first, gracefully (workers leave voice, the tracer flushes its last spans),
        then the emulators; redis and moto hold nothing worth a clean shutdown."""
        anankor = [entry for entry in self.processes if entry[0] == "master" or entry[0].startswith("worker")]
        rest = [entry for entry in self.processes if entry not in anankor]
        for group, sig in ((anankor, signal.SIGTERM), (rest, None)):
            for name, process, _ in group:
                if process.poll() is None:
                    try:
                        os.killpg(process.pid, sig or (signal.SIGKILL if name in ("redis", "moto") else signal.SIGTERM))
                    except ProcessLookupError:
                        pass
            deadline = time.monotonic() + 30
            for name, process, log in group:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    print(f"{name} did not stop within 30 s of SIGTERM; killing it")
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                log.close()
        self.processes = []

    def cleanup(self):
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.dump_logs()
            self.stop()
            raise

    def __exit__(self, kind, value, traceback):
        if kind is not None:
            self.dump_logs()
        self.stop()
        if kind is None:
            self.cleanup()

    def dump_logs(self, lines=40):
        for name, _, log in self.processes:
            log.flush()
            with open(log.name) as handle:
                tail = handle.read().splitlines()[-lines:]
            print(f"---- last lines of {name} ({log.name}) ----")
            print("\n".join(tail))
