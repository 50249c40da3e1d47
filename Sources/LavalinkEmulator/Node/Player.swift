/// One guild's player inside a session, progressing on virtual time.
///
/// Position is kept as `basePosition` at virtual time `anchor`; while the player progresses it
/// advances at the timescale filter's speed × rate. Every state change first settles the position
/// to "now" so later arithmetic starts from a known point.
struct Player {
    let guildId: String
    var track: Track?
    var fault: TrackFault?
    var basePosition: Int64 = 0
    var anchor: Int64
    var paused = false
    var volume = 100
    var endTime: Int64?
    var filters = Filters()
    var voice = VoiceState.empty
    var voiceConnected = false
    /// Virtual time the voice gateway becomes ready, while it is connecting.
    var voiceReadyAt: Int64?
    /// Virtual time at which the track froze, while it is stuck.
    var stuckSince: Int64?
    var stuckReported = false
    var lastUpdateSent: Int64
    /// SponsorBlock: the segments to skip in this track (sorted) and its chapters, with the index
    /// of the next chapter to announce.
    var segments: [SegmentData] = []
    var chapters: [ChapterData] = []
    var nextChapter = 0

    init(guildId: String, now: Int64) {
        self.guildId = guildId
        self.anchor = now
        self.lastUpdateSent = now
    }

    /// Whether the track moves forward. Like lavaplayer, playback is pulled by the voice
    /// connection, so a player without one holds its position.
    func isProgressing(progressWithoutVoice: Bool) -> Bool {
        track != nil && !paused && stuckSince == nil && (voiceConnected || progressWithoutVoice)
    }

    var rate: Double { filters.playbackRate }

    func position(at now: Int64, progressWithoutVoice: Bool) -> Int64 {
        guard track != nil else { return 0 }
        guard isProgressing(progressWithoutVoice: progressWithoutVoice), now > anchor else { return basePosition }
        let moved = basePosition + Int64(min((Double(now - anchor) * rate).rounded(.down), 9.0e15))
        // Never run past a milestone the timer loop has not handled yet.
        var limit = endPosition ?? .max
        if let fault, fault.position >= basePosition { limit = min(limit, fault.position) }
        if let segment = nextSegment { limit = min(limit, segment.start) }
        if chapters.indices.contains(nextChapter) { limit = min(limit, max(chapters[nextChapter].start, basePosition)) }
        return min(moved, max(limit, basePosition))
    }

    mutating func settle(at now: Int64, progressWithoutVoice: Bool) {
        basePosition = position(at: now, progressWithoutVoice: progressWithoutVoice)
        anchor = now
    }

    /// Where the track ends by itself: its end time or its length (never, for a stream).
    var endPosition: Int64? {
        guard let track else { return nil }
        let natural = track.info.isStream ? nil : track.info.length
        switch (endTime, natural) {
        case (let end?, let length?): return min(end, length)
        case (let end?, nil): return end
        case (nil, let length): return length
        }
    }

    enum Milestone { case end, fault(TrackFault), segment(SegmentData), chapter(Int) }

    /// The next segment playback reaches (one it already passed is not skipped again).
    var nextSegment: SegmentData? { segments.first { $0.start >= basePosition && $0.end > basePosition } }

    /// After a seek: chapters before the new position are not announced.
    mutating func seekedChapters() {
        nextChapter = chapters.firstIndex { $0.start >= basePosition } ?? chapters.count
    }

    /// The next thing playback will reach and the virtual time it will reach it.
    func nextMilestone(progressWithoutVoice: Bool) -> (time: Int64, position: Int64, milestone: Milestone)? {
        guard isProgressing(progressWithoutVoice: progressWithoutVoice) else { return nil }
        var best: (position: Int64, milestone: Milestone)?
        if let end = endPosition { best = (max(end, basePosition), .end) }
        if let fault, fault.position >= basePosition, best.map({ fault.position <= $0.position }) ?? true {
            best = (fault.position, .fault(fault))
        }
        if let segment = nextSegment, best.map({ segment.start < $0.position }) ?? true {
            best = (segment.start, .segment(segment))
        }
        if chapters.indices.contains(nextChapter) {
            let start = max(chapters[nextChapter].start, basePosition)
            if best.map({ start <= $0.position }) ?? true { best = (start, .chapter(nextChapter)) }
        }
        guard let best else { return nil }
        let rate = self.rate
        guard rate > 0 else { return nil }
        let delta = Double(best.position - basePosition) / rate
        let time = anchor + Int64(min(delta.rounded(.up), 9.0e15))
        return (time, best.position, best.milestone)
    }

    var isPlaying: Bool { track != nil && !paused }
}
