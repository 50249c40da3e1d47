"""The shipped Prometheus config, alert rules and dashboard against a real Prometheus.

Runs promtool on deploy/prometheus (config, rules, rule unit tests), starts a distributed
Anankor (master + two workers, observability_cluster.py), starts Prometheus on a free loopback
port with deploy/prometheus/prometheus.yml whose targets are rewritten to these processes (same
job names, a 2 s scrape interval so the check is short), runs a short workload (/play, pause,
resume, queue, a 429, a gateway reconnect, heartbeats), then requires every target up, every
exposed metric family documented with # HELP, and every query of every panel of
deploy/grafana/dashboards/anankor.json to return data.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import yaml

from observability_cluster import ROOT, Cluster, free_port, http, wait_for

DEPLOY = os.path.join(ROOT, "deploy")


def run(arguments, cwd=None):
    print("$ " + " ".join(arguments))
    result = subprocess.run(arguments, cwd=cwd, capture_output=True, text=True)
    print(result.stdout + result.stderr)
    if result.returncode != 0:
        sys.exit(f"FAIL: {' '.join(arguments)} exited with {result.returncode}")


def promtool():
    prometheus_dir = os.path.join(DEPLOY, "prometheus")
    run(["promtool", "check", "config", "prometheus.yml"], cwd=prometheus_dir)
    run(["promtool", "check", "rules", "alerts.yml"], cwd=prometheus_dir)
    run(["promtool", "test", "rules", "alerts_test.yml"], cwd=prometheus_dir)


def rewritten_config(cluster, directory):
    with open(os.path.join(DEPLOY, "prometheus", "prometheus.yml")) as handle:
        config = yaml.safe_load(handle)
    config["global"]["scrape_interval"] = "2s"
    config["global"]["evaluation_interval"] = "2s"
    targets = {
        "anankor-master": [f"127.0.0.1:{cluster.master_port}"],
        "anankor-worker": [f"127.0.0.1:{port}" for port in cluster.worker_ports],
    }
    jobs = [job["job_name"] for job in config["scrape_configs"]]
    if sorted(jobs) != sorted(targets):
        sys.exit(f"FAIL: prometheus.yml has jobs {jobs}, expected {sorted(targets)}")
    for job in config["scrape_configs"]:
        # The shipped config finds compose replicas through DNS; here the processes are local.
        job.pop("dns_sd_configs", None)
        job["static_configs"] = [{"targets": targets[job["job_name"]]}]
    shutil.copy(os.path.join(DEPLOY, "prometheus", "alerts.yml"), directory)
    path = os.path.join(directory, "prometheus.yml")
    with open(path, "w") as handle:
        yaml.safe_dump(config, handle)
    return path


def query(base, expr):
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as response:
        answer = json.load(response)
    if answer["status"] != "success":
        raise RuntimeError(f"{expr}: {answer}")
    return answer["data"]["result"]


def workload(cluster):
    cluster.play()
    # One 429 on the text channel's message routes (the now-playing board's edits), a gateway
    # reconnect of the master, and heartbeats now rather than up to 41 s from now.
    http("POST", f"{cluster.discord_control}/faults/routes",
         {"path": f"/channels/{cluster.text_channel}/messages", "status": 429, "count": 1, "retry_after": 0.05})
    cluster.command("pause")
    cluster.command("resume")
    cluster.command("queue")
    cluster.command("play", {"query": "ytsearch:observability"})
    cluster.command("nowplaying")
    http("POST", f"{cluster.discord_control}/faults/reconnect", {"application_id": cluster.master_app["id"]})
    for app in cluster.world["applications"]:
        http("POST", f"{cluster.discord_control}/faults/heartbeat-request", {"application_id": app["id"]})


# Families an operator relies on (docs/operations.md), which must be served from start-up on.
REQUIRED = {
    "anankor_commands_total", "anankor_command_seconds", "anankor_sessions_unbound_total",
    "anankor_interactions_duplicate_total", "anankor_events_redelivered_total", "anankor_sessions",
    "anankor_workers_alive", "anankor_worker_lease_held", "anankor_jobs_redelivered_total",
    "anankor_bus_dead_letters", "anankor_job_latency_seconds", "discord_rest_rate_limited_total",
    "discord_rest_invalid_requests", "discord_gateway_heartbeat_latency_seconds", "discord_gateway_reconnects_total",
    "anankor_lavalink_node_players", "anankor_lavalink_node_penalty", "redis_command_seconds",
    "dynamodb_call_seconds", "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
    "process_start_time_seconds", "anankor_build_info",
}


def documented(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    families = [line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")]
    helped = {line.split()[2] for line in text.splitlines() if line.startswith("# HELP ")
              and "Undocumented metric" not in line}
    missing = [family for family in families if family not in helped]
    if missing:
        sys.exit(f"FAIL: port {port} exposes metrics without documented # HELP: {missing}")
    return set(families)


def main():
    promtool()
    directory = tempfile.mkdtemp(prefix="anankor-prometheus-")
    prometheus = None
    try:
        with Cluster(workers=2) as cluster:
            config = rewritten_config(cluster, directory)
            port = free_port()
            log = open(os.path.join(directory, "prometheus.log"), "w")
            prometheus = subprocess.Popen(
                ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={directory}/data",
                 f"--web.listen-address=127.0.0.1:{port}"],
                stdout=log, stderr=log, start_new_session=True)
            base = f"http://127.0.0.1:{port}"
            wait_for("Prometheus to answer", lambda: query(base, "vector(1)"), timeout=60)
            workload(cluster)

            def all_up():
                targets = query(base, "up")
                jobs = sorted(target["metric"]["job"] for target in targets if target["value"][1] == "1")
                return jobs == sorted(["anankor-master"] + ["anankor-worker"] * cluster.worker_count)

            try:
                wait_for("every target up", all_up, timeout=60)
            except RuntimeError as error:
                sys.exit(f"FAIL: {error}: {query(base, 'up')}")
            served = [documented(p) for p in [cluster.master_port] + cluster.worker_ports]
            families = sum(len(names) for names in served)
            absent = REQUIRED - set().union(*served)
            if absent:
                sys.exit(f"FAIL: no process serves {sorted(absent)}")

            with open(os.path.join(DEPLOY, "grafana", "dashboards", "anankor.json")) as handle:
                dashboard = json.load(handle)
            panels = [panel for panel in dashboard["panels"] if panel["type"] != "row"]
            pending = {(panel["title"], target["expr"]) for panel in panels for target in panel["targets"]}

            def drain():
                for item in sorted(pending):
                    if query(base, item[1]):
                        pending.discard(item)
                return not pending

            try:
                wait_for("data for every dashboard query", drain, timeout=120, interval=2)
            except RuntimeError:
                for title, expr in sorted(pending):
                    print(f"no data: [{title}] {expr}")
                cluster.dump_logs()
                sys.exit(f"FAIL: {len(pending)} dashboard queries returned no data")
            print(f"ok: promtool config/rules/tests passed; {1 + cluster.worker_count} targets up; "
                  f"{families} metric families, each with # HELP; "
                  f"{sum(len(panel['targets']) for panel in panels)} queries of {len(panels)} panels return data")
    finally:
        if prometheus is not None:
            prometheus.terminate()
            try:
                prometheus.wait(timeout=20)
            except subprocess.TimeoutExpired:
                prometheus.kill()
                prometheus.wait()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
