import AnankorCore
import DiscordKit
import LavalinkKit

/// `/search type:album|artist|playlist`: LavaSearch finds collections; the member picks one from
/// a menu and all its tracks are queued (the pick loads the collection's link).
extension MusicCommands {
    func searchCollections(_ query: String, type: String, session: SessionKey,
                           invocation: CommandInvocation) async throws -> Reply {
        guard let resultType = LavaSearch.ResultType(rawValue: type) else {
            // Discord offers only the choices; a hand-made request gets the usual option error.
            throw CommandValidation.invalid("search.type", .errorOptionOneOf,
                                            ["choices": CommandSpec.searchTypes.joined(separator: ", ")])
        }
        let typeName = CommandTexts.standard.entry("search.type.\(type)", invocation.locale)?.name ?? type
        switch await context.tracks.search(query, type: resultType) {
        case .collections(let found):
            let options = found.prefix(10).enumerated().compactMap { index, item -> Component.StringSelect.Option? in
                guard item.url.utf8.count <= 100 else { return nil }
                var details: [String] = []
                if let author = item.author { details.append(author) }
                if let total = item.totalTracks { details.append("\(total) ♪") }
                return .init(label: String("\(index + 1). \(item.name)".prefix(100)), value: item.url,
                             description: details.isEmpty ? nil : String(details.joined(separator: " · ").prefix(100)))
            }
            guard !options.isEmpty else { throw InvocationProblem(.musicNothingFound, ["query": "`\(query.prefix(100))`"]) }
            let select = Component.StringSelect(customID: "pick:\(session.guild):\(session.channel)", options: options,
                                                minValues: 1, maxValues: 1)
            return Reply(text(invocation, .musicSearchPickCollection), ephemeral: true,
                         components: [.actionRow([.stringSelect(select)])])
        case .nothing:
            throw InvocationProblem(.musicNothingFound, ["query": "`\(query.prefix(100))`"])
        case .unavailable:
            throw InvocationProblem(.musicSearchTypeUnavailable, ["type": typeName])
        case .failed(let reason):
            throw InvocationProblem(.musicLoadFailed, ["reason": reason])
        }
    }
}
