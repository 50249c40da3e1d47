"""Follows docs/self-hosting.md against local stand-ins: the env file it shows (with the
emulators' tokens and addresses filled in), then every block marked `<!-- checked -->` in order,
run by bash as written. `anankor run|master|worker` lines start background processes (stopped at
the end); every other line must exit 0. Loopback addresses and `--http-port` numbers in the guide
are mapped to the local stand-ins (Lavalink 2333, Redis 6379, DynamoDB 8000) or to free ports."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from local_stack import BINARY, ROOT, LocalStack, Process, demo_world, fail, free_port, print_logs

GUIDE = os.path.join(ROOT, "docs", "self-hosting.md")
BLOCK = re.compile(r"<!-- (checked|env-file)(?:: ([a-z-]+))? -->\n```sh\n(.*?)```", re.S)
SERVICE_LINE = re.compile(r"^anankor (run|master|worker)\b")


def main() -> int:
    with open(GUIDE) as handle:
        guide = handle.read()
    blocks = BLOCK.findall(guide)
    if not any(kind == "env-file" for kind, _, _ in blocks) or sum(kind == "checked" for kind, _, _ in blocks) < 4:
        fail("docs/self-hosting.md lost its checked blocks")
    stack = LocalStack(demo_world(2))
    services: list[Process] = []
    try:
        ports = {"2333": str(stack.lavalink_port), "6379": str(stack.redis_port), "8000": str(stack.moto_port)}

        def mapped(text: str) -> str:
            def local(match: re.Match) -> str:
                number = match.group(2)
                if number not in ports:
                    ports[number] = str(free_port())
                return match.group(1) + ports[number]
            return re.sub(r"(127\.0\.0\.1:|--http-port )(\d+)", local, text)

        bin_dir = os.path.join(stack.directory, "bin")
        os.makedirs(bin_dir)
        os.symlink(BINARY, os.path.join(bin_dir, "anankor"))
        values = {
            "DISCORD_MASTER_TOKEN": stack.tokens["Anankor"], "DISCORD_WORKER_TOKEN_1": stack.tokens["Worker 1"],
            "DISCORD_WORKER_TOKEN_2": stack.tokens["Worker 2"], "LAVALINK_PASSWORD": stack.lavalink_password,
            "ANANKOR_STATE_PATH": os.path.join(stack.directory, "anankor.sqlite"),
        }
        # The guide relies on the default port (9090) where it passes none.
        ports["9090"] = str(free_port())
        environment = {"PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": stack.directory,
                       "DISCORD_API_URL": stack.rest_url, "ANANKOR_HTTP_HOST": "127.0.0.1",
                       "ANANKOR_HTTP_PORT": ports["9090"]}
        for kind, name, body in blocks:
            if kind == "env-file":
                for line in body.splitlines():
                    key, _, value = line.partition("=")
                    if not key or key.startswith("#"):
                        continue
                    environment[key] = values.get(key, mapped(value))
                print(f"  ok env file: {', '.join(sorted(k for k in environment if k.isupper() and k not in ('PATH', 'HOME')))}")
                continue
            if name == "distributed":
                # Section 7's settings, with Redis and DynamoDB standing in locally.
                environment.update({"REDIS_URL": mapped("redis://127.0.0.1:6379"), "AWS_REGION": "us-east-1",
                                    "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                                    "DYNAMODB_TABLE": "anankor-guide", "DYNAMODB_ENDPOINT": mapped("http://127.0.0.1:8000")})
                # The single-process run of section 6 has stopped before the distributed shape starts.
                for process in services:
                    if process.stop(timeout=40) != 0:
                        print_logs([process])
                        fail(f"{process.name} did not stop cleanly")
                services.clear()
            for line in body.splitlines():
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                command = mapped(line)
                if SERVICE_LINE.match(command):
                    argv = shlex.split(command)
                    process = stack.spawn(f"guide-{len(services) + 1}-{argv[1]}", [BINARY, *argv[1:]], env=environment)
                    services.append(process)
                    print(f"  started: {line}", flush=True)
                    continue
                result = subprocess.run(["bash", "-euo", "pipefail", "-c", command], env=environment, cwd=stack.directory,
                                        capture_output=True, text=True, timeout=120)
                if result.returncode != 0:
                    print_logs(services + stack.processes)
                    fail(f"docs/self-hosting.md: `{line}` exited {result.returncode}\n{result.stdout}{result.stderr}")
                last = (result.stdout.strip().splitlines() or [""])[-1]
                print(f"  ok `{line}` → {last[:100]}", flush=True)
        for process in services:
            if process.popen.poll() is not None:
                print_logs([process])
                fail(f"{process.name} exited early")
    finally:
        stack.close()
    print("ok docs/self-hosting.md followed against the emulators")
    return 0


if __name__ == "__main__":
    sys.exit(main())
