import Foundation
import Testing

@testable import LavalinkKit

@Suite("Filters encoding and presets")
struct FiltersTests {
    @Test func fullFilterSetEncodesLavalinkFieldNames() throws {
        let filters = Filters(
            volume: 1.0, equalizer: [.init(band: 0, gain: 0.2)],
            karaoke: .init(level: 1, monoLevel: 1, filterBand: 220, filterWidth: 100),
            timescale: .init(speed: 1, pitch: 1, rate: 1), tremolo: .init(frequency: 2, depth: 0.5),
            vibrato: .init(frequency: 2, depth: 0.5), rotation: .init(rotationHz: 0),
            distortion: .init(sinOffset: 0, sinScale: 1, cosOffset: 0, cosScale: 1, tanOffset: 0, tanScale: 1, offset: 0, scale: 1),
            channelMix: .init(leftToLeft: 1, leftToRight: 0, rightToLeft: 0, rightToRight: 1),
            lowPass: .init(smoothing: 20), pluginFilters: ["myPlugin": .object(["myPluginKey": .string("myPluginValue")])]
        )
        let object = try encodeToObject(filters)
        #expect(Set(object.allKeys as? [String] ?? []) == [
            "volume", "equalizer", "karaoke", "timescale", "tremolo", "vibrato", "rotation", "distortion",
            "channelMix", "lowPass", "pluginFilters",
        ])
        #expect((object["karaoke"] as? NSDictionary)?["filterBand"] as? Double == 220)
        #expect((object["rotation"] as? NSDictionary)?["rotationHz"] as? Double == 0)
        // Round trip: what the node echoes back decodes to the same filters.
        let data = try JSONEncoder().encode(filters)
        #expect(try JSONDecoder().decode(Filters.self, from: data) == filters)
    }

    @Test func offClearsEverything() throws {
        #expect(try encodeToObject(FilterPreset.off.filters) == [:] as NSDictionary)
        #expect(FilterPreset.off.filters.isEmpty)
    }

    @Test func presetsDoWhatTheirNamesSay() {
        let bass = FilterPreset.bassBoost.filters.equalizer ?? []
        #expect(!bass.isEmpty && bass.allSatisfy { $0.band <= 4 && $0.gain > 0 })

        let nightcore = FilterPreset.nightcore.filters.timescale
        #expect((nightcore?.speed ?? 1) > 1 && (nightcore?.pitch ?? 1) > 1)

        let vaporwave = FilterPreset.vaporwave.filters.timescale
        #expect((vaporwave?.speed ?? 1) < 1 && (vaporwave?.pitch ?? 1) < 1)

        #expect((FilterPreset.eightD.filters.rotation?.rotationHz ?? 0) > 0)
        #expect((FilterPreset.karaoke.filters.karaoke?.level ?? 0) > 0)

        // Every preset stays inside Lavalink's documented ranges.
        for preset in FilterPreset.allCases {
            for band in preset.filters.equalizer ?? [] {
                #expect((0...14).contains(band.band) && (-0.25...1.0).contains(band.gain), "\(preset)")
            }
        }
    }
}

@Suite("lavaplayer encoded tracks")
struct EncodedTrackTests {
    @Test func decodesTheDocumentedExample() throws {
        let info = try EncodedTrack.decode(Fixtures.encodedRick)
        let documented = try Fixtures.decode(Track.self, Fixtures.track).info
        #expect(info.title == documented.title)
        #expect(info.author == documented.author)
        #expect(info.length == documented.length)
        #expect(info.identifier == documented.identifier)
        #expect(info.uri == documented.uri)
        #expect(info.sourceName == "youtube")
        #expect(info.position == 0)
        #expect(!info.isStream)
    }

    @Test(arguments: ["", "not base64!", "QAAAjQIAJVJp", "QAAAAA==", "/////wAAAAA="])
    func hostileInputThrowsInsteadOfCrashing(input: String) {
        #expect(throws: LavalinkError.self) { try EncodedTrack.decode(input) }
    }
}
