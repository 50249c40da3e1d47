import AnankorCore
import Foundation

extension MusicCommands {
    /// `/queue`: what plays and what is next, read from the session's record.
    func queue(_ invocation: CommandInvocation) async throws -> Reply {
        let session = try session(of: invocation)
        let record = try await driver.record(session)
        let current = record?.binding == nil ? nil : record?.nowPlaying
        let queued = record?.queue ?? []
        guard current != nil || !queued.isEmpty else { throw InvocationProblem(.musicQueueEmpty) }
        let pageSize = 10
        let pages = max(1, (queued.count + pageSize - 1) / pageSize)
        let page = min(max(1, Int(invocation.integer("page") ?? 1)), pages)
        var lines: [String] = []
        if let current {
            let track = current.entry.track
            lines.append("\(current.paused ? "⏸️" : "▶️") **\(Markdown.escape(track.title))** — \(Markdown.escape(track.author))")
        }
        guard !queued.isEmpty else {
            lines.append(text(invocation, .musicQueueNothingNext))
            return Reply(lines.joined(separator: "\n"), ephemeral: true)
        }
        lines.append(text(invocation, .musicQueuePage, ["page": "\(page)", "pages": "\(pages)", "count": "\(queued.count)"]))
        let offset = (page - 1) * pageSize
        for (index, entry) in queued.dropFirst(offset).prefix(pageSize).enumerated() {
            let length = entry.track.isStream ? "LIVE" : PlaybackTime.format(milliseconds: entry.track.lengthMs)
            lines.append("\(offset + index + 1). \(Markdown.escape(entry.track.title)) — \(Markdown.escape(entry.track.author)) `\(length)`")
        }
        return Reply(lines.joined(separator: "\n"), ephemeral: true)
    }

    func nowPlaying(_ invocation: CommandInvocation) async throws -> Reply {
        let session = try session(of: invocation)
        guard let record = try await driver.record(session), record.binding != nil, let current = record.nowPlaying else {
            throw InvocationProblem(.musicNothingPlaying)
        }
        let track = current.entry.track
        let position = PlaybackTime.format(milliseconds: current.position(at: context.now()))
        let length = track.isStream ? "LIVE" : PlaybackTime.format(milliseconds: track.lengthMs)
        return Reply("\(current.paused ? "⏸️" : "▶️") **\(Markdown.escape(track.title))** — \(Markdown.escape(track.author)) `\(position) / \(length)`",
                     ephemeral: true)
    }

    /// `/stay`: the channel's 24/7 setting (kept in the guild's settings) and the session's.
    func stay(_ invocation: CommandInvocation) async throws -> Reply {
        let session = try session(of: invocation)
        let settings = try await context.ledger.updateGuildSettings(session.guild) { settings in
            if settings.stayChannels.contains(session.channel) {
                settings.stayChannels.remove(session.channel)
            } else {
                settings.stayChannels.insert(session.channel)
            }
        }
        context.settings.remember(settings, for: session.guild)
        let stays = settings.stayChannels.contains(session.channel)
        let result = try await driver.command(.stay(stays), in: session, origin: origin(invocation))
        return driver.texts.reply(result, session: session, locale: invocation.locale)
    }
}
