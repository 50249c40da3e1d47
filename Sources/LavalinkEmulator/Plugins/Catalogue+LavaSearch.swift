/// LavaSearch over the catalogue: a LavaSrc search prefix (`spsearch:`, `amsearch:`, `dzsearch:`,
/// `ymsearch:`) finds 5 tracks (the same as `/v4/loadtracks` with that prefix), 3 albums, 2 artists,
/// 3 playlists and 2 texts. Albums, artists and playlists come without tracks, as LavaSearch sends
/// them; their `pluginInfo.url` loads them through `/v4/loadtracks`. Other queries find nothing.
extension Catalogue {
    /// The search result object, or nil for "nothing found" (the route answers 204).
    func loadSearch(_ query: String, types: Set<String>) -> JSONValue? {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        guard plugins.current.lavaSrc,
            let source = LavaSrcSource.allCases.first(where: { trimmed.hasPrefix($0.searchPrefix) })
        else { return nil }
        let terms = trimmed.dropFirst(source.searchPrefix.count).trimmingCharacters(in: .whitespaces)
        guard !terms.isEmpty, terms != "emulator:empty" else { return nil }
        func collections(_ kind: LavaSrcKind, count: Int) -> JSONValue {
            .array((0..<count).map { index in
                let id = source.id(StableHash.of("\(source.searchPrefix)\(terms)#\(kind.rawValue)#\(index)"))
                let collection = lavaSrcCollection(source, kind, id: id)
                return [
                    "info": ["name": .string(collection.name), "selectedTrack": -1],
                    "pluginInfo": collection.pluginInfo,
                    "tracks": [],
                ]
            })
        }
        var members: [(String, JSONValue)] = []
        if types.contains("track"), case .search(let tracks)? = loadLavaSrc(trimmed) {
            members.append(("tracks", .array(tracks.map { $0.json() })))
        }
        if types.contains("album") { members.append(("albums", collections(.album, count: 3))) }
        if types.contains("artist") { members.append(("artists", collections(.artist, count: 2))) }
        if types.contains("playlist") { members.append(("playlists", collections(.playlist, count: 3))) }
        if types.contains("text") {
            members.append(("texts", .array([terms, "\(terms) live"].map { ["text": .string($0), "plugin": [:]] })))
        }
        members.append(("plugin", [:]))
        return .object(members)
    }
}
