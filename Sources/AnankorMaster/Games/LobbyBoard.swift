import AnankorCore
import DiscordKit
import Foundation

/// The lobby message: who is seated (with role and ready mark), the bench, the start time in
/// Discord timestamp markup, and Join (role select when the lobby has roles), Leave, Ready and
/// Start controls. Posted once, then edited in place (refreshes coalesced per lobby).
struct LobbyBoard: Sendable {
    let context: MasterContext

    /// Controls carry `lobby:<action>:<id>`; the guild comes with the interaction. The last two
    /// are the buttons of `/game cancel`'s question on a lobby of a series.
    enum Action: String, CaseIterable, Sendable {
        case join, leave, ready, start
        case cancelOne = "cancelone"
        case stopSeries = "stopseries"
    }

    static func customID(_ action: Action, _ lobby: LobbyID) -> String { "lobby:\(action.rawValue):\(lobby)" }

    static func parse(customID: String) -> (Action, LobbyID)? {
        let parts = customID.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, parts[0] == "lobby", let action = Action(rawValue: String(parts[1])),
            !parts[2].isEmpty, parts[2].utf8.count <= 64
        else { return nil }
        return (action, LobbyID(String(parts[2])))
    }

    func post(_ lobby: Lobby) async -> MessageID? {
        do {
            let message = try await context.rest.createMessage(channelID: Snowflake(lobby.textChannel.rawValue),
                                                               render(lobby))
            return MessageID(message.id.rawValue)
        } catch {
            context.logger.warning("could not post a lobby message", metadata: ["lobby.id": "\(lobby.id)", "error": "\(error)"])
            return nil
        }
    }

    /// Deletes a lobby message this master posted but lost to another's (see `publish`).
    func delete(_ message: MessageID, of lobby: Lobby) async {
        do {
            try await context.rest.deleteMessage(channelID: Snowflake(lobby.textChannel.rawValue),
                                                 messageID: Snowflake(message.rawValue))
        } catch {
            context.logger.warning("could not delete a duplicate lobby message",
                                   metadata: ["lobby.id": "\(lobby.id)", "error": "\(error)"])
        }
    }

    func refresh(_ key: LobbyKey) async {
        guard let lobby = try? await context.state.lobby(key.id, in: key.guild), let message = lobby.message else { return }
        let body = render(lobby)
        do {
            _ = try await context.rest.editMessage(
                channelID: Snowflake(lobby.textChannel.rawValue), messageID: Snowflake(message.rawValue),
                MessageEdit(content: body.content, embeds: body.embeds, components: body.components,
                            allowedMentions: AllowedMentions.none))
        } catch {
            context.logger.warning("could not edit a lobby message", metadata: ["lobby.id": "\(lobby.id)", "error": "\(error)"])
        }
    }

    func render(_ lobby: Lobby) -> MessageCreate {
        let locale = lobby.locale ?? .englishUS
        // The first line says where the lobby stands now; the roster follows.
        let headline: String = switch lobby.state {
        case .open: Self.openLine(lobby, locale, context.catalog)
        case .started: Self.startedLine(lobby, locale, context)
        case .ended: context.text(.gameEnded, locale, [
            "title": lobby.title, "duration": Self.duration(lobby, now: context.now(), context.catalog, locale),
        ])
        case .cancelled: context.text(.gameCancelled, locale, ["title": lobby.title])
        }
        var lines = [headline]
        if let series = lobby.series { lines.append(Self.seriesLine(series, locale, context.catalog)) }
        if let game = lobby.game { lines.append("🎮 \(Markdown.escape(game))") }
        lines.append("👑 <@\(lobby.host)>")
        for (index, member) in lobby.participants.enumerated() {
            let role = member.role.map { " · \(Markdown.escape($0))" } ?? ""
            lines.append("\(index + 1). <@\(member.user)>\(role)\(member.ready ? " ✅" : "")")
        }
        if !lobby.bench.isEmpty {
            lines.append("🪑 " + lobby.bench.map { "<@\($0.user)>" + ($0.role.map { " (\(Markdown.escape($0)))" } ?? "") }
                .joined(separator: ", "))
        }
        // The id in the footer is what the commands' `lobby` option takes.
        let embed = Embed(title: lobby.title, description: lines.joined(separator: "\n"), color: 0x57F287,
                          footer: Embed.Footer(text: "ID \(lobby.id)"))
        guard lobby.state.isActive else {
            return MessageCreate(content: "", embeds: [embed], components: [], allowedMentions: AllowedMentions.none)
        }
        // A later lobby of a series says so above its embed while it is open or running.
        let content = lobby.series.flatMap { series -> String? in
            guard series.occurrence > 1 else { return nil }
            return context.text(series.rule == .daily ? .gameSeriesNextDaily : .gameSeriesNextWeekly, locale,
                                ["title": lobby.title])
        } ?? ""
        var rows: [Component] = []
        if !lobby.roles.isEmpty {
            let options = lobby.roles.prefix(25).map { role in
                Component.StringSelect.Option(label: role.name, value: role.name,
                                              description: role.seats.map { "\(lobby.seatedCount(role: role.name))/\($0)" })
            }
            rows.append(.actionRow([.stringSelect(Component.StringSelect(
                customID: Self.customID(.join, lobby.id), options: Array(options), minValues: 1, maxValues: 1))]))
        }
        var buttons: [Component] = []
        if lobby.roles.isEmpty {
            buttons.append(button(.join, "➕", .success, lobby.id))
        }
        buttons.append(button(.leave, "➖", .secondary, lobby.id))
        buttons.append(button(.ready, "✅", .primary, lobby.id))
        if lobby.state == .open { buttons.append(button(.start, "▶️", .danger, lobby.id)) }
        rows.append(.actionRow(buttons))
        return MessageCreate(content: content, embeds: [embed], components: rows, allowedMentions: AllowedMentions.none)
    }

    private func button(_ action: Action, _ emoji: String, _ style: Component.Button.Style, _ lobby: LobbyID) -> Component {
        .button(Component.Button(style: style, emoji: PartialEmoji(name: emoji), customID: Self.customID(action, lobby)))
    }

    /// How long a lobby ran (start to end, or to `now` while it runs), with units ("24 seconds",
    /// "1 hour 5 minutes"): a clock reading like `0:24` leaves minutes or seconds open.
    static func duration(_ lobby: Lobby, now: Date, _ catalog: LocalizationCatalog,
                         _ locale: AnankorCore.DiscordLocale) -> String {
        let seconds = Int64(max(0, (lobby.endedAt ?? now).timeIntervalSince(lobby.startedAt ?? lobby.createdAt)))
        return catalog.duration(seconds: seconds, locale)
    }

    /// "Lobby … is open: 5 seats, starts …", without the start when none was given.
    static func openLine(_ lobby: Lobby, _ locale: AnankorCore.DiscordLocale, _ catalog: LocalizationCatalog) -> String {
        guard let startAt = lobby.startAt else {
            return catalog.text(.gameCreatedNoStart, locale, ["title": lobby.title, "seats": "\(lobby.seats)"])
        }
        let time = LobbyStartTime(date: startAt)
        return catalog.text(.gameCreated, locale, [
            "title": lobby.title, "seats": "\(lobby.seats)", "start": "\(time.fullMarkup) (\(time.relativeMarkup))",
        ])
    }

    /// "🔁 Repeats daily at 20:00 (Europe/Berlin).", or that the series was stopped.
    static func seriesLine(_ series: LobbySeries, _ locale: AnankorCore.DiscordLocale,
                           _ catalog: LocalizationCatalog) -> String {
        if series.stopped { return catalog.text(.gameSeriesStopped, locale) }
        return catalog.text(series.rule == .daily ? .gameSeriesDaily : .gameSeriesWeekly, locale,
                            ["time": series.localTime, "zone": series.timeZone])
    }

    /// The two buttons of `/game cancel`'s question on a lobby of a series.
    static func cancelChoice(_ lobby: Lobby, _ locale: AnankorCore.DiscordLocale,
                             _ catalog: LocalizationCatalog) -> [Component] {
        [.actionRow([
            .button(Component.Button(style: .secondary, label: catalog.text(.gameCancelOnlyThis, locale),
                                     customID: customID(.cancelOne, lobby.id))),
            .button(Component.Button(style: .danger, label: catalog.text(.gameCancelStopSeries, locale),
                                     customID: customID(.stopSeries, lobby.id))),
        ])]
    }

    /// "… has started in <channel>", or without a channel while none is known yet.
    static func startedLine(_ lobby: Lobby, _ locale: AnankorCore.DiscordLocale, _ context: MasterContext) -> String {
        guard let voice = lobby.voiceChannel else {
            return context.text(.gameStartedNoVoice, locale, ["title": lobby.title])
        }
        return context.text(.gameStarted, locale, ["title": lobby.title, "channel": context.mention(channel: voice)])
    }
}
