import Foundation

/// The total-queue checker's verdict on one run, and the member-visible times of the fault.
struct Verdict: Sendable, Codable {
    var fault: String
    var seed: UInt64
    var setupError: String?
    /// Tracks a member was told were queued.
    var queued = 0
    var played = 0
    /// Played once after being interrupted by the fault (resumed or replayed at a position).
    var recovered = 0
    var stillQueued = 0
    var removedByCommand = 0
    /// Queued, never played to the end, not in the final queue, not removed: gone.
    var lost = 0
    /// Played to the end more than once.
    var duplicated = 0
    var lostTracks: [String] = []
    var duplicatedTracks: [String] = []
    var interactions = 0
    /// No first response within Discord's 3 s.
    var unanswered = 0
    /// The late or unanswered commands: when they were sent (after the fault) and when answered.
    var unansweredCommands: [String] = []
    /// Sent while no master ran at all (the only master killed, not yet back).
    var sentWithoutMaster = 0
    /// Lanes with tracks left and nothing playing at the end.
    var stuck = 0
    /// Moments two bots were audible in one channel.
    var doubleAudio = 0
    var doubleAudioMaxMs: Double?
    /// Times a member was shown "playing" (a ▶️ `/nowplaying` answer or now-playing message) while
    /// the lane had been silent on Lavalink for longer than `silenceTolerance` (one per silence).
    var silentWhilePlaying = 0
    var silentWhilePlayingDetail: [String] = []
    /// Looks that showed ▶️, and the longest silence any of them hid (ms, store and master up).
    var playingLooks = 0
    var silenceBehindPlayingMs: Double?
    /// Where that longest hidden silence was (lane, look, time after the fault).
    var silenceBehindPlayingWhere: String?
    var noticeMs: Double?
    var takeoverMs: Double?
    var resumedMs: Double?
    /// The longest silence in the victim lane after the fault.
    var gapMs: Double?
    /// Audio played again (positive) or skipped (negative) when the victim's track restarted.
    var rewindMs: Double?
    /// With no spare: how long after the fault the dead bot's player was still heard.
    var phantomMs: Double?

    /// Lobby reminders not posted exactly once (missed or posted twice).
    var remindersWrong = 0
    var reminders = 0

    var failed: Bool {
        setupError != nil || lost > 0 || duplicated > 0 || unanswered > 0 || stuck > 0 || doubleAudio > 0
            || remindersWrong > 0 || silentWhilePlaying > 0
    }

    init(_ record: RunRecord) {
        fault = record.fault.rawValue
        seed = record.seed
        setupError = record.setupError
        guard record.setupError == nil else { return }
        let finished = Dictionary(grouping: record.ends, by: \.identifier).mapValues(\.count)
        let startsByTrack = Dictionary(grouping: record.starts, by: \.identifier)
        for track in record.requested where track.queued {
            queued += 1
            let count = finished[track.identifier] ?? 0
            if count == 1 {
                played += 1
                if (startsByTrack[track.identifier]?.count ?? 0) > 1 { recovered += 1 }
            } else if count > 1 {
                duplicated += 1
                duplicatedTracks.append(track.identifier)
            } else if record.removed.contains(track.identifier) {
                removedByCommand += 1
            } else if let title = track.title, record.finalQueues[track.lane]?.contains(title) == true {
                stillQueued += 1
            } else {
                lost += 1
                lostTracks.append(track.identifier)
            }
        }
        // With the only master dead, nobody can answer: counted apart, not as a failure.
        let answerable = record.issued.filter { issued in
            guard let until = record.noMasterUntil else { return true }
            let created = record.responseTimes[issued.interaction]?.created ?? issued.sentAt
            return !(created >= record.faultAt && created <= until)
        }
        sentWithoutMaster = record.issued.count - answerable.count
        interactions = answerable.count
        let late = answerable.filter { issued in
            guard issued.interaction != 0, let times = record.responseTimes[issued.interaction],
                  let first = times.firstResponse
            else { return true }
            return first - times.created > 3_000
        }
        unanswered = late.count
        unansweredCommands = late.map { issued in
            let times = record.responseTimes[issued.interaction]
            let after = times.flatMap { t in t.firstResponse.map { String(format: "%.0f ms", $0 - t.created) } } ?? "never"
            return "/\(issued.command) at +\(String(format: "%.0f", issued.sentAt - record.faultAt)) ms: \(after)"
        }
        // Stuck: a lane with tracks still queued while nothing plays in it at the end.
        let last = record.snapshots.last?.players ?? []
        for lane in record.lanes {
            let left = record.requested.filter { $0.lane == lane.index && $0.queued && (finished[$0.identifier] ?? 0) == 0 }
                .filter { !record.removed.contains($0.identifier) }
            let audible = last.contains { $0.guild == lane.guild && $0.channel == lane.voice && $0.audible }
            if !left.isEmpty && !audible { stuck += 1 }
        }
        if let lobby = record.lobby {
            reminders = 1
            remindersWrong = lobby.posted == 1 ? 0 : 1
        }
        measureDoubleAudio(record)
        measureSilenceWhilePlaying(record)
        measureVictim(record)
    }

    /// How long a lane may be silent on Lavalink while its session shows "playing" before that is
    /// a failure: the longest hand-over the failure handling promises (a spare holds a killed
    /// worker's token within 5 s) plus one reconciliation pass (5 s), which repairs a track end
    /// lost meanwhile. Time while the store or every master was down is not counted: nothing can
    /// advance a queue then, and the outage has its own verdicts (unanswered, stuck).
    static let silenceTolerance: Double = 10_000

    /// The continuous check, judged at every look the members took during the run: each time
    /// `/nowplaying` answered ▶️ or a now-playing message showed ▶️, how long the lane's voice
    /// channel had been without an audible player.
    private mutating func measureSilenceWhilePlaying(_ record: RunRecord) {
        var down: [ClosedRange<Double>] = []
        if record.faultAt > 0 {
            if let until = record.noMasterUntil, until > record.faultAt { down.append(record.faultAt...until) }
            if record.fault.redisOutage != nil {
                down.append(record.faultAt...max(record.faultAt, record.storeBackAt ?? record.windowEnd))
            }
        }
        // A look that showed ▶️: the state it reflects was read after `from`, and seen at `seen`.
        var looks: [(lane: Int, from: Double, seen: Double, what: String)] = []
        for issued in record.issued where issued.command == "nowplaying" {
            guard let answer = issued.answer, answer.hasPrefix("▶️"), let seen = issued.answeredAt else { continue }
            looks.append((issued.lane, issued.sentAt, seen, "/nowplaying"))
        }
        for look in record.boardLooks where look.playing { looks.append((look.lane, look.at, look.at, "now-playing message")) }
        playingLooks = looks.count
        let firstSample = record.snapshots.first?.at ?? 0
        var longest: Double = 0
        var reported: Set<String> = []
        for look in looks.sorted(by: { $0.from < $1.from }) where look.lane < record.lanes.count {
            let lane = record.lanes[look.lane]
            let heard = record.snapshots.last { snapshot in
                snapshot.at <= look.seen
                    && snapshot.players.contains { $0.guild == lane.guild && $0.channel == lane.voice && $0.audible }
            }?.at ?? firstSample
            guard heard < look.from else { continue }
            let overlap = down.map { max(0, min($0.upperBound, look.from) - max($0.lowerBound, heard)) }.reduce(0, +)
            let silence = look.from - heard - overlap
            if silence > longest {
                longest = silence
                silenceBehindPlayingWhere = "\(look.what) of \(lane.label) at +\(Int(look.from - record.faultAt)) ms"
                    + (look.from > record.windowEnd && record.windowEnd > 0 ? " (draining)" : "")
            }
            guard silence > Self.silenceTolerance else { continue }
            // One failure per silence, however many looks saw it.
            if reported.insert("\(look.lane)/\(heard)").inserted {
                silentWhilePlaying += 1
                silentWhilePlayingDetail.append(
                    "\(look.what) of \(lane.label) showed ▶️ at +\(Int(look.from - record.faultAt)) ms after \(Int(silence)) ms of silence")
            }
        }
        if playingLooks > 0 { silenceBehindPlayingMs = longest }
    }

    private mutating func measureDoubleAudio(_ record: RunRecord) {
        var open: [String: Double] = [:]
        var longest: Double = 0
        for snapshot in record.snapshots {
            var bots: [String: Set<UInt64>] = [:]
            for player in snapshot.players where player.audible {
                bots["\(player.guild)/\(player.channel ?? 0)", default: []].insert(player.bot)
            }
            let doubled = Set(bots.filter { $0.value.count > 1 }.keys)
            for key in doubled where open[key] == nil {
                open[key] = snapshot.at
                doubleAudio += 1
            }
            for (key, since) in open where !doubled.contains(key) {
                longest = max(longest, snapshot.at - since)
                open[key] = nil
            }
        }
        if let end = record.snapshots.last?.at { for since in open.values { longest = max(longest, end - since) } }
        if doubleAudio > 0 { doubleAudioMaxMs = longest }
    }

    private mutating func measureVictim(_ record: RunRecord) {
        guard record.faultAt > 0, record.victimLane < record.lanes.count else { return }
        let lane = record.lanes[record.victimLane]
        if let notice = record.noticeAt { noticeMs = notice - record.faultAt }
        if record.fault.expectsNotice, let bot = record.victimBot {
            // Until its process was started again (no free bot): the bot then plays for `/play`.
            let until = record.victimRestartAt ?? .infinity
            let heard = record.snapshots.last { $0.at > record.faultAt && $0.at < until
                && $0.players.contains { $0.bot == bot && $0.guild == lane.guild && $0.audible } }
            phantomMs = heard.map { $0.at - record.faultAt } ?? 0
        }
        if let takeover = record.takeoverAt { takeoverMs = takeover - record.faultAt }
        func audible(_ snapshot: Snapshot) -> PlayerSample? {
            snapshot.players.first { $0.guild == lane.guild && $0.channel == lane.voice && $0.audible }
        }
        let before = record.snapshots.last { $0.at <= record.faultAt && audible($0) != nil }
        let after = record.snapshots.filter { $0.at > record.faultAt && $0.at <= record.windowEnd }
        var silentSince: Double?
        var gap: Double = 0
        for snapshot in after {
            if audible(snapshot) == nil {
                if silentSince == nil { silentSince = snapshot.at }
            } else if let since = silentSince {
                gap = max(gap, snapshot.at - since)
                if resumedMs == nil { resumedMs = snapshot.at - record.faultAt }
                silentSince = nil
            }
        }
        if let since = silentSince, let end = after.last?.at { gap = max(gap, end - since) }
        gapMs = gap
        if silentSince == nil, resumedMs == nil { resumedMs = 0 }
        // Rewind: when the victim's track started again inside the window, where it had got to
        // against where it started. Audio that went on up to the restart is extrapolated to it;
        // audio that stopped earlier counts from the last moment it was heard.
        if let before, let sample = audible(before), let identifier = sample.identifier,
           let restart = record.starts.filter({ $0.identifier == identifier && $0.at > record.faultAt && $0.at <= record.windowEnd })
               .min(by: { $0.at < $1.at }),
           let heard = record.snapshots.last(where: { $0.at < restart.at && audible($0)?.identifier == identifier }),
           let last = audible(heard) {
            let untilRestart = min(restart.at - heard.at, 100)
            let reached = Double(last.position) + untilRestart * record.settings.windowSpeed
            rewindMs = reached - Double(restart.position)
        }
    }
}
