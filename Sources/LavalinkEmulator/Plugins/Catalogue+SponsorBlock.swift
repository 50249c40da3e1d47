/// SponsorBlock's data over the catalogue. YouTube videos have fixed segments and chapters that
/// depend only on their length, so a test knows when each one comes:
///
/// | category | segment | when |
/// |---|---|---|
/// | `intro` | 0–4 s | always |
/// | `sponsor` | 30–45 s | length ≥ 90 s |
/// | `interaction` | 60–65 s | length ≥ 150 s |
/// | `selfpromo` | the 20 s before the last 10 s | length ≥ 120 s |
///
/// Chapters: four equal quarters named Intro, Verse, Chorus, Outro. `emulator:track` identifiers
/// choose their own with `segments=sponsor:10000-20000,intro:0-3000` (milliseconds).
struct SegmentData: Equatable {
    var category: String
    var start: Int64
    var end: Int64

    var json: JSONValue { ["category": .string(category), "start": .int(start), "end": .int(end)] }
}

struct ChapterData: Equatable {
    var name: String
    var start: Int64
    var end: Int64

    var json: JSONValue {
        ["name": .string(name), "start": .int(start), "end": .int(end), "duration": .int(end - start)]
    }
}

extension Catalogue {
    /// The categories SponsorBlock knows; others are refused by the categories route.
    static let segmentCategories: Set<String> = [
        "sponsor", "selfpromo", "interaction", "intro", "outro", "preview", "music_offtopic", "filler",
    ]

    /// The video's segments, sorted by start; empty for tracks SponsorBlock does not cover.
    static func segments(of info: TrackInfo) -> [SegmentData] {
        if let special = SpecialIdentifier(info.identifier), let list = special.parameters["segments"] {
            return list.split(separator: ",").compactMap { item -> SegmentData? in
                let parts = item.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { return nil }
                let range = parts[1].split(separator: "-", maxSplits: 1).compactMap { Int64($0) }
                guard range.count == 2, range[0] >= 0, range[1] > range[0] else { return nil }
                return SegmentData(category: String(parts[0]), start: range[0], end: min(range[1], info.length))
            }.sorted { $0.start < $1.start }
        }
        guard info.sourceName == "youtube", !info.isStream else { return [] }
        let length = info.length
        var segments = [SegmentData(category: "intro", start: 0, end: 4_000)]
        if length >= 90_000 { segments.append(SegmentData(category: "sponsor", start: 30_000, end: 45_000)) }
        if length >= 150_000 { segments.append(SegmentData(category: "interaction", start: 60_000, end: 65_000)) }
        if length >= 120_000 { segments.append(SegmentData(category: "selfpromo", start: length - 30_000, end: length - 10_000)) }
        return segments.sorted { $0.start < $1.start }
    }

    /// The video's chapters; empty for tracks without any.
    static func chapters(of info: TrackInfo) -> [ChapterData] {
        let covered = info.sourceName == "youtube" || SpecialIdentifier(info.identifier)?.parameters["segments"] != nil
        guard covered, !info.isStream, info.length >= 4_000 else { return [] }
        let quarter = info.length / 4
        return ["Intro", "Verse", "Chorus", "Outro"].enumerated().map { index, name in
            ChapterData(name: name, start: Int64(index) * quarter, end: index == 3 ? info.length : Int64(index + 1) * quarter)
        }
    }
}
