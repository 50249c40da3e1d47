import AnankorCore

/// SponsorBlock skipped part of the playing track: the session's text channel is told what and
/// where, so a jump in the music does not look like a fault.
struct SegmentNotices: Sendable {
    let context: MasterContext

    func announce(_ skipped: SegmentSkippedEvent) async throws {
        guard let record = try await context.state.sessionRecord(skipped.session), let channel = record.textChannel,
            let playing = record.nowPlaying
        else { return }
        // A late event about a track that no longer plays says nothing true any more.
        if let entry = skipped.entry, entry != playing.entry.id { return }
        let locale = record.locale ?? .englishUS
        let text = context.text(.musicSegmentSkipped, locale, [
            "category": context.text(Self.label(of: skipped.category), locale),
            "from": PlaybackTime.format(milliseconds: skipped.startMs),
            "to": PlaybackTime.format(milliseconds: skipped.endMs),
            "title": playing.entry.track.title,
        ])
        await context.post(text, in: channel)
    }

    /// The localized name of a SponsorBlock category (one this version does not know reads as filler).
    static func label(of category: String) -> MessageKey {
        switch category {
        case "sponsor": .musicSegmentSponsor
        case "selfpromo": .musicSegmentSelfPromo
        case "interaction": .musicSegmentInteraction
        case "intro": .musicSegmentIntro
        case "outro": .musicSegmentOutro
        case "preview": .musicSegmentPreview
        case "music_offtopic": .musicSegmentOffTopic
        default: .musicSegmentFiller
        }
    }
}
