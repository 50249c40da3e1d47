import AnankorCore
import DiscordKit
import Foundation

/// The one now-playing message per session (DESIGN §4): an embed with the track and its state,
/// and buttons, posted once in the session's text channel and then edited in place.
struct NowPlayingBoard: Sendable {
    let context: MasterContext

    /// Buttons carry `np:<action>:<guild>:<channel>` so a press acts on that session.
    enum Action: String, CaseIterable, Sendable {
        case previous, toggle, skip, stop, loop, shuffle

        var command: String {
            switch self {
            case .toggle: "pause"
            case .previous: "previous"
            case .skip: "skip"
            case .stop: "stop"
            case .loop: "loop"
            case .shuffle: "shuffle"
            }
        }

        var emoji: String {
            switch self {
            case .toggle: "⏯️"
            case .previous: "⏮️"
            case .skip: "⏭️"
            case .stop: "⏹️"
            case .loop: "🔁"
            case .shuffle: "🔀"
            }
        }
    }

    static func customID(_ action: Action, _ session: SessionKey) -> String {
        "np:\(action.rawValue):\(session.guild):\(session.channel)"
    }

    static func parse(customID: String) -> (Action, SessionKey)? {
        let parts = customID.split(separator: ":")
        guard parts.count == 4, parts[0] == "np", let action = Action(rawValue: String(parts[1])),
            let guild = UInt64(parts[2]), let channel = UInt64(parts[3])
        else { return nil }
        return (action, SessionKey(guild: GuildID(guild), channel: ChannelID(channel)))
    }

    /// Posts or edits the message to show what plays now (or that the queue ended).
    func refresh(_ session: SessionKey) async {
        do {
            // A session without a worker has no player to show (it crashed or was left).
            guard let details = try await context.state.sessionDetails(session), let channel = details.textChannel,
                try await context.state.binding(for: session) != nil
            else { return }
            let locale = details.locale ?? .englishUS
            let playing = try await context.state.nowPlaying(session)
            let loop = try await context.state.loopMode(session)
            let upNext = try await context.state.queuePage(session, offset: 0, limit: 1)
            let body = render(playing: playing, loop: loop, details: details, upNext: upNext, locale: locale)
            if let message = details.nowPlayingMessage {
                do {
                    _ = try await context.rest.editMessage(channelID: Snowflake(channel.rawValue),
                                                           messageID: Snowflake(message.rawValue), body)
                    return
                } catch let error as DiscordRESTError where error.status == 404 {
                    // Deleted by someone: post a fresh one below.
                }
            }
            let posted = try await context.rest.createMessage(channelID: Snowflake(channel.rawValue), body)
            try await context.state.updateExistingSessionDetails(session) {
                $0.nowPlayingMessage = MessageID(posted.id.rawValue)
            }
        } catch {
            context.logger.warning("could not refresh the now-playing message",
                                   metadata: ["session.key": "\(session)", "error": "\(error)"])
        }
    }

    /// Takes the buttons off the message (the session they control is gone); the last state stays.
    func retire(_ details: SessionDetails) async {
        guard let channel = details.textChannel, let message = details.nowPlayingMessage else { return }
        let edit = MessageEdit(components: [])
        _ = try? await context.rest.editMessage(channelID: Snowflake(channel.rawValue),
                                                messageID: Snowflake(message.rawValue), edit)
    }

    func render(playing: NowPlaying?, loop: LoopMode, details: SessionDetails, upNext: QueuePage,
                locale: AnankorCore.DiscordLocale) -> MessageCreate {
        let session = details.session
        // Several sessions share a text channel: each message names its voice channel first.
        let channelLine = "🔊 \(context.mention(channel: session.channel))"
        guard let playing else {
            let embed = Embed(title: context.text(.musicBoardIdleTitle, locale),
                              description: "\(channelLine)\n\(context.text(.musicBoardIdle, locale))", color: 0x5865F2)
            return MessageCreate(content: "", embeds: [embed], components: [], allowedMentions: AllowedMentions.none)
        }
        let track = playing.entry.track
        let position = PlaybackTime.format(milliseconds: playing.position(at: context.now()))
        let length = track.isStream ? "LIVE" : PlaybackTime.format(milliseconds: track.lengthMs)
        var lines = [channelLine, "**\(Markdown.escape(track.title))** — \(Markdown.escape(track.author))",
                     "\(playing.paused ? "⏸️" : "▶️") `\(position) / \(length)` · <@\(playing.entry.requester)>"]
        if let next = upNext.entries.first {
            lines.append(context.text(.musicUpNextLine, locale, ["title": next.track.title, "count": "\(upNext.total)"]))
        }
        var footer = "🔁 \(loop.rawValue) · 🔊 \(details.volume)%"
        if let filter = details.filterPreset { footer += " · 🎛️ \(filter)" }
        if details.autoplay { footer += " · ♾️" }
        var embed = Embed(title: context.text(.musicNowPlayingTitle, locale), description: lines.joined(separator: "\n"),
                          url: track.uri, color: 0x5865F2)
        embed.footer = Embed.Footer(text: footer)
        let buttons = Action.allCases.map { action in
            Component.button(Component.Button(style: action == .stop ? .danger : .secondary,
                                              emoji: PartialEmoji(name: action.emoji),
                                              customID: Self.customID(action, session)))
        }
        // Discord allows at most 5 buttons per row: transport controls, then modes.
        return MessageCreate(content: "", embeds: [embed],
                             components: [.actionRow(Array(buttons.prefix(3))), .actionRow(Array(buttons.dropFirst(3)))],
                             allowedMentions: AllowedMentions.none)
    }
}
