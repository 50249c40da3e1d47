"""Local stand-ins for what deploy/compose.yaml runs in containers: the Discord and Lavalink
emulators (`anankor emulate …`), a real redis-server and moto_server (standing in for DynamoDB
Local), each on a free loopback port, all stopped by `close()`."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BINARY = os.path.join(ROOT, ".build", "debug", "anankor")


def fail(message: str) -> None:
    print(f"FAIL {message}", flush=True)
    raise SystemExit(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(url: str, method: str = "GET", body: object | None = None, timeout: float = 5) -> tuple[int, str]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
        return 0, ""


def wait_until(what: str, condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    fail(f"{what} (waited {timeout:.0f} s)")


class Process:
    """A child process whose output goes to a log file, stopped with SIGTERM (then SIGKILL)."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str] | None = None, log_dir: str = "") -> None:
        self.name = name
        self.log_path = os.path.join(log_dir, f"{name}.log")
        self.log = open(self.log_path, "w+")
        self.popen = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                                      start_new_session=True)
        self.exit_code: int | None = None

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path) as handle:
            return handle.read()

    def stop(self, timeout: float = 30) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                print(f"  {self.name} ignored SIGTERM for {timeout:.0f} s; killed", flush=True)
                self.popen.kill()
                self.popen.wait()
        self.exit_code = self.popen.returncode
        self.log.close()
        return self.exit_code


class LocalStack:
    def __init__(self, world: dict) -> None:
        for tool in ("redis-server", "moto_server"):
            if shutil.which(tool) is None:
                fail(f"{tool} is not installed (scripts/test installs it)")
        if not os.access(BINARY, os.X_OK):
            fail(f"{BINARY} is missing (swift build --product anankor)")
        self.directory = tempfile.mkdtemp(prefix="anankor-deploy-")
        self.processes: list[Process] = []
        self.lavalink_password = f"smoke-{os.getpid()}-{int(time.time())}"
        try:
            self._start(world)
        except BaseException:
            self.close()
            raise

    def spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Process:
        process = Process(name, argv, env=env, log_dir=self.directory)
        self.processes.append(process)
        return process

    def _start(self, world: dict) -> None:
        self.redis_port = free_port()
        self.spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"])
        self.moto_port = free_port()
        self.spawn("moto", ["moto_server", "-H", "127.0.0.1", "-p", str(self.moto_port)])
        world_path = os.path.join(self.directory, "world.json")
        with open(world_path, "w") as handle:
            json.dump(world, handle)
        self.discord_port = free_port()
        discord = self.spawn("discord-emulator", [BINARY, "emulate", "discord", "--port", str(self.discord_port),
                                                  "--world", world_path])
        self.lavalink_port = free_port()
        self.spawn("lavalink-emulator", [BINARY, "emulate", "lavalink", "--port", str(self.lavalink_port),
                                         "--password", self.lavalink_password])
        base = f"http://127.0.0.1:{self.discord_port}"
        wait_until("the Discord emulator answers", lambda: http(f"{base}/_emulator/info")[0] == 200, 60)
        wait_until("the Lavalink emulator answers",
                   lambda: http(f"http://127.0.0.1:{self.lavalink_port}/version")[0] in (200, 401), 60)
        wait_until("redis-server listens", lambda: self._listening(self.redis_port), 30)
        wait_until("moto_server listens", lambda: self._listening(self.moto_port), 60)
        info = json.loads(http(f"{base}/_emulator/info")[1])
        self.rest_url = info["rest_url"]
        self.control_url = info["control_url"]
        applications = json.loads(http(f"{self.control_url}/world")[1])["applications"]
        self.tokens = {application["name"]: application["token"] for application in applications}
        if discord.popen.poll() is not None:
            fail("the Discord emulator exited:\n" + discord.output())

    @staticmethod
    def _listening(port: int) -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.exit_code is None:
                process.stop(timeout=15)
        shutil.rmtree(self.directory, ignore_errors=True)


def demo_world(workers: int) -> dict:
    """A guild with the master bot, `workers` worker bots and two members in voice."""
    bots = ["Anankor"] + [f"Worker {n}" for n in range(1, workers + 1)]
    return {
        "applications": [{"name": name} for name in bots],
        "users": [{"username": "alice"}, {"username": "bob"}],
        "guilds": [{
            "name": "Self-hosted", "owner": "alice",
            "channels": [{"name": "general", "type": 0}, {"name": "Lounge", "type": 2},
                         {"name": "Studio", "type": 2}],
            "members": ["alice", "bob"] + bots,
        }],
    }


def print_logs(processes: list[Process], lines: int = 40) -> None:
    for process in processes:
        tail = process.output().splitlines()[-lines:]
        print(f"--- {process.name} (last {len(tail)} lines)", file=sys.stderr)
        for line in tail:
            print(f"    {line}", file=sys.stderr)
