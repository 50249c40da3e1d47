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

    /// Posts or edits the message to show the session as its record stands; returns the message
    /// that shows it (a new one when the old was deleted), nil when nothing could be shown.
    func show(_ record: SessionRecord, in channel: ChannelID) async -> MessageID? {
        let body = render(record, locale: record.locale ?? .englishUS)
        do {
            if let message = record.boardMessage {
                do {
                    _ = try await context.rest.editMessage(channelID: Snowflake(channel.rawValue),
                                                           messageID: Snowflake(message.rawValue), body)
                    return message
                } catch let error as DiscordRESTError where error.status == 404 {
                    // Deleted by someone: post a fresh one below.
                }
            }
            let posted = try await context.rest.createMessage(channelID: Snowflake(channel.rawValue), body)
            return MessageID(posted.id.rawValue)
        } catch {
            context.logger.warning("could not show the now-playing message",
                                   metadata: ["session.key": "\(record.session)", "error": "\(error)"])
            return nil
        }
    }

    /// Takes the buttons off the message (the session they control is gone); the last state stays.
    func retire(_ message: MessageID, in channel: ChannelID) async {
        _ = try? await context.rest.editMessage(channelID: Snowflake(channel.rawValue),
                                                messageID: Snowflake(message.rawValue), MessageEdit(components: []))
    }

    func render(_ record: SessionRecord, locale: AnankorCore.DiscordLocale) -> MessageCreate {
        let session = record.session
        // Several sessions share a text channel: each message names its voice channel first.
        let channelLine = "🔊 \(context.mention(channel: session.channel))"
        guard let playing = record.nowPlaying else {
            let embed = Embed(title: context.text(.musicBoardIdleTitle, locale),
                              description: "\(channelLine)\n\(context.text(.musicBoardIdle, locale))", color: 0x5865F2)
            return MessageCreate(content: "", embeds: [embed], components: [], allowedMentions: AllowedMentions.none)
        }
        let track = playing.entry.track
        let position = PlaybackTime.format(milliseconds: playing.position(at: context.now()))
        let length = track.isStream ? "LIVE" : PlaybackTime.format(milliseconds: track.lengthMs)
        var lines = [channelLine, "**\(Markdown.escape(track.title))** — \(Markdown.escape(track.author))",
                     "\(playing.paused ? "⏸️" : "▶️") `\(position) / \(length)` · <@\(playing.entry.requester)>"]
        if let skipped = record.skippedSegment, skipped.entry == playing.entry.id {
            lines.append(context.text(.musicBoardSegmentSkipped, locale, [
                "category": context.text(SegmentNotices.label(of: skipped.part.category), locale),
                "from": PlaybackTime.format(milliseconds: skipped.part.startMs),
                "to": PlaybackTime.format(milliseconds: skipped.part.endMs),
            ]))
        }
        if let next = record.queue.first {
            lines.append(context.text(.musicUpNextLine, locale, ["title": next.track.title, "count": "\(record.queue.count)"]))
        }
        if let votes = record.skipVotes, votes.entry == playing.entry.id {
            lines.append(context.text(.musicBoardSkipVotes, locale, ["votes": "\(votes.voters.count)", "needed": "\(votes.needed)"]))
        }
        var footer = "🔁 \(record.loop.rawValue) · 🔊 \(record.volume)%"
        if let filter = record.filter { footer += " · 🎛️ \(filter)" }
        if record.autoplay { footer += " · ♾️ \((record.autoplayMode ?? .similar).rawValue)" }
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
