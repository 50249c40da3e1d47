import AnankorCore
import Foundation
import Testing

extension LedgerContractTests {
    @Suite struct Settings {
        let guild = GuildID(900_000_000_000_000_001)
        /// Above Int64.max, to prove ids are stored without loss.
        let bigChannel = ChannelID(UInt64.max - 7)

        @Test("guild settings default, round-trip and refuse stale writes", arguments: LedgerAdapter.allCases)
        func guildSettingsRoundTrip(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                #expect(try await ledger.guildSettings(guild) == GuildSettings(guild: guild))

                let settings = GuildSettings(
                    guild: guild, djRole: RoleID(42), localeOverride: "pt-BR", defaultVolume: 80, prefix: "!",
                    sessionCap: 3, stayChannels: [ChannelID(7), bigChannel])
                let saved = try await ledger.saveGuildSettings(settings)
                #expect(saved.version == 1)
                #expect(try await ledger.guildSettings(guild) == saved)

                let stale = await #expect(throws: LedgerError.self) { try await ledger.saveGuildSettings(settings) }
                #expect(stale?.code == .conflict, "a second writer that read version 0 must not overwrite version 1")

                let updated = try await ledger.updateGuildSettings(guild) { $0.djRole = nil; $0.stayChannels.remove(ChannelID(7)) }
                #expect(updated.version == 2)
                let read = try await ledger.guildSettings(guild)
                #expect(read.djRole == nil)
                #expect(read.stayChannels == [bigChannel])
                #expect(read.prefix == "!")
                #expect(read.sponsorBlockCategories == nil)
                #expect(read.effectiveSponsorBlockCategories == GuildSettings.defaultSponsorBlockCategories)

                let chosen = try await ledger.updateGuildSettings(guild) { $0.sponsorBlockCategories = ["intro", "sponsor"] }
                #expect(try await ledger.guildSettings(guild).sponsorBlockCategories == ["intro", "sponsor"])
                #expect(chosen.effectiveSponsorBlockCategories == ["intro", "sponsor"])
                let none = try await ledger.updateGuildSettings(guild) { $0.sponsorBlockCategories = [] }
                #expect(try await ledger.guildSettings(guild).sponsorBlockCategories == [], "an empty choice skips nothing")
                #expect(none.version == 4)
                let unknown = await #expect(throws: LedgerError.self) {
                    try await ledger.updateGuildSettings(guild) { $0.sponsorBlockCategories = ["ads"] }
                }
                #expect(unknown?.code == .invalidInput)
            }
        }

        @Test("concurrent updates of guild settings all land", arguments: LedgerAdapter.allCases)
        func concurrentUpdatesAllLand(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                let guild = guild
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<4 {
                        group.addTask {
                            try await ledger.updateGuildSettings(guild, attempts: 20) { $0.stayChannels.insert(ChannelID(UInt64(index + 1))) }
                        }
                    }
                    try await group.waitForAll()
                }
                let settings = try await ledger.guildSettings(guild)
                #expect(settings.stayChannels == Set((1...4).map { ChannelID(UInt64($0)) }))
                #expect(settings.version == 4)
            }
        }

        @Test("out-of-range settings are refused", arguments: LedgerAdapter.allCases)
        func invalidSettingsAreRefused(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                for bad in [
                    GuildSettings(guild: guild, defaultVolume: 1001), GuildSettings(guild: guild, prefix: "two words"),
                    GuildSettings(guild: guild, sessionCap: 0), GuildSettings(guild: guild, localeOverride: "x;DROP"),
                    GuildSettings(guild: guild, sessionCap: Anankor.maximumGuildSessionCap + 1),
                ] {
                    let error = await #expect(throws: LedgerError.self) { try await ledger.saveGuildSettings(bad) }
                    #expect(error?.code == .invalidInput)
                }
                let untouched = try await ledger.guildSettings(guild)
                #expect(untouched.version == 0)
            }
        }

        @Test("voice channel settings round-trip per channel", arguments: LedgerAdapter.allCases)
        func voiceChannelSettingsRoundTrip(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                let session = SessionKey(guild: guild, channel: bigChannel)
                #expect(try await ledger.voiceChannelSettings(session) == VoiceChannelSettings(session: session))
                let settings = VoiceChannelSettings(session: session, volume: 150, autoplay: true, djOnly: true, announceChannel: ChannelID(5))
                try await ledger.saveVoiceChannelSettings(settings)
                #expect(try await ledger.voiceChannelSettings(session) == settings)
                let other = SessionKey(guild: guild, channel: ChannelID(6))
                #expect(try await ledger.voiceChannelSettings(other) == VoiceChannelSettings(session: other))
                var changed = settings
                changed.volume = nil
                changed.autoplay = false
                try await ledger.saveVoiceChannelSettings(changed)
                #expect(try await ledger.voiceChannelSettings(session) == changed)
            }
        }

        @Test("the guild's and a voice channel's settings read together equal each read alone",
              arguments: LedgerAdapter.allCases)
        func settingsTogether(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                let session = SessionKey(guild: guild, channel: bigChannel)
                // Nothing saved: the defaults of both.
                let empty = try await ledger.settings(of: session)
                #expect(empty.guild == GuildSettings(guild: guild))
                #expect(empty.channel == VoiceChannelSettings(session: session))
                // Only the channel's saved, then both; another channel of the guild keeps its defaults.
                let channel = VoiceChannelSettings(session: session, volume: 40, autoplay: true, djOnly: true)
                try await ledger.saveVoiceChannelSettings(channel)
                let onlyChannel = try await ledger.settings(of: session)
                #expect(onlyChannel.guild == GuildSettings(guild: guild))
                #expect(onlyChannel.channel == channel)
                let saved = try await ledger.saveGuildSettings(GuildSettings(guild: guild, djRole: RoleID(9), defaultVolume: 70))
                let both = try await ledger.settings(of: session)
                #expect(both.guild == saved)
                #expect(both.guild == (try await ledger.guildSettings(guild)))
                #expect(both.channel == (try await ledger.voiceChannelSettings(session)))
                let other = SessionKey(guild: guild, channel: ChannelID(6))
                let otherRead = try await ledger.settings(of: other)
                #expect(otherRead.guild == saved)
                #expect(otherRead.channel == VoiceChannelSettings(session: other))
            }
        }

        @Test("the vote-skip share round-trips for the guild and per channel, and stays in 1...100",
              arguments: LedgerAdapter.allCases)
        func voteSkipShareRoundTrip(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                #expect(try await ledger.guildSettings(guild).effectiveVoteSkipShare == SkipVotes.defaultShare)
                try await ledger.updateGuildSettings(guild) { $0.voteSkipShare = 75 }
                #expect(try await ledger.guildSettings(guild).voteSkipShare == 75)
                await #expect(throws: LedgerError.self) {
                    try await ledger.updateGuildSettings(guild) { $0.voteSkipShare = 0 }
                }
                let session = SessionKey(guild: guild, channel: bigChannel)
                try await ledger.saveVoiceChannelSettings(VoiceChannelSettings(session: session, voteSkipShare: 34))
                #expect(try await ledger.voiceChannelSettings(session).voteSkipShare == 34)
                #expect(try await ledger.voiceChannelSettings(in: guild).map(\.voteSkipShare) == [34],
                        "a channel with only a share of its own is listed")
            }
        }

        @Test("a guild's voice channel settings are listed by channel, without defaults or other guilds",
              arguments: LedgerAdapter.allCases)
        func voiceChannelSettingsListed(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                #expect(try await ledger.voiceChannelSettings(in: guild).isEmpty)
                let nine = VoiceChannelSettings(session: SessionKey(guild: guild, channel: ChannelID(9)), volume: 40)
                let ten = VoiceChannelSettings(session: SessionKey(guild: guild, channel: ChannelID(10)), djOnly: true)
                let big = VoiceChannelSettings(session: SessionKey(guild: guild, channel: bigChannel), volume: 120, djOnly: true)
                let reset = VoiceChannelSettings(session: SessionKey(guild: guild, channel: ChannelID(11)))
                let elsewhere = VoiceChannelSettings(session: SessionKey(guild: GuildID(5), channel: ChannelID(12)), volume: 10)
                for settings in [big, ten, nine, reset, elsewhere] { try await ledger.saveVoiceChannelSettings(settings) }
                // Numeric order (9 before 10 and before a channel id above Int64.max), and a
                // channel saved back to the defaults is not listed.
                #expect(try await ledger.voiceChannelSettings(in: guild) == [nine, ten, big])
                var cleared = ten
                cleared.djOnly = false
                try await ledger.saveVoiceChannelSettings(cleared)
                #expect(try await ledger.voiceChannelSettings(in: guild) == [nine, big])
            }
        }

        @Test("affinity keeps the most recent worker", arguments: LedgerAdapter.allCases)
        func affinityKeepsNewest(_ adapter: LedgerAdapter) async throws {
            try await adapter.withLedger { ledger in
                let session = SessionKey(guild: guild, channel: ChannelID(11))
                #expect(try await ledger.affinity(session) == nil)
                try await ledger.recordAffinity(WorkerAffinity(session: session, worker: WorkerID(1), lastUsed: LedgerTime.at(100)))
                try await ledger.recordAffinity(WorkerAffinity(session: session, worker: WorkerID(2), lastUsed: LedgerTime.at(50)))
                #expect(try await ledger.affinity(session) == WorkerAffinity(session: session, worker: WorkerID(1), lastUsed: LedgerTime.at(100)),
                        "an older event does not roll affinity back")
                try await ledger.recordAffinity(WorkerAffinity(session: session, worker: WorkerID(UInt64.max), lastUsed: LedgerTime.at(200)))
                #expect(try await ledger.affinity(session)?.worker == WorkerID(UInt64.max))
                #expect(try await ledger.affinity(SessionKey(guild: guild, channel: ChannelID(12))) == nil)
            }
        }
    }
}
