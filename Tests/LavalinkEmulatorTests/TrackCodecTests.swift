import Foundation
import LavalinkEmulator
import Testing

@Suite("lavaplayer track encoding")
struct TrackCodecTests {
    /// From Lavalink's own REST docs (a version-2 message: uri but no artworkUrl/isrc).
    static let lavalinkDocsExample =
        "QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA=="
    /// A version-3 message produced by a real Lavalink 4 node (quoted in Lavalink4NET's docs).
    static let lavalink4Example =
        "QAAA2QMAPFJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAgKE9mZmljaWFsIE11c2ljIFZpZGVvKQALUmljayBBc3RsZXkAAAAAAANACAALZFF3NHc5V2dYY1EAAQAraHR0cHM6Ly93d3cueW91dHViZS5jb20vd2F0Y2g/dj1kUXc0dzlXZ1hjUQEANGh0dHBzOi8vaS55dGltZy5jb20vdmkvZFF3NHc5V2dYY1EvbWF4cmVzZGVmYXVsdC5qcGcAAAd5b3V0dWJlAAAAAAAAAAA="

    @Test func readsTheVersion2ExampleFromLavalinksDocs() throws {
        let (info, position) = try LavaplayerTrackCodec.decode(Self.lavalinkDocsExample)
        #expect(info.title == "Rick Astley - Never Gonna Give You Up")
        #expect(info.author == "RickAstleyVEVO")
        #expect(info.length == 212_000)
        #expect(info.identifier == "dQw4w9WgXcQ")
        #expect(info.isStream == false)
        #expect(info.uri == "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
        #expect(info.artworkUrl == nil)
        #expect(info.sourceName == "youtube")
        #expect(position == 0)
    }

    @Test func reEncodesARealVersion3TrackByteForByte() throws {
        let (info, position) = try LavaplayerTrackCodec.decode(Self.lavalink4Example)
        #expect(info.title == "Rick Astley - Never Gonna Give You Up (Official Music Video)")
        #expect(info.author == "Rick Astley")
        #expect(info.length == 213_000)
        #expect(info.artworkUrl == "https://i.ytimg.com/vi/dQw4w9WgXcQ/maxresdefault.jpg")
        #expect(info.isrc == nil)
        #expect(try LavaplayerTrackCodec.encode(info, position: position) == Self.lavalink4Example)
    }

    @Test func roundTripsNonASCIIAndNULCharacters() throws {
        let info = TrackInfo(
            identifier: "id\u{0}x", author: "Ærø — 日本 🎵", length: 1234, isStream: true, title: "e\u{301}",
            uri: nil, artworkUrl: "https://a", isrc: "USRC17607839", sourceName: "soundcloud"
        )
        let encoded = try LavaplayerTrackCodec.encode(info, position: 777)
        let decoded = try LavaplayerTrackCodec.decode(encoded)
        #expect(decoded.info == info)
        #expect(decoded.position == 777)
    }

    @Test(arguments: [
        "", "!!!!", "QAAA", "QAAAjQIAJVJpY2sg", "/////wM=", "QAAABQMAAQ==", String(repeating: "A", count: 400),
        Data([0x40, 0, 0, 6, 3, 0, 2, 0xFF, 0xFE, 0]).base64EncodedString(),
        Data([0x40, 0, 0, 4, 9, 0, 0, 0]).base64EncodedString(),
    ])
    func rejectsHostileInputWithoutCrashing(_ input: String) {
        #expect(throws: TrackDecodingError.self) { try LavaplayerTrackCodec.decode(input) }
    }

    @Test func survivesEveryTruncationOfARealTrack() throws {
        let bytes = try #require(Data(base64Encoded: Self.lavalink4Example))
        for cut in 0..<bytes.count {
            let prefix = Data(bytes.prefix(cut)).base64EncodedString()
            #expect(throws: TrackDecodingError.self) { try LavaplayerTrackCodec.decode(prefix) }
        }
    }
}
