"""One /play is one trace across processes.

A small OTLP/HTTP collector (protobuf payloads decoded with opentelemetry-proto) receives the
spans of a real `anankor master` and two `anankor worker` processes (Redis, moto and the
emulators behind them). After alice runs /play, the trace whose root is the master's
`interaction play` span must hold spans of both processes, every span's parent must be in that
same trace, and the worker's `job music.voice.connect` must descend from the master's `send`
producer span, which descends from the interaction. The worker's log lines written during the
job carry the trace's id.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

from observability_cluster import Cluster, wait_for

spans = []
spans_lock = threading.Lock()


class Collector(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server protocol
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/v1/traces" or "protobuf" not in (self.headers.get("Content-Type") or ""):
            self.send_response(415 if self.path == "/v1/traces" else 404)
            self.end_headers()
            return
        request = trace_service_pb2.ExportTraceServiceRequest()
        request.ParseFromString(body)
        received = []
        for resource_spans in request.resource_spans:
            service = next((attr.value.string_value for attr in resource_spans.resource.attributes
                            if attr.key == "service.name"), "?")
            for scope in resource_spans.scope_spans:
                for span in scope.spans:
                    received.append({
                        "service": service,
                        "trace": span.trace_id.hex(),
                        "id": span.span_id.hex(),
                        "parent": span.parent_span_id.hex() or None,
                        "name": span.name,
                        "kind": span.kind,
                        "attributes": {attr.key: attr.value for attr in span.attributes},
                    })
        with spans_lock:
            spans.extend(received)
        answer = trace_service_pb2.ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def text(value):
    return value.string_value if value.HasField("string_value") else str(value.int_value)


def snapshot():
    with spans_lock:
        return list(spans)


def fail(message, cluster=None):
    print(f"FAIL: {message}")
    for span in snapshot():
        print(f"  {span['service']:15} trace={span['trace'][:8]} id={span['id'][:8]} "
              f"parent={(span['parent'] or '-')[:8]} {span['name']}")
    if cluster:
        cluster.dump_logs()
    sys.exit(1)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    with Cluster(workers=2, otlp_endpoint=endpoint) as cluster:
        cluster.play()

        def root():
            return next((span for span in snapshot() if span["service"] == "anankor-master"
                         and span["name"] == "interaction play"), None)

        interaction = wait_for("the master's `interaction play` span", root, timeout=30)
        trace = interaction["trace"]

        def complete():
            in_trace = [span for span in snapshot() if span["trace"] == trace]
            ids = {span["id"] for span in in_trace}
            services = {span["service"] for span in in_trace}
            names = {span["name"] for span in in_trace}
            orphans = [span for span in in_trace if span["parent"] and span["parent"] not in ids]
            wanted = {"job music.voice.connect", "voice join", "job music.playback.play"}
            if services >= {"anankor-master", "anankor-worker"} and wanted <= names and not orphans:
                return in_trace
            return None

        try:
            in_trace = wait_for("spans of both processes in the /play trace, every parent present", complete,
                                timeout=30)
        except RuntimeError as error:
            fail(str(error), cluster)
        by_id = {span["id"]: span for span in in_trace}

        roots = [span for span in in_trace if not span["parent"]]
        if roots != [interaction]:
            fail(f"the trace has roots {[span['name'] for span in roots]}, expected the interaction alone", cluster)
        attributes = {key: text(value) for key, value in interaction["attributes"].items()}
        expected = {"anankor.command": "play", "anankor.outcome": "ok", "anankor.guild.id": str(cluster.guild_id)}
        for key, value in expected.items():
            if attributes.get(key) != value:
                fail(f"interaction span attribute {key} = {attributes.get(key)!r}, expected {value!r}", cluster)

        def ancestors(span):
            chain = []
            while span["parent"]:
                span = by_id[span["parent"]]
                chain.append(span)
            return chain

        connect = next(span for span in in_trace if span["name"] == "job music.voice.connect")
        if connect["service"] != "anankor-worker":
            fail(f"`job music.voice.connect` came from {connect['service']}", cluster)
        parent = by_id[connect["parent"]]
        if parent["service"] != "anankor-master" or parent["name"] != "send music.voice.connect":
            fail(f"the worker's job span's parent is {parent['service']} {parent['name']!r}, "
                 "expected the master's `send music.voice.connect`", cluster)
        if interaction not in ancestors(connect):
            fail("the worker's job span does not descend from the interaction", cluster)
        join = next(span for span in in_trace if span["name"] == "voice join")
        if by_id[join["parent"]] is not connect:
            fail("`voice join` is not a child of the connect job", cluster)
        lavalink = [span for span in in_trace if span["name"].startswith("lavalink ")
                    and span["service"] == "anankor-worker"]
        if not lavalink:
            fail("no Lavalink REST span from the worker in the trace", cluster)
        stores = [span for span in in_trace if span["name"].startswith(("redis ", "dynamodb "))]
        if not stores:
            fail("no store span (redis, dynamodb) in the trace", cluster)

        time.sleep(1)
        worker_lines = []
        for name in ("worker-1", "worker-2"):
            for line in cluster.log_of(name).splitlines():
                try:
                    worker_lines.append(json.loads(line))
                except ValueError:
                    pass
        if not any(line.get("trace_id") == trace and line.get("span_id") for line in worker_lines):
            fail("no worker log line carries the /play trace's trace_id and a span_id", cluster)

        children = {}
        for span in in_trace:
            children.setdefault(span["parent"], []).append(span)

        def show(span, depth):
            print(f"  {'  ' * depth}{span['name']}  [{span['service']}]")
            for child in children.get(span["id"], []):
                show(child, depth + 1)

        show(interaction, 0)
        print(f"ok: /play is one trace ({trace}) of {len(in_trace)} spans, "
              f"{sum(span['service'] == 'anankor-worker' for span in in_trace)} from a worker; "
              f"job span {connect['id']} <- {parent['name']} <- interaction; "
              f"{len(lavalink)} Lavalink and {len(stores)} store spans; worker logs carry trace_id")
    server.shutdown()


if __name__ == "__main__":
    main()
