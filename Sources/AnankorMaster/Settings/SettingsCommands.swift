import AnankorCore
import DiscordKit
import Foundation

/// `/settings …`: what a server's managers change about Anankor (DJ role, language of posts,
/// default volume, text-command prefix, sessions at once, the vote-skip share, SponsorBlock
/// categories, and per voice channel: volume, 24/7, DJ-only, vote-skip share). Every change is a compare-and-set on the ledger's settings, confirmed with what was
/// saved, in the member's language; an option left out puts the setting back to its default.
struct SettingsCommands: Sendable {
    let context: MasterContext
    /// The music commands, so that a channel made (or no longer) 24/7 changes the session playing
    /// there now too, as `/stay` does; nil where no session can be playing (tests of the texts).
    var music: MusicCommands? = nil

    func run(_ invocation: CommandInvocation) async throws -> Reply {
        // Discord hides /settings from non-managers by default, but a server can change that.
        guard invocation.isManager else { throw InvocationProblem(.settingsManagersOnly) }
        switch invocation.name {
        case "settings.show": return try await show(invocation)
        case "settings.dj": return try await dj(invocation)
        case "settings.language": return try await language(invocation)
        case "settings.volume": return try await volume(invocation)
        case "settings.prefix": return try await prefix(invocation)
        case "settings.sessions": return try await sessions(invocation)
        case "settings.voteskip": return try await voteSkip(invocation)
        case "settings.channel": return try await channel(invocation)
        case "settings.sponsorblock": return try await sponsorBlock(invocation)
        default: throw InvocationProblem(.errorUnknownCommand)
        }
    }

    // MARK: Show

    private func show(_ invocation: CommandInvocation) async throws -> Reply {
        let settings = try await context.ledger.guildSettings(invocation.guild)
        let channels = try await context.ledger.voiceChannelSettings(in: invocation.guild)
        let none = text(invocation, .settingsNone)
        let cap = await context.sessionCap(of: invocation.guild)
        var lines = [text(invocation, .settingsShow, [
            "dj": settings.djRole.map { "<@&\($0)>" } ?? none,
            "language": languageLine(settings, invocation),
            "volume": "\(settings.defaultVolume ?? 100)",
            "prefix": settings.prefix ?? context.configuration.defaultPrefix,
            "sessionLimit": "\(cap)",
            "stay": settings.stayChannels.isEmpty ? none
                : settings.stayChannels.sorted { $0.rawValue < $1.rawValue }.map(context.mention(channel:)).joined(separator: ", "),
        ])]
        lines.append(text(invocation, .settingsShowSponsorBlock, [
            "categories": settings.effectiveSponsorBlockCategories.isEmpty ? none
                : settings.effectiveSponsorBlockCategories.joined(separator: ", "),
        ]))
        lines.append(text(invocation, .settingsShowVoteSkip, ["share": "\(settings.effectiveVoteSkipShare)"]))
        if !channels.isEmpty {
            lines.append(text(invocation, .settingsShowChannels))
            for channel in channels.prefix(25) {
                lines.append(text(invocation, .settingsChannelLine, [
                    "channel": context.mention(channel: channel.session.channel),
                    "overrides": overrides(channel, stays: settings.stayChannels.contains(channel.session.channel), invocation),
                ]))
            }
        }
        return Reply(lines.joined(separator: "\n"), ephemeral: true)
    }

    private func languageLine(_ settings: GuildSettings, _ invocation: CommandInvocation) -> String {
        if let override = settings.localeOverride { return Self.languageName(override.rawValue) }
        let own = context.cache.preferredLocale(of: Snowflake(invocation.guild.rawValue)) ?? "en-US"
        return text(invocation, .settingsLanguageServer, ["language": Self.languageName(own)])
    }

    /// A language by its own name ("Deutsch"), as `/settings language` offers it.
    static func languageName(_ code: String) -> String {
        CommandTexts.standard.entry("settings.language.locale.\(code)", .englishUS)?.name ?? code
    }

    /// "volume 40%, 24/7, DJ only", or "none".
    private func overrides(_ channel: VoiceChannelSettings, stays: Bool, _ invocation: CommandInvocation) -> String {
        var parts: [String] = []
        if let volume = channel.volume { parts.append(text(invocation, .settingsPartVolume, ["volume": "\(volume)"])) }
        if stays { parts.append(text(invocation, .settingsPartStay)) }
        if channel.djOnly { parts.append(text(invocation, .settingsPartDJOnly)) }
        if let share = channel.voteSkipShare { parts.append(text(invocation, .settingsPartVoteSkip, ["share": "\(share)"])) }
        return parts.isEmpty ? text(invocation, .settingsNone) : parts.joined(separator: ", ")
    }

    // MARK: Guild-wide settings

    private func dj(_ invocation: CommandInvocation) async throws -> Reply {
        let role = invocation.options["role"].flatMap { value -> RoleID? in
            if case .snowflake(let id) = value { RoleID(id) } else { nil }
        }
        // @everyone (its id is the guild's) would gate nobody out; refused as a mistake.
        if role?.rawValue == invocation.guild.rawValue {
            throw CommandValidation.invalid("settings.dj.role", .errorOptionNotEveryone)
        }
        let saved = try await update(invocation) { $0.djRole = role }
        guard let dj = saved.djRole else { return Reply(text(invocation, .settingsDJCleared), ephemeral: true) }
        return Reply(text(invocation, .settingsDJSet, ["role": "<@&\(dj)>"]), ephemeral: true)
    }

    private func language(_ invocation: CommandInvocation) async throws -> Reply {
        let choice = invocation.string("locale") ?? "server"
        let override = choice == "server" ? nil : AnankorCore.DiscordLocale(rawValue: choice)
        let saved = try await update(invocation) { $0.localeOverride = override }
        guard let chosen = saved.localeOverride else {
            let own = context.cache.preferredLocale(of: Snowflake(invocation.guild.rawValue)) ?? "en-US"
            return Reply(text(invocation, .settingsLanguageFollowsServer, ["language": Self.languageName(own)]), ephemeral: true)
        }
        return Reply(text(invocation, .settingsLanguageSet, ["language": Self.languageName(chosen.rawValue)]), ephemeral: true)
    }

    private func volume(_ invocation: CommandInvocation) async throws -> Reply {
        let level = invocation.integer("level").map(Int.init)
        let saved = try await update(invocation) { $0.defaultVolume = level }
        return Reply(text(invocation, .settingsVolumeSet, ["volume": "\(saved.defaultVolume ?? 100)"]), ephemeral: true)
    }

    private func prefix(_ invocation: CommandInvocation) async throws -> Reply {
        let prefix = invocation.string("prefix")
        if let prefix, !Self.isValidPrefix(prefix) {
            throw CommandValidation.invalid("settings.prefix.prefix", .errorOptionPrefix)
        }
        let saved = try await update(invocation) { $0.prefix = prefix }
        return Reply(text(invocation, .settingsPrefixSet, ["prefix": saved.prefix ?? context.configuration.defaultPrefix]),
                     ephemeral: true)
    }

    /// 1–8 characters, no spaces (a text command is split at them) and no backticks (the
    /// confirmation shows the prefix in a code span).
    static func isValidPrefix(_ prefix: String) -> Bool {
        (1...8).contains(prefix.count) && !prefix.contains(where: { $0.isWhitespace || $0 == "`" })
    }

    private func sessions(_ invocation: CommandInvocation) async throws -> Reply {
        let cap = invocation.integer("cap").map(Int.init)
        let saved = try await update(invocation) { $0.sessionCap = cap }
        let operatorCap = context.configuration.guildSessionCap
        guard let wanted = saved.sessionCap else {
            return Reply(text(invocation, .settingsSessionsReset, ["count": "\(operatorCap)"]), ephemeral: true)
        }
        var lines = [text(invocation, .settingsSessionsSet, ["count": "\(wanted)"])]
        if operatorCap < wanted { lines.append(text(invocation, .settingsSessionsCapped, ["limit": "\(operatorCap)"])) }
        return Reply(lines.joined(separator: "\n"), ephemeral: true)
    }

    /// The SponsorBlock categories the guild's players skip. Workers read them from the ledger
    /// before each track, so the next track follows a change.
    private func sponsorBlock(_ invocation: CommandInvocation) async throws -> Reply {
        var chosen: [String]?
        if let input = invocation.string("categories"), !input.trimmingCharacters(in: .whitespaces).isEmpty {
            switch GuildSettings.sponsorBlockChoice(parsing: input) {
            case .categories(let categories): chosen = categories
            case .unknown(let word):
                throw CommandValidation.invalid("settings.sponsorblock.categories", .errorOptionSponsorBlock, [
                    "input": word.replacingOccurrences(of: "`", with: "'"), "known": GuildSettings.sponsorBlockCategoryNames.joined(separator: ", "),
                ])
            }
        }
        let saved = try await update(invocation) { $0.sponsorBlockCategories = chosen }
        let categories = saved.effectiveSponsorBlockCategories
        guard !categories.isEmpty else { return Reply(text(invocation, .settingsSponsorBlockNone), ephemeral: true) }
        return Reply(text(invocation, .settingsSponsorBlockSet, ["categories": categories.joined(separator: ", ")]),
                     ephemeral: true)
    }

    /// `/settings voteskip [share]`: the share of listeners whose `/skip` votes skip a track.
    private func voteSkip(_ invocation: CommandInvocation) async throws -> Reply {
        let share = invocation.integer("share").map(Int.init)
        let saved = try await update(invocation) { $0.voteSkipShare = share }
        return Reply(text(invocation, .settingsVoteSkipSet, ["share": "\(saved.effectiveVoteSkipShare)"]), ephemeral: true)
    }

    // MARK: One voice channel

    private func channel(_ invocation: CommandInvocation) async throws -> Reply {
        guard case .snowflake(let id)? = invocation.options["channel"] else {
            throw CommandValidation.invalid("settings.channel.channel", .errorOptionRequired)
        }
        let channel = ChannelID(id)
        if let cached = context.cache.channel(Snowflake(id), in: Snowflake(invocation.guild.rawValue)),
            cached.type != .guildVoice, cached.type != .guildStageVoice
        {
            throw CommandValidation.invalid("settings.channel.channel", .errorOptionWrongType)
        }
        let session = SessionKey(guild: invocation.guild, channel: channel)
        let volume = invocation.integer("volume").map(Int.init)
        let stay = invocation.bool("stay")
        let djOnly = invocation.bool("dj_only")
        let reset = invocation.bool("reset") == true
        let voteSkip = invocation.integer("vote_skip").map(Int.init)
        guard reset || volume != nil || stay != nil || djOnly != nil || voteSkip != nil else {
            throw InvocationProblem(.settingsChannelNothing)
        }
        var current = try await context.ledger.voiceChannelSettings(session)
        if reset {
            current = VoiceChannelSettings(session: session)
        }
        if djOnly == true {
            let settings = try await context.settings.settings(of: invocation.guild)
            guard settings.djRole != nil else { throw InvocationProblem(.settingsChannelNeedsDJ) }
        }
        if let volume { current.volume = volume }
        if let djOnly { current.djOnly = djOnly }
        if let voteSkip { current.voteSkipShare = voteSkip }
        try await context.ledger.saveVoiceChannelSettings(current)
        context.settings.remember(current)
        let stays = reset ? false : stay
        var saved = try await context.settings.settings(of: invocation.guild)
        if let stays {
            saved = try await update(invocation) { settings in
                if stays { settings.stayChannels.insert(channel) } else { settings.stayChannels.remove(channel) }
            }
            // A new session reads the setting when it starts; one there now is told, like /stay.
            if let music, let record = try await music.driver.record(session), record.stay != stays {
                _ = try await music.driver.command(.stay(stays), in: session, origin: music.origin(invocation))
            }
        }
        let mention = context.mention(channel: channel)
        if reset, stay == nil, volume == nil, djOnly == nil, voteSkip == nil {
            return Reply(text(invocation, .settingsChannelReset, ["channel": mention]), ephemeral: true)
        }
        return Reply(text(invocation, .settingsChannelSaved, [
            "channel": mention, "overrides": overrides(current, stays: saved.stayChannels.contains(channel), invocation),
        ]), ephemeral: true)
    }

    // MARK: Saving

    /// Applies `change` with compare-and-set (retried a few times against concurrent changes)
    /// and makes this master see the result at once.
    private func update(_ invocation: CommandInvocation, _ change: (inout GuildSettings) -> Void)
        async throws -> GuildSettings
    {
        do throws(LedgerError) {
            let saved = try await context.ledger.updateGuildSettings(invocation.guild, attempts: 5, change)
            context.settings.remember(saved, for: invocation.guild)
            return saved
        } catch where error.code == .conflict {
            throw InvocationProblem(.settingsConflict)
        } catch where error.code == .invalidInput {
            // The ranges are checked by the command definitions; this is a payload that bypassed them.
            throw InvocationProblem(.errorGeneric)
        }
    }

    private func text(_ invocation: CommandInvocation, _ key: MessageKey, _ arguments: [String: String] = [:]) -> String {
        context.text(key, invocation.locale, arguments)
    }
}
