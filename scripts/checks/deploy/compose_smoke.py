"""Compose-as-processes smoke: reads deploy/compose.yaml and deploy/compose.run.yaml, starts
every Anankor service's command with its environment (interpolated like `docker compose` does)
as local processes, replicas included, against local stand-ins for the other services, and
checks every `/ready`: masters and the `run` process ready, as many workers ready as there are
worker tokens, the rest alive spares. Then stops everything with SIGTERM and requires a clean
exit (status 0, no error-level log line)."""

from __future__ import annotations

import json
import os
import re
import sys

import yaml

sys.path.insert(0, os.path.dirname(__file__))
from local_stack import BINARY, ROOT, LocalStack, Process, demo_world, fail, free_port, http, print_logs, wait_until

WORKER_TOKENS = 2
INTERPOLATION = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def interpolate(value: str, variables: dict[str, str], where: str) -> str:
    """Compose's rules: ${X}, ${X:-default}, ${X-default}, ${X:?error}, ${X?error}, $$."""
    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, argument = match.group(2), match.group(3) or ""
        present = name in variables
        value = variables.get(name, "")
        if operator in (":-", ":?") and value == "":
            present = False
        if present:
            return value
        if operator in (":-", "-"):
            return argument
        if operator in (":?", "?"):
            fail(f"{where}: ${{{name}}} is required ({argument})")
        return ""
    return INTERPOLATION.sub(replace, value)


def anankor_services(path: str) -> dict[str, dict]:
    with open(path) as handle:
        compose = yaml.safe_load(handle)
    services = {name: spec for name, spec in compose["services"].items()
                if str(spec.get("image", "")).startswith("anankor")}
    if not services:
        fail(f"{path} has no Anankor service")
    return services


def stand_ins(stack: LocalStack) -> dict[str, str]:
    """Compose service host:port → the local process standing in for it."""
    return {
        "redis:6379": f"127.0.0.1:{stack.redis_port}",
        "dynamodb:8000": f"127.0.0.1:{stack.moto_port}",
        "lavalink:2333": f"127.0.0.1:{stack.lavalink_port}",
        # Nothing reads traces here; a closed port stands in for the collector.
        "otel-collector:4318": f"127.0.0.1:{free_port()}",
    }


def process_environment(spec: dict, variables: dict[str, str], hosts: dict[str, str], where: str) -> dict[str, str]:
    environment = spec.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    resolved: dict[str, str] = {}
    for key, raw in environment.items():
        value = interpolate("" if raw is None else str(raw), variables, f"{where} {key}")
        for host, local in hosts.items():
            value = value.replace(f"//{host}", f"//{local}")
        if re.search(r"//(?!127\.0\.0\.1)[a-z][a-z0-9-]*:\d+", value):
            fail(f"{where} {key} points at a service with no local stand-in: {value!r}")
        resolved[key] = value
    return resolved


def start_service(stack: LocalStack, name: str, spec: dict, environment: dict[str, str]) -> tuple[Process, int]:
    port = free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": stack.directory, **environment,
           "DISCORD_API_URL": stack.rest_url, "ANANKOR_HTTP_HOST": "127.0.0.1", "ANANKOR_HTTP_PORT": str(port)}
    if "ANANKOR_STATE_PATH" in env:
        env["ANANKOR_STATE_PATH"] = os.path.join(stack.directory, f"{name}.sqlite")
    command = spec.get("command") or ["run"]
    if isinstance(command, str):
        command = command.split()
    return stack.spawn(name, [BINARY, *command], env=env), port


def ready(port: int) -> tuple[int, str]:
    return http(f"http://127.0.0.1:{port}/ready", timeout=2)


def smoke(stack: LocalStack, file: str, variables: dict[str, str], hosts: dict[str, str]) -> None:
    """Starts one compose file's Anankor services, checks them, stops them."""
    started: list[tuple[str, Process, int, str]] = []
    for name, spec in anankor_services(os.path.join(ROOT, file)).items():
        replicas = int((spec.get("deploy") or {}).get("replicas", 1))
        environment = process_environment(spec, variables, hosts, f"{file} {name}")
        for replica in range(1, replicas + 1):
            label = f"{os.path.basename(file)}:{name}-{replica}"
            process, port = start_service(stack, label.replace(":", "-"), spec, environment)
            started.append((label, process, port, name))
    print(f"  {file}: started " + ", ".join(label for label, _, _, _ in started), flush=True)
    try:
        def settled() -> bool:
            for label, process, _, _ in started:
                if process.popen.poll() is not None:
                    print_logs([process])
                    fail(f"{label} exited with status {process.popen.returncode}")
            statuses = [(name, ready(port)[0]) for _, _, port, name in started]
            workers = [status for name, status in statuses if name == "worker"]
            others = [status for name, status in statuses if name != "worker"]
            return all(status == 200 for status in others) and (not workers or workers.count(200) == WORKER_TOKENS)
        try:
            wait_until(f"{file}: every master and run process ready, one worker per token ready", settled, 120)
        except SystemExit:
            for label, _, port, _ in started:
                print(f"  {label}: /ready → {ready(port)}", file=sys.stderr)
            print_logs([process for _, process, _, _ in started] + stack.processes)
            raise
        for label, _, port, name in started:
            status, body = ready(port)
            health = http(f"http://127.0.0.1:{port}/health")[0]
            if health != 200:
                fail(f"{label}: /health answered {health}")
            if status == 200:
                print(f"  ok {label}: /ready 200 {body}")
            elif name == "worker" and json.loads(body).get("failing") == ["worker"]:
                print(f"  ok {label}: a spare (alive, /ready 503 {body})")
            else:
                fail(f"{label}: /ready {status} {body}")
            metrics = http(f"http://127.0.0.1:{port}/metrics")
            if metrics[0] != 200 or "# TYPE" not in metrics[1]:
                fail(f"{label}: /metrics answered {metrics[0]}")
        # A normal stop: SIGTERM, exit 0, and nothing logged at error level on the way out.
        for label, process, _, _ in reversed(started):
            code = process.stop(timeout=40)
            errors = [line for line in process.output().splitlines()
                      if '"level":"error"' in line or '"level":"critical"' in line]
            if code != 0 or errors:
                print_logs([process])
                fail(f"{label} did not stop cleanly: status {code}, error lines: {errors[:3]}")
        print(f"  ok {file}: {len(started)} processes stopped on SIGTERM with status 0 and no error-level line")
    finally:
        for _, process, _, _ in started:
            if process.exit_code is None:
                process.stop(timeout=15)


def main() -> int:
    stack = LocalStack(demo_world(WORKER_TOKENS))
    try:
        variables = {
            "DISCORD_MASTER_TOKEN": stack.tokens["Anankor"],
            **{f"DISCORD_WORKER_TOKEN_{n}": stack.tokens[f"Worker {n}"] for n in range(1, WORKER_TOKENS + 1)},
            "LAVALINK_PASSWORD": stack.lavalink_password,
            "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
            "GRAFANA_ADMIN_PASSWORD": "unused",
        }
        hosts = stand_ins(stack)
        for file in ("deploy/compose.yaml", "deploy/compose.run.yaml"):
            smoke(stack, file, variables, hosts)
    finally:
        stack.close()
    print("ok compose-as-processes smoke")
    return 0


if __name__ == "__main__":
    sys.exit(main())
