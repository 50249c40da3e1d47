import AnankorCore
import DynamoKit
import Foundation

/// Saved playlists: pk `USER#<owner>`, sk `PLAYLIST#<lower-cased name>`.
extension DynamoLedger {
    static func playlistKey(owner: UserID, name: String) -> Item {
        key(userPK(owner), "PLAYLIST#\(SavedPlaylist.nameKey(name))")
    }

    public func savePlaylist(_ playlist: SavedPlaylist) async throws(LedgerError) {
        try playlist.validate()
        let summary = playlist.summary
        var item = Self.playlistKey(owner: playlist.owner, name: playlist.name)
        item["kind"] = "playlist"
        item["name"] = .s(playlist.name)
        item["tracks"] = try Self.encode(playlist.tracks, what: "playlist tracks")
        item["trackCount"] = .number(summary.trackCount)
        item["totalMs"] = .number(summary.totalMilliseconds)
        item["updatedAtMs"] = .number(playlist.updatedAt.epochMilliseconds)
        try await perform("save playlist") { () async throws(DynamoError) in
            try await dynamo().putItem(PutItemInput(tableName: tableName, item: item))
        }
    }

    public func playlists(owner: UserID) async throws(LedgerError) -> [SavedPlaylistSummary] {
        let items = try await perform("list playlists") { () async throws(DynamoError) -> [Item] in
            try await queryAllPages(QueryInput(
                tableName: tableName, keyCondition: "pk = :pk AND begins_with(sk, :prefix)",
                attributes: ExpressionAttributes(values: [":pk": .s(Self.userPK(owner)), ":prefix": "PLAYLIST#"]),
                consistentRead: true))
        }
        var summaries: [SavedPlaylistSummary] = []
        for item in items {
            summaries.append(SavedPlaylistSummary(
                owner: owner, name: try item.ledgerString("name"), trackCount: Int(try item.ledgerInt64("trackCount")),
                totalMilliseconds: try item.ledgerInt64("totalMs"),
                updatedAt: Date(epochMilliseconds: try item.ledgerInt64("updatedAtMs"))))
        }
        return summaries
    }

    public func playlist(owner: UserID, name: String) async throws(LedgerError) -> SavedPlaylist? {
        let key = Self.playlistKey(owner: owner, name: name)
        guard
            let item = try await perform("load playlist", { () async throws(DynamoError) -> Item? in
                try await dynamo().getItem(GetItemInput(tableName: tableName, key: key))
            })
        else { return nil }
        return SavedPlaylist(
            owner: owner, name: try item.ledgerString("name"),
            tracks: try Self.decode([SavedPlaylist.Track].self, item["tracks"], what: "playlist tracks"),
            updatedAt: Date(epochMilliseconds: try item.ledgerInt64("updatedAtMs")))
    }

    @discardableResult
    public func deletePlaylist(owner: UserID, name: String) async throws(LedgerError) -> Bool {
        let key = Self.playlistKey(owner: owner, name: name)
        let old = try await perform("delete playlist") { () async throws(DynamoError) -> Item? in
            try await dynamo().deleteItem(DeleteItemInput(tableName: tableName, key: key, returnValues: .allOld))
        }
        return old != nil
    }
}
