import AnankorCore
import AnankorTelemetry
import DiscordKit
import Foundation
import Logging
import Tracing

/// What every part of the master shares: clients, ports, the cache, the catalog and the clock.
/// A plain value of `Sendable` references; the state that matters lives in the ports.
struct MasterContext: Sendable {
    let configuration: MasterConfiguration
    let rest: DiscordREST
    let cache: GuildCache
    let bus: any JobBus
    let state: any StateStore
    let ledger: any Ledger
    /// Interaction claims (the ledger, or Redis in distributed mode).
    let claims: any IdempotencyStore
    /// Guild settings through a short-lived cache (read on nearly every command).
    let settings: GuildSettingsCache
    let tracks: TrackResolver
    let catalog: LocalizationCatalog
    let now: @Sendable () -> Date
    /// Every wait of the master (passes, patience, retries) sleeps on it: tests may pass their own.
    let clock: any Clock<Duration>
    let logger: Logger
    /// The worker bots' roles per guild, for their voice permissions (routing, the voice status).
    let workerRoles: WorkerRoles
    /// One warning per store outage, however many interactions it fails.
    let outage = OutageLog()
    /// What the master has finished, for supervisors and tests (`MasterService.progress`).
    let progress: MasterProgress

    func text(_ key: MessageKey, _ locale: AnankorCore.DiscordLocale, _ arguments: [String: String] = [:]) -> String {
        catalog.text(key, locale, arguments)
    }

    /// Sends a job to the worker bound to a session, stamped now.
    func send(_ job: Job, to worker: WorkerID) async throws {
        // A producer span whose context travels in the envelope: the worker's job span is its child.
        try await withSpan("send \(job.kind)", ofKind: .producer) { span in
            span.attributes[SpanAttributeName.jobKind] = job.kind
            span.attributes[SpanAttributeName.worker] = worker.description
            try await bus.send(JobEnvelope(body: job, trace: .current(), createdAt: now()), to: worker)
        }
        MasterMetrics.jobsEnqueued(kind: job.kind)
    }

    /// The effective session cap of a guild: the smaller of the operator's and the guild's own.
    func sessionCap(of guild: GuildID) async -> Int {
        let settings = try? await self.settings.settings(of: guild)
        return min(configuration.guildSessionCap, settings?.sessionCap ?? configuration.guildSessionCap)
    }

    /// The locale of posts in a guild's channels: its override, else the guild's own, else en-US.
    func channelLocale(of guild: GuildID) async -> AnankorCore.DiscordLocale {
        if let override = (try? await settings.settings(of: guild))?.localeOverride { return override }
        if let preferred = cache.preferredLocale(of: Snowflake(guild.rawValue)) {
            return AnankorCore.DiscordLocale(rawValue: preferred)
        }
        return .englishUS
    }

    /// Posts a plain notice in a channel; failures are logged, never thrown (a notice is best effort).
    @discardableResult
    func post(_ content: String, in channel: ChannelID) async -> MessageID? {
        do {
            let message = try await rest.createMessage(channelID: Snowflake(channel.rawValue),
                                                       MessageCreate(content: content, allowedMentions: .none))
            return MessageID(message.id.rawValue)
        } catch {
            logger.warning("could not post a notice", metadata: ["channel.id": "\(channel)", "error": "\(error)"])
            return nil
        }
    }

    func mention(channel: ChannelID) -> String { "<#\(channel)>" }
}
