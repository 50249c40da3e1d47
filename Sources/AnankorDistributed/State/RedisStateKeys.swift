import AnankorCore

/// The Redis key layout (docs/state.md). Keys one script touches together share a hash tag.
struct RedisStateKeys: Sendable {
    let prefix: String

    private func guildKey(_ guild: GuildID, _ suffix: String) -> String { "\(prefix){g:\(guild)}:\(suffix)" }


    func lobby(_ guild: GuildID, _ id: LobbyID) -> String { guildKey(guild, "lobby:\(id)") }
    func openLobbies(_ guild: GuildID) -> String { guildKey(guild, "lobbies") }

    // Session records and their indexes share one hash tag: a save checks the version and moves
    // the binding between two workers' indexes and the due set in one script, which Redis Cluster
    // runs only on keys of one slot.
    func sessionRecord(_ session: SessionKey) -> String { "\(prefix){sr}:rec:\(session)" }
    func sessionsBound(_ guild: GuildID) -> String { "\(prefix){sr}:bound:\(guild)" }
    var sessionsOfWorkerPrefix: String { "\(prefix){sr}:worker:" }
    func sessionsOfWorker(_ worker: WorkerID) -> String { sessionsOfWorkerPrefix + worker.description }
    var sessionsDue: String { "\(prefix){sr}:due" }

    func lease(_ name: LeaseName) -> String { "\(prefix){coord}:lease:\(name)" }
    var workerExpiry: String { "\(prefix){coord}:worker-exp" }
    var workerInfo: String { "\(prefix){coord}:worker-info" }
    func guildsOfWorker(_ worker: WorkerID) -> String { "\(prefix){coord}:wg:\(worker)" }
    var workersOfGuildPrefix: String { "\(prefix){coord}:gw:" }
    func workersOfGuild(_ guild: GuildID) -> String { workersOfGuildPrefix + guild.description }
    /// Hash: worker → its roles in the guild, comma-separated.
    var workerRolesPrefix: String { "\(prefix){coord}:gr:" }
    func workerRoles(in guild: GuildID) -> String { workerRolesPrefix + guild.description }

    var scheduleReady: String { "\(prefix){sched}:ready" }
    var scheduleItems: String { "\(prefix){sched}:items" }
    var scheduleClaims: String { "\(prefix){sched}:claims" }
    var scheduleGroupPrefix: String { "\(prefix){sched}:group:" }
    var scheduleKeys: [String] { [scheduleReady, scheduleItems, scheduleClaims] }

    func resume(_ key: ResumeKey) -> String { "\(prefix)resume:\(key.bot):\(key.shard)" }
}
