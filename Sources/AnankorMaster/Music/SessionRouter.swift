import AnankorCore
import DiscordKit
import Foundation

/// Picks and binds the worker for a session (DESIGN §4 "Routing a command"): the bound one if
/// any; otherwise a live worker that is in the guild and free there, preferring the one last used
/// in the channel, then the least loaded. The bind is atomic in the `StateStore`, so two masters
/// racing for the same worker or the last free slot cannot both win.
struct SessionRouter: Sendable {
    enum Route: Sendable {
        case bound(Binding, isNew: Bool)
        /// Nobody can take the session: the localized reply to give.
        case refused(InvocationProblem)
    }

    let context: MasterContext

    func route(_ session: SessionKey) async throws -> Route {
        if let binding = try await context.state.binding(for: session) { return .bound(binding, isNew: false) }
        let now = context.now()
        let cap = await context.sessionCap(of: session.guild)
        let busy = try await context.state.bindings(in: session.guild)
        if busy.count >= cap { return .refused(await capReached(session: session, cap: cap, busy: busy)) }
        var candidates = try await candidates(for: session, busy: busy, now: now)
        while let worker = candidates.first {
            candidates.removeFirst()
            switch try await context.state.bind(session, to: worker, cap: cap, now: now) {
            case .bound(let binding):
                try? await context.ledger.recordAffinity(WorkerAffinity(session: session, worker: worker, lastUsed: now))
                MasterMetrics.sessionBound()
                return .bound(binding, isNew: true)
            case .existing(let binding):
                return .bound(binding, isNew: false)
            case .refused(.guildFull(let cap, let busy)):
                return .refused(await capReached(session: session, cap: cap, busy: busy))
            case .refused(.workerBusy):
                continue  // another master bound it elsewhere a moment ago: try the next one
            }
        }
        let nowBusy = try await context.state.bindings(in: session.guild)
        var problem = InvocationProblem(.musicNoFreeWorker, [
            "channel": context.mention(channel: session.channel), "channels": channelList(nowBusy),
        ])
        problem.followUps = await inviteSuggestion(for: session.guild, cap: cap)
        return .refused(problem)
    }

    /// Live workers in the guild and not playing elsewhere in it: affinity first, then by load.
    func candidates(for session: SessionKey, busy: [Binding], now: Date) async throws -> [WorkerID] {
        let live = try await context.state.liveWorkers(now: now)
        let members = try await context.state.workers(in: session.guild)
        let taken = Set(busy.map(\.worker))
        var free = live.filter { members.contains($0.worker) && !taken.contains($0.worker) }
        free.sort { ($0.load, $0.worker.rawValue) < ($1.load, $1.worker.rawValue) }
        if let affinity = try? await context.ledger.affinity(session),
            let index = free.firstIndex(where: { $0.worker == affinity.worker })
        {
            free.insert(free.remove(at: index), at: 0)
        }
        return free.map(\.worker)
    }

    private func capReached(session: SessionKey, cap: Int, busy: [Binding]) async -> InvocationProblem {
        var problem = InvocationProblem(.musicSessionCapReached, ["cap": "\(cap)", "channels": channelList(busy)])
        problem.followUps = await inviteSuggestion(for: session.guild, cap: cap)
        return problem
    }

    private func channelList(_ busy: [Binding]) -> String {
        busy.isEmpty ? "—" : busy.map { context.mention(channel: $0.session.channel) }.joined(separator: ", ")
    }

    /// While the guild has fewer worker bots than its cap, an invite link for one that is not there
    /// yet: one more bot is one more channel with music.
    private func inviteSuggestion(for guild: GuildID, cap: Int) async -> [(key: MessageKey, arguments: [String: String])] {
        let present = (try? await context.state.workers(in: guild)) ?? []
        guard present.count < cap,
            let next = context.configuration.workerBots.first(where: { !present.contains($0) })
        else { return [] }
        return [(.musicInviteNextWorker, ["link": WorkerInvite.link(for: next)])]
    }
}

/// OAuth2 links that add a worker bot to a server with the permissions it uses.
enum WorkerInvite {
    /// View Channel, Send Messages, Connect, Speak, Move Members, Manage Channels, Manage Roles.
    static let permissions: Permissions = [
        .viewChannel, .sendMessages, .connect, .speak, .moveMembers, .manageChannels, .manageRoles,
    ]

    static func link(for worker: WorkerID) -> String {
        "https://discord.com/oauth2/authorize?client_id=\(worker)&scope=bot%20applications.commands&permissions=\(permissions.rawValue)"
    }
}
