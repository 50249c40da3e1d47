"""The `anankor` binary as an operator meets it: exit statuses and the exact key named for each
configuration problem, --version, help texts, port validation, a busy port, line-buffered output,
sandbox script errors, doctor's verdict, and a clean stop with readable plain logs."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from local_stack import BINARY, ROOT, LocalStack, demo_world, fail, free_port, http, wait_until

BASE_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tempfile.gettempdir()}
passed = 0


def run(args: list[str], env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([BINARY, *args], env={**BASE_ENV, **(env or {})}, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def expect(name: str, condition: bool, detail: str = "") -> None:
    global passed
    if not condition:
        fail(f"{name}{': ' + detail if detail else ''}")
    passed += 1
    print(f"  ok {name}", flush=True)


def expect_config_error(name: str, args: list[str], env: dict[str, str], line: str) -> None:
    result = run(args, env)
    stderr = result.stderr.strip()
    expect(name, result.returncode == 78 and stderr.startswith(f"anankor: {line}") and "\n" not in stderr,
           f"status {result.returncode}, stderr {stderr!r}, expected a line starting with {line!r}")


def version_and_help() -> None:
    with open(os.path.join(ROOT, "CHANGELOG.md")) as handle:
        released = re.search(r"^## \[?(\d+\.\d+\.\d+)\]?", handle.read(), re.M)
    result = run(["--version"])
    expect("--version prints the release CHANGELOG.md names", result.returncode == 0 and released is not None
           and result.stdout.strip() == released.group(1), f"{result.stdout!r} vs {released and released.group(1)}")
    for command, keys in {
        "run": ["DISCORD_MASTER_TOKEN", "DISCORD_WORKER_TOKEN_1", "LAVALINK_URL", "ANANKOR_STATE_PATH", "ANANKOR_HTTP_HOST"],
        "master": ["DISCORD_MASTER_TOKEN", "REDIS_URL", "AWS_REGION", "DYNAMODB_TABLE"],
        "worker": ["DISCORD_WORKER_TOKEN_1", "REDIS_URL", "LAVALINK_NODES"],
    }.items():
        text = run([command, "--help"]).stdout
        missing = [key for key in keys + ["docs/configuration.md", "--http-port", "--http-host"] if key not in text]
        expect(f"{command} --help lists its environment variables and docs/configuration.md", not missing,
               f"missing {missing}")


def ports() -> None:
    result = run(["run", "--http-port", "70000"])
    expect("--http-port 70000 is refused (status 64, names the option)",
           result.returncode == 64 and "--http-port has the value 70000" in result.stderr, result.stderr)
    expect_config_error("ANANKOR_HTTP_PORT=99999 is refused by name", ["run"], {"ANANKOR_HTTP_PORT": "99999"},
                        'ANANKOR_HTTP_PORT has the value "99999", expected a whole number from 0 to 65535')
    expect_config_error("ANANKOR_HTTP_HOST is validated", ["worker"], {"ANANKOR_HTTP_HOST": "not an address"},
                        'ANANKOR_HTTP_HOST has the value "not an address"')


def configuration_errors() -> None:
    expect_config_error("run without a master token names DISCORD_MASTER_TOKEN", ["run"], {},
                        "DISCORD_MASTER_TOKEN is not set")
    expect_config_error("LAVALINK_NODES errors say which node and what", ["run"],
                        {"LAVALINK_NODES": "http://:secret-one@ll-1:2333,http://ll-2:2333"},
                        'LAVALINK_NODES: node 2 of 2 ("http://ll-2:2333") has no password')
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        handle.write('{"ANANKOR_GUILD_SESSION_CAP": 4,\n "DYNAMODB_TABLE": }\n')
    try:
        result = run(["doctor"], {"ANANKOR_CONFIG_FILE": handle.name})
        expect("a bad config file is a human JSON error naming ANANKOR_CONFIG_FILE",
               result.returncode == 78 and f"ANANKOR_CONFIG_FILE: {handle.name} is not valid JSON" in result.stderr
               and "NSCocoaErrorDomain" not in result.stderr and "Code=" not in result.stderr, result.stderr)
    finally:
        os.unlink(handle.name)


def doctor(stack: LocalStack) -> None:
    result = run(["doctor"])
    lines = result.stdout.strip().splitlines()
    expect("doctor with nothing configured fails (status 1) and does not say 'no problems'",
           result.returncode == 1 and lines and lines[-1] == "3 problems found" and "no problems" not in result.stdout,
           result.stdout)
    result = run(["doctor"], {"REDIS_URL": f"redis://127.0.0.1:{stack.redis_port}"})
    redis = [line for line in result.stdout.splitlines() if line.startswith("ok      Redis:")]
    expect("doctor's Redis line is human", len(redis) == 1 and "reachable, answers PING (Redis " in redis[0]
           and "simpleString" not in result.stdout, result.stdout)


def tokens(stack: LocalStack) -> None:
    env = {"DISCORD_API_URL": stack.rest_url, "LAVALINK_URL": f"http://127.0.0.1:{stack.lavalink_port}",
           "LAVALINK_PASSWORD": stack.lavalink_password, "ANANKOR_HTTP_PORT": str(free_port()),
           "ANANKOR_STATE_PATH": os.path.join(stack.directory, "tokens.sqlite")}
    wrong = "MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.wrongwrongwrongwrongwrongwrong12"
    expect_config_error("a wrong worker token stops run and names its key", ["run"],
                        {**env, "DISCORD_MASTER_TOKEN": stack.tokens["Anankor"], "DISCORD_WORKER_TOKEN_1": wrong},
                        "DISCORD_WORKER_TOKEN_1 was refused by Discord (401 Unauthorized)")
    expect_config_error("a wrong master token names DISCORD_MASTER_TOKEN", ["run"],
                        {**env, "DISCORD_MASTER_TOKEN": wrong, "DISCORD_WORKER_TOKEN_1": stack.tokens["Worker 1"]},
                        "DISCORD_MASTER_TOKEN was refused by Discord (401 Unauthorized)")
    expect_config_error("commands sync with a wrong master token names DISCORD_MASTER_TOKEN", ["commands", "sync"],
                        {**env, "DISCORD_MASTER_TOKEN": wrong}, "DISCORD_MASTER_TOKEN was refused by Discord")
    for line in (run(["run"], {**env, "DISCORD_MASTER_TOKEN": wrong, "DISCORD_WORKER_TOKEN_1": wrong}).stderr,):
        expect("a refused token is never printed", wrong not in line, line)


def busy_port_and_clean_stop(stack: LocalStack) -> None:
    env = {"DISCORD_API_URL": stack.rest_url, "LAVALINK_URL": f"http://127.0.0.1:{stack.lavalink_port}",
           "LAVALINK_PASSWORD": stack.lavalink_password, "DISCORD_MASTER_TOKEN": stack.tokens["Anankor"],
           "DISCORD_WORKER_TOKEN_1": stack.tokens["Worker 1"], "ANANKOR_HTTP_HOST": "127.0.0.1",
           "ANANKOR_STATE_PATH": os.path.join(stack.directory, "run.sqlite"), "ANANKOR_LOG_FORMAT": "plain"}
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        result = run(["run"], {**env, "ANANKOR_HTTP_PORT": str(port)})
    expect("a busy port is one clear line (status 78)", result.returncode == 78
           and result.stderr.strip() == f"anankor: 127.0.0.1:{port} is already in use (ANANKOR_HTTP_PORT): stop the other "
           "process or choose another port" and "bind(" not in result.stdout + result.stderr,
           f"{result.returncode} {result.stderr!r} {result.stdout[-400:]!r}")

    port = free_port()
    process = subprocess.Popen([BINARY, "run"], env={**BASE_ENV, **env, "ANANKOR_HTTP_PORT": str(port)}, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until("anankor run becomes ready", lambda: http(f"http://127.0.0.1:{port}/ready")[0] == 200, 90)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=40)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    lines = output.splitlines()
    expect("anankor run stops on SIGTERM with status 0", process.returncode == 0, output[-2000:])
    bad = [line for line in lines if " ERROR " in line or " CRITICAL " in line or "CancellationError" in line
           or "Already closed" in line]
    expect("a normal stop logs no error, no CancellationError, no 'Already closed'", not bad, "\n".join(bad[:5]))
    epoch = [line for line in lines if re.match(r"^\d{9,}\.\d+ ", line)]
    iso = [line for line in lines if re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [A-Z]+ ", line)]
    expect("plain logs start with a calendar time, not epoch seconds", lines and not epoch and len(iso) == len(
        [line for line in lines if line.strip()]), "\n".join(lines[:3]))


def sandbox() -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("alice: joins Lounge\nthis is not a step\n")
    try:
        result = run(["sandbox", "--script", handle.name])
        expect("a sandbox script error is one clear line, not the usage (status 65)",
               result.returncode == 65 and result.stderr.startswith(f"anankor sandbox: {handle.name}: line ")
               and "USAGE" not in result.stderr.upper(), f"{result.returncode} {result.stderr!r}")
    finally:
        os.unlink(handle.name)
    result = run(["sandbox", "--script", "/nonexistent/scenario.txt"])
    expect("a missing sandbox script says so (status 66)", result.returncode == 66
           and "cannot read the script file /nonexistent/scenario.txt" in result.stderr and "USAGE" not in result.stderr.upper(),
           result.stderr)
    # Into a pipe, the welcome text must arrive while the sandbox runs, not at exit.
    process = subprocess.Popen([BINARY, "sandbox", "--discord-port", "0", "--lavalink-port", "0"], env=BASE_ENV, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 90
        first = ""
        while time.monotonic() < deadline and not first.startswith("Anankor sandbox is"):
            first = process.stdout.readline()
            if first == "" and process.poll() is not None:
                break
        expect("sandbox output reaches a pipe line by line while it runs",
               first.startswith("Anankor sandbox is") and process.poll() is None, repr(first))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> int:
    version_and_help()
    ports()
    configuration_errors()
    sandbox()
    stack = LocalStack(demo_world(1))
    try:
        doctor(stack)
        tokens(stack)
        busy_port_and_clean_stop(stack)
    finally:
        stack.close()
    print(f"ok CLI: {passed} checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
