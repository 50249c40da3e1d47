import AnankorCore
import Foundation

extension MusicCommands {
    func skip(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, binding) = try await boundSession(invocation)
        let current = try await playing(session)
        if let to = invocation.integer("to"), to > 1 {
            let total = try await context.state.queuePage(session, offset: 0, limit: 0).total
            guard to <= total else {
                throw InvocationProblem(.musicPositionInvalid, ["position": "\(to)", "count": "\(total)"])
            }
            // Entries before the target are skipped too.
            for _ in 1..<to { try await context.state.removeFromQueue(session, at: 0) }
        }
        try await conductor.advance(session, expecting: current.entry.id, reason: .skipped, worker: binding.worker)
        return Reply(text(invocation, .musicSkipped, ["title": current.entry.track.title]))
    }

    func previous(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, binding) = try await boundSession(invocation)
        guard let entry = try await context.state.previous(session, now: context.now()) else {
            throw InvocationProblem(.musicNoPrevious)
        }
        try await conductor.play(entry, in: session, on: binding.worker, at: 0, paused: false)
        return Reply(text(invocation, .musicPreviousPlaying, ["title": entry.track.title]))
    }

    func pause(_ invocation: CommandInvocation, paused: Bool) async throws -> Reply {
        let (session, binding) = try await boundSession(invocation)
        let current = try await playing(session)
        try await setPaused(paused, current: current, session: session, worker: binding.worker)
        return Reply(text(invocation, paused ? .musicPaused : .musicResumed))
    }

    /// The ⏯️ button.
    func toggle(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, binding) = try await boundSession(invocation)
        let current = try await playing(session)
        try await setPaused(!current.paused, current: current, session: session, worker: binding.worker)
        return Reply(text(invocation, current.paused ? .musicResumed : .musicPaused), ephemeral: true)
    }

    func setPaused(_ paused: Bool, current: NowPlaying, session: SessionKey, worker: WorkerID) async throws {
        try await context.send(.playerUpdate(PlayerUpdateJob(session: session, paused: paused)), to: worker)
        try await context.state.updatePosition(session, entry: current.entry.id, positionMs: current.position(at: context.now()),
                                               paused: paused, at: context.now())
        if !paused, try await context.state.sessionDetails(session)?.aloneSince != nil {
            try await context.state.updateExistingSessionDetails(session) { $0.aloneSince = nil }
        }
        conductor.refresh(session)
    }

    func stop(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, binding) = try await boundSession(invocation)
        try await context.state.setLoopMode(.off, for: session)
        try await context.state.clearQueue(session)
        let current = try await context.state.nowPlaying(session)
        try await conductor.advance(session, expecting: current?.entry.id, reason: .skipped, worker: binding.worker,
                                    autoplay: false)
        if current == nil {
            try await context.send(.playerUpdate(PlayerUpdateJob(session: session, stop: true)), to: binding.worker)
        }
        return Reply(text(invocation, .musicStopped))
    }

    func leave(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, _) = try await boundSession(invocation)
        try await conductor.finish(session, reason: .requested, note: nil)
        return Reply(text(invocation, .musicLeft, ["channel": context.mention(channel: session.channel)]))
    }

    func queue(_ invocation: CommandInvocation) async throws -> Reply {
        let session = try session(of: invocation)
        let pageSize = 10
        let page = Int(invocation.integer("page") ?? 1)
        let current = try await context.state.nowPlaying(session)
        let slice = try await context.state.queuePage(session, offset: (page - 1) * pageSize, limit: pageSize)
        guard current != nil || slice.total > 0 else { throw InvocationProblem(.musicQueueEmpty) }
        let pages = max(1, (slice.total + pageSize - 1) / pageSize)
        var lines: [String] = []
        if let current {
            let track = current.entry.track
            lines.append("\(current.paused ? "⏸️" : "▶️") **\(Markdown.escape(track.title))** — \(Markdown.escape(track.author))")
        }
        guard slice.total > 0 else {
            lines.append(text(invocation, .musicQueueNothingNext))
            return Reply(lines.joined(separator: "\n"), ephemeral: true)
        }
        lines.append(text(invocation, .musicQueuePage, ["page": "\(min(page, pages))", "pages": "\(pages)",
                                                        "count": "\(slice.total)"]))
        for (index, entry) in slice.entries.enumerated() {
            let length = entry.track.isStream ? "LIVE" : PlaybackTime.format(milliseconds: entry.track.lengthMs)
            lines.append("\(slice.offset + index + 1). \(Markdown.escape(entry.track.title)) — \(Markdown.escape(entry.track.author)) `\(length)`")
        }
        return Reply(lines.joined(separator: "\n"), ephemeral: true)
    }

    func nowPlaying(_ invocation: CommandInvocation) async throws -> Reply {
        let session = try session(of: invocation)
        let current = try await playing(session)
        let track = current.entry.track
        let position = PlaybackTime.format(milliseconds: current.position(at: context.now()))
        let length = track.isStream ? "LIVE" : PlaybackTime.format(milliseconds: track.lengthMs)
        return Reply("\(current.paused ? "⏸️" : "▶️") **\(Markdown.escape(track.title))** — \(Markdown.escape(track.author)) `\(position) / \(length)`",
                     ephemeral: true)
    }

    func seek(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, binding) = try await boundSession(invocation)
        let current = try await playing(session)
        let input = invocation.string("position") ?? ""
        let track = current.entry.track
        guard let target = PlaybackTime.parse(input) else {
            throw InvocationProblem(.musicSeekNotATime, ["input": String(input.prefix(16))])
        }
        guard !track.isStream, target <= track.lengthMs else {
            throw InvocationProblem(.musicSeekInvalid, [
                "position": PlaybackTime.format(milliseconds: target),
                "duration": track.isStream ? "LIVE" : PlaybackTime.format(milliseconds: track.lengthMs),
            ])
        }
        try await context.send(.playerUpdate(PlayerUpdateJob(session: session, positionMs: target)), to: binding.worker)
        try await context.state.updatePosition(session, entry: current.entry.id, positionMs: target, paused: current.paused,
                                               at: context.now())
        return Reply(text(invocation, .musicSeeked, ["position": PlaybackTime.format(milliseconds: target)]))
    }

    func volume(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, binding) = try await boundSession(invocation)
        let level = Int(invocation.integer("level") ?? 100)
        try await context.send(.playerUpdate(PlayerUpdateJob(session: session, volume: level)), to: binding.worker)
        try await context.state.updateSessionDetails(session) { $0.volume = level }
        conductor.refresh(session)
        return Reply(text(invocation, .musicVolumeSet, ["volume": "\(level)"]))
    }

    func loop(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, _) = try await boundSession(invocation)
        let mode: LoopMode
        if let chosen = invocation.string("mode").flatMap(LoopMode.init(rawValue:)) {
            mode = chosen
        } else {
            // The 🔁 button cycles off → track → queue → off.
            let current = try await context.state.loopMode(session)
            let all = LoopMode.allCases
            mode = all[(all.firstIndex(of: current)! + 1) % all.count]
        }
        try await context.state.setLoopMode(mode, for: session)
        conductor.refresh(session)
        let key: MessageKey = switch mode {
        case .off: .musicLoopOff
        case .track: .musicLoopTrack
        case .queue: .musicLoopQueue
        }
        return Reply(text(invocation, key), ephemeral: invocation.targetSession != nil)
    }

    func shuffle(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, _) = try await boundSession(invocation)
        let count = try await context.state.queuePage(session, offset: 0, limit: 0).total
        try await context.state.shuffleQueue(session, seed: UInt64.random(in: 1...UInt64(Int32.max)))
        conductor.refresh(session)
        return Reply(text(invocation, .musicShuffled, ["count": "\(count)"]), ephemeral: invocation.targetSession != nil)
    }

    func remove(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, _) = try await boundSession(invocation)
        let position = Int(invocation.integer("position") ?? 0)
        guard let removed = try await context.state.removeFromQueue(session, at: position - 1) else {
            throw try await positionProblem(session, position)
        }
        return Reply(text(invocation, .musicRemoved, ["title": removed.track.title]))
    }

    func move(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, _) = try await boundSession(invocation)
        let from = Int(invocation.integer("from") ?? 0)
        let to = Int(invocation.integer("to") ?? 0)
        guard let moved = try await context.state.moveInQueue(session, from: from - 1, to: to - 1) else {
            throw try await positionProblem(session, max(from, to))
        }
        return Reply(text(invocation, .musicMoved, ["title": moved.track.title, "position": "\(to)"]))
    }

    private func positionProblem(_ session: SessionKey, _ position: Int) async throws -> InvocationProblem {
        let total = try await context.state.queuePage(session, offset: 0, limit: 0).total
        return InvocationProblem(.musicPositionInvalid, ["position": "\(position)", "count": "\(total)"])
    }

    func clear(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, _) = try await boundSession(invocation)
        try await context.state.clearQueue(session)
        conductor.refresh(session)
        return Reply(text(invocation, .musicCleared))
    }

    func replay(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, binding) = try await boundSession(invocation)
        let current = try await playing(session)
        try await context.send(.playerUpdate(PlayerUpdateJob(session: session, positionMs: 0)), to: binding.worker)
        try await context.state.updatePosition(session, entry: current.entry.id, positionMs: 0, paused: current.paused,
                                               at: context.now())
        return Reply(text(invocation, .musicSeeked, ["position": PlaybackTime.format(milliseconds: 0)]))
    }

    func autoplay(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, _) = try await boundSession(invocation)
        let details = try await context.state.updateSessionDetails(session) { $0.autoplay.toggle() }
        conductor.refresh(session)
        return Reply(text(invocation, details.autoplay ? .musicAutoplayOn : .musicAutoplayOff))
    }

    func filter(_ invocation: CommandInvocation) async throws -> Reply {
        let (session, binding) = try await boundSession(invocation)
        let preset = invocation.string("preset") ?? "off"
        try await context.send(.playerUpdate(PlayerUpdateJob(session: session, filterPreset: preset == "off" ? "none" : preset)),
                               to: binding.worker)
        try await context.state.updateSessionDetails(session) { $0.filterPreset = preset == "off" ? nil : preset }
        conductor.refresh(session)
        return Reply(text(invocation, .musicFilterApplied, ["filter": preset]))
    }

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
        try await context.state.setStay(stays, for: session)
        if !stays { try await context.state.touchSession(session, at: context.now()) }
        let minutes = Int(context.configuration.idleTimeout.components.seconds / 60)
        return Reply(text(invocation, stays ? .musicStayOn : .musicStayOff,
                          ["channel": context.mention(channel: session.channel), "minutes": "\(minutes)"]))
    }
}
