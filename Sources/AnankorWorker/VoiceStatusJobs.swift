import AnankorCore
import DiscordKit
import Logging

/// `music.voice.status`: the current track under the voice channel's name. Best effort and never
/// a failure the members hear about: without Set Voice Channel Status (Discord's 50013) the job is
/// skipped with one log line, since the music plays all the same.
extension WorkerBot {
    func setVoiceStatus(_ job: VoiceStatusJob, logger: Logger) async throws {
        // A status for a channel the worker has since left for another is stale; a clear for the
        // channel it just left still goes out.
        if let current = await voice.session(in: job.session.guild), current.channel != job.session.channel {
            logger.info("voice status for another channel than the one the worker is in; ignored",
                        metadata: ["channel.id": "\(current.channel)"])
            return
        }
        // A status goes out beside the guild's jobs, the latest one winning: Discord allows a few
        // per channel every few seconds, and a status waiting for its turn must not hold up a
        // member's `/pause` or `/stop` behind it. A leave waits for it (`leave`).
        await voiceStatuses.update(job.session.channel, to: job.status.map { String($0.prefix(500)) })
    }
}

/// Sends voice channel statuses one channel at a time, the latest asked for winning over any not
/// yet sent. Best effort: a refusal is logged (without Set Voice Channel Status, one line).
///
/// The sends run in `run()`, a child of the worker's task tree: they end with the hold, and a
/// wait for a status never outlives the sender.
actor VoiceStatusSender {
    private let rest: DiscordREST
    private let logger: Logger
    private let channels: AsyncStream<ChannelID>
    private let channelsToSend: AsyncStream<ChannelID>.Continuation
    private var asked: [ChannelID: (status: String?, version: Int)] = [:]
    private var sent: [ChannelID: Int] = [:]
    private var sending: Set<ChannelID> = []
    private var waiters: [ChannelID: [(version: Int, id: Int, continuation: CheckedContinuation<Void, Never>)]] = [:]
    private var nextWaiter = 0
    private var version = 0
    private var stopped = false

    init(rest: DiscordREST, logger: Logger) {
        self.rest = rest
        self.logger = logger
        (channels, channelsToSend) = AsyncStream.makeStream(of: ChannelID.self)
    }

    /// Sends what is asked for until cancelled; then every wait for a status returns.
    func run() async {
        await withDiscardingTaskGroup { group in
            for await channel in channels {
                group.addTask { await self.send(channel) }
            }
        }
        stop()
    }

    private func stop() {
        stopped = true
        channelsToSend.finish()
        for (_, list) in waiters { for waiter in list { waiter.continuation.resume() } }
        waiters = [:]
    }

    /// Asks for `status` (nil clears it); returns the version to wait for.
    @discardableResult
    func update(_ channel: ChannelID, to status: String?) -> Int {
        guard !stopped else { return version }
        version += 1
        asked[channel] = (status, version)
        // One send loop per channel; it ends once nothing newer is asked for.
        if sending.insert(channel).inserted { channelsToSend.yield(channel) }
        return version
    }

    /// Returns once everything asked for the channel so far was sent or refused.
    func waitUntilSent(_ channel: ChannelID) async {
        guard let pending = asked[channel]?.version else { return }
        await waitUntilSent(channel, pending)
    }

    /// Returns once `version` (or a later one) of the channel's status was sent or refused, or the
    /// sender stopped.
    func waitUntilSent(_ channel: ChannelID, _ version: Int) async {
        guard !stopped, (sent[channel] ?? 0) < version else { return }
        nextWaiter += 1
        let id = nextWaiter
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled || stopped { return continuation.resume() }
                waiters[channel, default: []].append((version, id, continuation))
            }
        } onCancel: {
            Task { await self.stopWaiting(channel, id) }
        }
    }

    private func stopWaiting(_ channel: ChannelID, _ id: Int) {
        guard let index = waiters[channel]?.firstIndex(where: { $0.id == id }) else { return }
        waiters[channel]?.remove(at: index).continuation.resume()
    }

    private func send(_ channel: ChannelID) async {
        while !Task.isCancelled, let next = asked[channel], (sent[channel] ?? 0) < next.version {
            do {
                try await rest.setVoiceChannelStatus(channelID: Snowflake(channel.rawValue), status: next.status)
            } catch let error as DiscordRESTError where error.code == 50013 {
                logger.info("voice channel status skipped: the bot lacks Set Voice Channel Status there",
                            metadata: ["channel.id": "\(channel)"])
            } catch {
                logger.debug("voice channel status not set", metadata: ["channel.id": "\(channel)", "error": "\(error)"])
            }
            sent[channel] = next.version
            let done = (waiters[channel] ?? []).filter { $0.version <= next.version }
            waiters[channel] = (waiters[channel] ?? []).filter { $0.version > next.version }
            for waiter in done { waiter.continuation.resume() }
        }
        sending.remove(channel)
        if asked[channel]?.version == sent[channel] { asked[channel] = nil }
    }
}
