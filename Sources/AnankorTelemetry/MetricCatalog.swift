/// Every metric Anankor exposes, with the `# HELP` text `/metrics` prints for it
/// (docs/operations.md explains each). swift-metrics has no place for help text, so it lives
/// here, next to the exposition that adds it; a test checks that nothing is exposed without one.
public enum MetricCatalog {
    public static let help: [String: String] = [
        // Master: commands and interactions.
        "anankor_commands_total": "Commands and button presses answered, by command and outcome (ok, refused, invalid, error).",
        "anankor_command_refusals_total": "Commands refused with the member told why, by command and reason (the reply's message key: not in voice, nothing found, ...).",
        "anankor_command_seconds": "Time from receiving an interaction to its answer, by command.",
        "anankor_interactions_duplicate_total": "Interactions received again (another master or a gateway replay) and not answered twice.",
        "anankor_gateway_dispatches_total": "Gateway dispatch events the master received.",
        "anankor_guilds_cached": "Guilds in the master's cache.",
        "anankor_master_shards_owned": "Gateway shards this master holds a lease on and runs (all of them without leases).",
        "anankor_master_shard_changes_total": "Shard leases this master took, gave up to balance the masters, or lost, by change (taken, given_up, lost).",
        // Master: jobs, events, sessions, workers.
        "anankor_jobs_enqueued_total": "Jobs the master sent to workers, by kind.",
        "anankor_worker_events_total": "Worker events the master handled, by kind.",
        "anankor_events_redelivered_total": "Worker events delivered again because no master acknowledged them in time.",
        "anankor_bus_dead_letters": "Messages kept in the bus's dead-letter lists, by stream (jobs, events).",
        "anankor_interactions_in_hand": "Interactions the master is working on (running) and those acknowledged that wait for a turn (waiting).",
        "anankor_sessions_bound_total": "Music sessions bound to a worker.",
        "anankor_sessions_unbound_total": "Music sessions unbound from their worker (left, reclaimed, or the worker was lost).",
        "anankor_session_notices_total": "Notices posted because a session lost its worker, by notice (crash, kicked, moved, stopped).",
        "anankor_reconciled_total": "Repairs the master's reconciliation made, by repair (lost track end, worker offline, dead worker's player, stray player, replayed).",
        "anankor_session_conflicts_total": "Session inputs handled again because another master saved the session first.",
        "anankor_commands_not_carried_out_total": "Member commands whose job failed or was not acknowledged in time; the member was told.",
        "anankor_workers_alive": "Workers with a live heartbeat in the state store, as the master last saw them.",
        // Worker.
        "anankor_worker_jobs_total": "Jobs delivered to workers, by kind and outcome (done, failed, duplicate, retry).",
        "anankor_worker_job_seconds": "Time a worker spent executing a job, by kind.",
        "anankor_job_latency_seconds": "Time from a job being sent to its completion on the worker, by kind.",
        "anankor_jobs_redelivered_total": "Jobs delivered to a worker more than once, by kind.",
        "anankor_worker_sessions_active": "Voice sessions the worker bots of this process are in.",
        "anankor_sessions": "Voice sessions of this process's worker bots, by state (connecting, playing, paused, idle).",
        "anankor_worker_lease_held": "Worker bot token leases held by this process (0 for a spare).",
        // Gateway.
        "discord_gateway_heartbeat_latency_seconds": "Last gateway heartbeat round trip, by role (master, worker) and shard.",
        "discord_gateway_reconnects_total": "Gateway reconnects (resumes and new sessions), by role and shard.",
        // Lavalink nodes as the worker sees them.
        "anankor_lavalink_node_up": "1 when the worker's websocket to the Lavalink node is connected, by node.",
        "anankor_lavalink_node_players": "Players on the Lavalink node (its own stats), by node.",
        "anankor_lavalink_node_playing_players": "Players playing on the Lavalink node, by node.",
        "anankor_lavalink_node_cpu_load": "CPU load of the Lavalink node, by node and source (system, lavalink), 0 to 1 per core.",
        "anankor_lavalink_node_frames_sent": "Audio frames sent per minute by the Lavalink node, by node.",
        "anankor_lavalink_node_frames_nulled": "Audio frames nulled per minute by the Lavalink node, by node.",
        "anankor_lavalink_node_frames_deficit": "Audio frames missing per minute on the Lavalink node, by node.",
        "anankor_lavalink_node_penalty": "Load penalty the node pool uses to pick a node (lower is better), by node.",
        "anankor_lavalink_source_breaker_open": "1 while the breaker of a source (youtube, soundcloud, …) on a Lavalink node is open or half-open, 0 once closed, by node, source and role (master: searches, worker: players).",
        "anankor_lavalink_source_breaker_opened_total": "Times a source breaker opened after consecutive load failures or track exceptions, by node, source and role.",
        // Discord REST (DiscordKit).
        "discord_rest_requests_total": "Discord REST requests answered, by method, route template and status class.",
        "discord_rest_request_seconds": "Discord REST request time, one attempt, by method.",
        "discord_rest_rate_limited_total": "Discord REST 429 answers, by scope (user, global, shared).",
        "discord_rest_invalid_requests": "Invalid Discord REST requests (401, 403, 429 except shared) in the last 10 minutes; Discord bans an IP at 10000.",
        // Stores (RedisKit, DynamoKit).
        "redis_command_seconds": "Redis command time, by command (pipelines count once, as PIPELINE).",
        "redis_command_errors_total": "Redis commands that failed (connection or server error), by command.",
        "dynamodb_call_seconds": "DynamoDB call time including retries, by operation.",
        "dynamodb_call_errors_total": "DynamoDB calls that failed after retries, by operation.",
        "anankor_store_round_trips_total": "Calls the state store and ledger adapters sent (a Redis command, pipeline or script; a SQLite transaction; a DynamoDB request), by store (redis, sqlite, dynamodb), operation, and origin (periodic: heartbeats, leases, reconciliation passes; command: what commands and worker events cause).",
        // Process.
        "anankor_ready": "Readiness checks as of the last scrape, by check: 1 passing, 0 failing.",
        "anankor_build_info": "Always 1; the version label says which build runs.",
        "process_cpu_seconds_total": "CPU time the process used (user and system), in seconds.",
        "process_resident_memory_bytes": "Resident memory of the process, in bytes.",
        "process_virtual_memory_bytes": "Virtual memory of the process, in bytes.",
        "process_open_fds": "File descriptors the process has open.",
        "process_max_fds": "The process's limit of open file descriptors.",
        "process_start_time_seconds": "When the process started, in seconds since 1970.",
    ]

    /// Inserts `# HELP` before each `# TYPE` line of a text exposition that has none (a family
    /// registered with its own help keeps it). A family missing from the catalog gets a help line
    /// saying so, so it is visible rather than silent.
    public static func withHelp(_ exposition: String) -> String {
        var out = ""
        out.reserveCapacity(exposition.utf8.count + help.count * 80)
        var previous: Substring = ""
        for line in exposition.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { previous = line }
            if line.hasPrefix("# TYPE ") {
                let name = line.dropFirst(7).prefix { $0 != " " }
                if !previous.hasPrefix("# HELP \(name) ") {
                    let text = help[String(name)] ?? "Undocumented metric (missing from MetricCatalog)."
                    out += "# HELP \(name) \(text)\n"
                }
            }
            out += line
            out += "\n"
        }
        if out.hasSuffix("\n\n") { out.removeLast() }
        return out
    }
}
