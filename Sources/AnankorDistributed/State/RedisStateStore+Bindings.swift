import AnankorCore
import Foundation
import RedisKit

extension RedisStateStore {
    public func bind(_ session: SessionKey, to worker: WorkerID, cap: Int, now: Date) async throws -> BindOutcome {
        guard cap >= 1 else { throw StateStoreError(code: .invalidArgument, message: "cap must be ≥ 1, got \(cap)") }
        let nowMs = now.epochMilliseconds
        let reply = try await script(
            RedisStateScripts.bind, "bind \(session)", keys: [keys.bindings(session.guild), keys.boundWorkers(session.guild)],
            [session.channel.description, worker.description, cap, nowMs]
        ).elements
        switch reply.first?.string {
        case "bound":
            // The worker index lives in another slot; bindings(of:) repairs it if this step is lost.
            try await command("index binding", "SADD", keys.workerSessions(worker), session.description)
            return .bound(Binding(session: session, worker: worker, boundAt: Date(epochMilliseconds: nowMs)))
        case "existing" where reply.count == 2:
            let existing = try Self.binding(session.guild, channel: session.channel.description, reply[1].string)
            // Heals the index if the SADD after the original bind was lost (idempotent).
            try await command("index binding", "SADD", keys.workerSessions(existing.worker), session.description)
            return .existing(existing)
        case "workerBusy" where reply.count == 3:
            return .refused(.workerBusy(try Self.binding(session.guild, channel: reply[1].string, reply[2].string)))
        case "full":
            var busy: [Binding] = []
            for index in stride(from: 1, to: reply.count - 1, by: 2) {
                busy.append(try Self.binding(session.guild, channel: reply[index].string, reply[index + 1].string))
            }
            return .refused(.guildFull(cap: cap, busy: busy.sorted { $0.session.channel < $1.session.channel }))
        default:
            throw Self.corrupt("bind reply")
        }
    }

    public func unbind(_ session: SessionKey, ifBoundTo worker: WorkerID?) async throws -> Binding? {
        let reply = try await script(
            RedisStateScripts.unbind, "unbind \(session)", keys: [keys.bindings(session.guild), keys.boundWorkers(session.guild)],
            [session.channel.description, worker?.description ?? ""])
        guard let value = reply.string else { return nil }
        let binding = try Self.binding(session.guild, channel: session.channel.description, value)
        try await command("unindex binding", "SREM", keys.workerSessions(binding.worker), session.description)
        return binding
    }

    public func binding(for session: SessionKey) async throws -> Binding? {
        let value = try await command("read binding", "HGET", keys.bindings(session.guild), session.channel.description)
        guard let text = value.string else { return nil }
        return try Self.binding(session.guild, channel: session.channel.description, text)
    }

    public func bindings(in guild: GuildID) async throws -> [Binding] {
        let pairs = try await command("read bindings", "HGETALL", keys.bindings(guild)).pairs ?? []
        return try pairs.map { try Self.binding(guild, channel: $0.key.string, $0.value.string) }
            .sorted { $0.session.channel < $1.session.channel }
    }

    public func bindings(of worker: WorkerID) async throws -> [Binding] {
        let indexed = try await command("read worker sessions", "SMEMBERS", keys.workerSessions(worker)).elements
            .compactMap { $0.string.flatMap(SessionKey.init) }
        var result: [Binding] = []
        for session in indexed {
            if let binding = try await binding(for: session), binding.worker == worker {
                result.append(binding)
            } else {
                try await command("repair worker sessions", "SREM", keys.workerSessions(worker), session.description)
            }
        }
        return result.sorted { ($0.session.guild, $0.session.channel) < ($1.session.guild, $1.session.channel) }
    }

    /// Parses a bindings-hash value `worker:boundAtMs`.
    static func binding(_ guild: GuildID, channel: String?, _ value: String?) throws -> Binding {
        guard let channel = channel.flatMap(ChannelID.init), let value else { throw corrupt("binding") }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let worker = WorkerID(String(parts[0])), let millis = Int64(parts[1]) else {
            throw corrupt("binding")
        }
        return Binding(session: SessionKey(guild: guild, channel: channel), worker: worker,
                       boundAt: Date(epochMilliseconds: millis))
    }
}
