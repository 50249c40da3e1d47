import AnankorCore
import DiscordKit
import Foundation
import Logging

/// Executes due reminders from the `StateStore` schedule (DESIGN §5): each exactly once, whichever
/// worker claims it and however many crash on the way. The schedule hands an item to one claimant
/// at a time and gives it to another after the claim lease; the ledger's idempotency claim on the
/// item id makes sure a worker that posted and died before completing is not followed by a second
/// post. Only items for guilds this bot is in are acted on; others are left for a bot that is.
struct ReminderRunner: Sendable {
    let worker: WorkerID
    let holder: LeaseHolder
    let context: WorkerContext
    let rest: DiscordREST
    let logger: Logger

    /// How long a claimed reminder stays ours before another worker may take it.
    static let claimLease: Duration = .seconds(30)

    func run(every interval: Duration, on time: DiscordTimeSource) async {
        while !Task.isCancelled {
            await pass()
            do { try await time.sleep(interval) } catch { return }
        }
    }

    func pass() async {
        let claims: [ScheduleClaim]
        do {
            claims = try await context.state.claimDue(now: context.now(), limit: 16, claimant: holder,
                                                      lease: Self.claimLease)
        } catch {
            if !Task.isCancelled { logger.warning("could not read due reminders", metadata: ["error": "\(error)"]) }
            return
        }
        for claim in claims { await execute(claim) }
    }

    private func execute(_ claim: ScheduleClaim) async {
        guard let job = try? JSONDecoder().decode(ReminderPostJob.self, from: claim.item.payload) else {
            // Not a reminder this build understands: complete it so it does not come back forever.
            logger.warning("dropping an unreadable scheduled item", metadata: ["schedule.id": "\(claim.item.id)"])
            _ = try? await context.state.complete(claim)
            return
        }
        // Another bot must post in a guild this one is not in; the claim lapses and it gets it.
        guard (try? await context.state.guilds(of: worker))?.contains(job.guild) == true else { return }
        guard let key = IdempotencyKey("reminder:\(claim.item.id)") else { return }
        let now = context.now()
        let token: ClaimToken
        switch try? await context.ledger.claim(key, lease: Self.claimLease, now: now) {
        case .claimed(let claimed, _):
            token = claimed
        case .completed:
            _ = try? await context.state.complete(claim)  // posted before a crash: just finish up
            return
        case .inProgress, .none:
            return
        }
        do {
            try await post(job)
            try await context.ledger.complete(key, token: token, result: [], retention: .seconds(7 * 24 * 3600),
                                              now: context.now())
            _ = try await context.state.complete(claim)
            logger.info("reminder posted", metadata: ["schedule.id": "\(claim.item.id)", "lobby.id": "\(job.lobby)"])
        } catch {
            try? await context.ledger.release(key, token: token)
            logger.warning("could not post a reminder; it will be retried",
                           metadata: ["schedule.id": "\(claim.item.id)", "error": "\(error)"])
        }
    }

    /// Posts the reminder with everyone signed up (seated and bench) mentioned, read at posting
    /// time so late sign-ups are reminded too. A lobby that ended meanwhile gets no reminder.
    private func post(_ job: ReminderPostJob) async throws {
        var mentions = job.mentions
        if let lobby = try await context.state.lobby(job.lobby, in: job.guild) {
            guard lobby.state.isActive else { return }
            mentions = lobby.signedUp.map(\.user)
        }
        let line = mentions.map { "<@\($0)>" }.joined(separator: " ")
        let content = [job.content, line].filter { !$0.isEmpty }.joined(separator: " ")
        _ = try await rest.createMessage(channelID: Snowflake(job.channel.rawValue), MessageCreate(
            content: String(content.prefix(2000)),
            allowedMentions: AllowedMentions(parse: [], users: mentions.map { Snowflake($0.rawValue) })))
    }
}
