import AnankorCore
import DiscordKit
import Foundation

/// Lobbies that end on their own: a host who stays out of the lobby's voice channel, a session that
/// ran its maximum, an open lobby that never started. Every master sweeps; each change is a
/// compare-and-set (`updateLobby`, `close`), so one master wins and the notice is posted once.
extension GameCommands {
    /// Sweeps every fifth watchdog interval until cancelled: lobbies move on a scale of minutes.
    func watch() async throws {
        let interval = context.configuration.watchdogInterval * 5
        while !Task.isCancelled {
            try await context.clock.sleep(for: interval)
            await sweep()
        }
    }

    /// How long a lobby left half done — saved but never posted, or closed in a series with no
    /// next lobby saved — waits before a sweep finishes it: far longer than a live master takes
    /// (under a second), so the sweep does not race one still at it, but short beside the hours
    /// before a lobby starts.
    static let repairAfter: TimeInterval = 30

    /// One pass over the listed lobbies of every guild this master's gateway sees: active ones
    /// are checked; what a master left half done when it died is finished (`repairAfter`).
    func sweep() async {
        let settled = context.now().addingTimeInterval(-Self.repairAfter)
        for guild in context.cache.guildIDs {
            do {
                for lobby in try await context.state.listedLobbies(in: GuildID(guild.rawValue)) {
                    if lobby.awaitsNextInSeries {
                        if (lobby.endedAt ?? lobby.createdAt) <= settled { await continueSeries(after: lobby) }
                        continue
                    }
                    var lobby = lobby
                    if lobby.message == nil, lobby.createdAt <= settled {
                        lobby = try await publish(lobby, now: context.now())
                    }
                    try await check(lobby)
                }
            } catch where !Task.isCancelled {
                context.logger.warning("lobby sweep failed", metadata: ["guild.id": "\(guild)", "error": "\(error)"])
            } catch {
                return  // shutting down
            }
        }
    }

    private func check(_ lobby: Lobby) async throws {
        let configuration = context.configuration
        let now = context.now()
        let locale = lobby.locale ?? .englishUS
        if let deadline = lobby.timesOut(maxDuration: configuration.lobbyMaxDuration.timeInterval,
                                         openExpiry: configuration.lobbyOpenExpiry.timeInterval),
            deadline <= now
        {
            // `close` ends a started lobby and cancels an open one; nil when another master did.
            guard let closed = await close(lobby, as: .ended) else { return }
            let text = closed.state == .ended
                ? context.text(.gameTimedOut, locale, ["title": closed.title,
                                                  "duration": LobbyBoard.duration(closed, now: now, context.catalog, locale)])
                : context.text(.gameExpired, locale, ["title": closed.title])
            await context.post(text, in: closed.textChannel)
            await continueSeries(after: closed)
            return
        }
        guard lobby.state == .started, let channel = lobby.voiceChannel else { return }
        let present = Set(context.cache.voiceMembers(of: Snowflake(channel.rawValue), in: Snowflake(lobby.guild.rawValue))
            .map { UserID($0.rawValue) })
        let grace = configuration.lobbyHostGrace.timeInterval
        let update = try await context.state.updateLobby(lobby.id, in: lobby.guild) { lobby -> HostSweep? in
            // Who is in the channel now played (no-shows are judged at the end, when some may
            // already have gone home).
            let seen = lobby.seenInVoice.count
            lobby.markSeenInVoice(present.filter { lobby.member($0) != nil })
            let check = lobby.checkHost(present: present, now: now, grace: grace)
            // An abandoned lobby is closed below through `close`, not saved here.
            guard check != .abandoned, check != nil || lobby.seenInVoice.count != seen else { return nil }
            return HostSweep(check: check)
        }
        switch update {
        case .saved(let saved, let sweep):
            guard case .handedOver(let host) = sweep.check else { return }
            refresher.request(LobbyKey(saved))
            await context.post(context.text(.gameNewHost, locale, ["user": "<@\(host)>", "title": saved.title]),
                               in: saved.textChannel)
        case .unchanged(let current):
            var judged = current
            guard judged.checkHost(present: present, now: now, grace: grace) == .abandoned,
                let closed = await close(current, as: .ended)
            else { return }
            await context.post(context.text(.gameAbandoned, locale, [
                "title": closed.title, "channel": context.mention(channel: channel),
            ]), in: closed.textChannel)
            await continueSeries(after: closed)
        default:
            break
        }
    }

}

/// What one sweep changed in a started lobby (nil check: only who was seen in voice).
struct HostSweep: Sendable, Equatable {
    var check: LobbyHostCheck?
}
