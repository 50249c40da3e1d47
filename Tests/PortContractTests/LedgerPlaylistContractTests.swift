import AnankorCore
import Foundation
import Testing

extension LedgerContractTests {
    @Suite struct Playlists {
        let owner = UserID(10)

        func track(_ index: Int) -> SavedPlaylist.Track {
            SavedPlaylist.Track(
                encoded: "QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXA\(index)", title: "Track \(index) – ünïcode",
                author: "Artist \(index)", uri: index.isMultiple(of: 2) ? "https://example.com/\(index)" : nil,
                lengthMilliseconds: Int64(180_000 + index))
        }

        @Test("playlists save, list, load and delete per owner", arguments: LedgerAdapter.allCases)
        func saveListLoadDelete(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                let road = SavedPlaylist(owner: owner, name: "Road Trip", tracks: (0..<3).map(track), updatedAt: LedgerTime.at(1))
                let focus = SavedPlaylist(owner: owner, name: "focus", tracks: [track(9)], updatedAt: LedgerTime.at(2))
                let empty = SavedPlaylist(owner: owner, name: "Empty", tracks: [], updatedAt: LedgerTime.at(3))
                for playlist in [road, focus, empty] { try await ledger.savePlaylist(playlist) }
                try await ledger.savePlaylist(SavedPlaylist(owner: UserID(11), name: "Road Trip", tracks: [track(5)], updatedAt: LedgerTime.at(4)))

                #expect(try await ledger.playlists(owner: owner) == [empty.summary, focus.summary, road.summary])
                #expect(try await ledger.playlist(owner: owner, name: "road trip") == road, "names match case-insensitively")
                #expect(try await ledger.playlist(owner: owner, name: "Empty") == empty)

                let replaced = SavedPlaylist(owner: owner, name: "ROAD TRIP", tracks: [track(7)], updatedAt: LedgerTime.at(5))
                try await ledger.savePlaylist(replaced)
                #expect(try await ledger.playlist(owner: owner, name: "Road Trip") == replaced)
                #expect(try await ledger.playlists(owner: owner).count == 3)

                #expect(try await ledger.deletePlaylist(owner: owner, name: "road TRIP"))
                #expect(try await ledger.deletePlaylist(owner: owner, name: "road trip") == false)
                #expect(try await ledger.playlist(owner: owner, name: "Road Trip") == nil)
                #expect(try await ledger.playlist(owner: UserID(11), name: "Road Trip")?.tracks == [track(5)], "other owners are untouched")
                #expect(try await ledger.playlists(owner: UserID(12)).isEmpty)
            }
        }

        @Test("oversized or unnamed playlists are refused", arguments: LedgerAdapter.allCases)
        func invalidPlaylistsAreRefused(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                let bad = [
                    SavedPlaylist(owner: owner, name: "  ", tracks: [], updatedAt: LedgerTime.at(0)),
                    SavedPlaylist(owner: owner, name: String(repeating: "n", count: 101), tracks: [], updatedAt: LedgerTime.at(0)),
                    SavedPlaylist(owner: owner, name: "big", tracks: Array(repeating: track(1), count: SavedPlaylist.maxTracks + 1), updatedAt: LedgerTime.at(0)),
                    SavedPlaylist(
                        owner: owner, name: "huge track",
                        tracks: [SavedPlaylist.Track(encoded: String(repeating: "A", count: 5000), title: "t", author: "a", lengthMilliseconds: 1)],
                        updatedAt: LedgerTime.at(0)),
                ]
                for playlist in bad {
                    let error = await #expect(throws: LedgerError.self) { try await ledger.savePlaylist(playlist) }
                    #expect(error?.code == .invalidInput)
                }
                let remaining = try await ledger.playlists(owner: owner)
                #expect(remaining.isEmpty)
            }
        }
    }
}
