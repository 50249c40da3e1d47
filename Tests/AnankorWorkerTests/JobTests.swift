import AnankorCore
@testable import AnankorWorker
import DiscordEmulator
import DiscordKit
import Foundation
import Testing

@Suite("Worker: jobs once, game jobs, failures", .serialized)
struct JobTests {
    @Test("a redelivered job (same envelope id) is executed once and acknowledged")
    func redeliveredOnce() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                let id = EnvelopeID()
                let reminder = Job.reminderPost(ReminderPostJob(
                    lobby: LobbyID("lobby-1"), guild: GuildID(world.guild), channel: ChannelID(world.text),
                    content: "Game night starts in 15 minutes, <@\(world.alice)>", mentions: [UserID(world.alice)]))
                try await world.send(reminder, id: id)
                try await world.send(reminder, id: id)
                // Same guild, so the marker runs after both copies.
                try await world.send(.reminderPost(ReminderPostJob(
                    lobby: LobbyID("lobby-1"), guild: GuildID(world.guild), channel: ChannelID(world.text), content: "marker")))
                try await eventually("the marker was posted") {
                    await world.discord.messages(in: world.text).contains { $0["content"]?.stringValue == "marker" }
                }
                let posted = await world.discord.messages(in: world.text).filter {
                    $0["content"]?.stringValue?.hasPrefix("Game night") == true
                }
                #expect(posted.count == 1)
                #expect(posted.first?["mentions"]?.arrayValue?.count == 1)
                try await eventually("nothing left pending") {
                    try await world.bus.pendingCounts(in: .jobs(world.worker)).values.reduce(0, +) == 0
                }
                #expect(try await world.bus.deadLetters(in: .jobs(world.worker), limit: 10).isEmpty)
            }
        }
    }

    @Test("tempChannelCreate makes a voice channel with the seat limit and reports it; voiceMove and roleAdd act")
    func gameJobs() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                let lobby = LobbyID("lobby-7")
                try await world.send(.tempChannelCreate(TempChannelCreateJob(
                    lobby: lobby, guild: GuildID(world.guild), name: "Lobby 7", userLimit: 4)))
                let created = try await world.recorder.wait(for: "tempChannelCreated") { $0.tempChannelCreated }
                #expect(created.lobby == lobby && created.guild == GuildID(world.guild))
                let channels = await world.discord.guildSnapshot(world.guild)["channels"]?.arrayValue ?? []
                let channel = try #require(channels.first { $0["id"]?.snowflakeValue == created.channel.rawValue })
                #expect(channel["type"]?.intValue == 2 && channel["user_limit"]?.intValue == 4)
                #expect(channel["name"]?.stringValue == "Lobby 7")

                try await world.discord.setVoiceChannel(of: world.alice, in: world.guild, to: world.music)
                try await world.send(.voiceMove(VoiceMoveJob(
                    lobby: lobby, guild: GuildID(world.guild), users: [UserID(world.alice)], channel: created.channel)))
                try await eventually("alice was moved to the lobby channel") {
                    await world.discord.voiceChannel(of: world.alice, in: world.guild) == created.channel.rawValue
                }

                try await world.send(.roleAdd(RoleAddJob(RoleChangeJob(
                    lobby: lobby, guild: GuildID(world.guild), users: [UserID(world.alice)], role: RoleID(world.lobbyRole)))))
                try await eventually("alice has the lobby role") {
                    await world.discord.roles(of: world.alice, in: world.guild)?.contains(world.lobbyRole) == true
                }
                try await world.send(.roleRemove(RoleRemoveJob(RoleChangeJob(
                    lobby: lobby, guild: GuildID(world.guild), users: [UserID(world.alice)], role: RoleID(world.lobbyRole)))))
                try await eventually("the lobby role was removed") {
                    await world.discord.roles(of: world.alice, in: world.guild)?.contains(world.lobbyRole) == false
                }

                try await world.send(.tempChannelDelete(TempChannelDeleteJob(
                    lobby: lobby, guild: GuildID(world.guild), channel: created.channel)))
                try await eventually("the temporary channel is gone") {
                    let channels = await world.discord.guildSnapshot(world.guild)["channels"]?.arrayValue ?? []
                    return !channels.contains { $0["id"]?.snowflakeValue == created.channel.rawValue }
                }
            }
        }
    }

    @Test("music.voice.status sets and clears the channel's status; without the permission it is skipped, not failed")
    func voiceStatus() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                let session = SessionKey(guild: GuildID(world.guild), channel: ChannelID(world.music))
                try await world.send(.voiceStatus(VoiceStatusJob(session: session, status: "🎶 Golden Harbour — Northbound")))
                try await eventually("the status is shown") {
                    await world.discord.voiceStatus(of: world.music) == "🎶 Golden Harbour — Northbound"
                }
                try await world.send(.voiceStatus(VoiceStatusJob(session: session, status: nil)))
                try await eventually("the status is cleared") { await world.discord.voiceStatus(of: world.music) == nil }

                // Without Manage Channels or Set Voice Channel Status (and not connected): skipped.
                try await world.discord.addMember(world.bot.userID, to: world.guild, roles: [])
                let skipped = try await world.send(.voiceStatus(VoiceStatusJob(session: session, status: "x")))
                // Statuses are sent beside the guild's jobs, so the marker (@everyone may send) only shows the status
                // job was taken and acknowledged; what the member sees is checked: no status, and no failure reported.
                try await world.send(.reminderPost(ReminderPostJob(
                    lobby: LobbyID("l"), guild: GuildID(world.guild), channel: ChannelID(world.text), content: "marker")))
                try await eventually("the marker was posted") {
                    await world.discord.messages(in: world.text).contains { $0["content"]?.stringValue == "marker" }
                }
                #expect(await world.discord.voiceStatus(of: world.music) == nil)
                #expect(!world.recorder.all.contains { $0.jobFailed?.job == skipped }, "a missing permission is not a failure")
            }
        }
    }

    @Test("a status waiting for Discord's pace holds up none of the guild's other jobs, and the latest one is shown")
    func voiceStatusWaitsBesideTheJobs() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                let session = SessionKey(guild: GuildID(world.guild), channel: ChannelID(world.music))
                // The channel's status bucket (5 per 5 s) is used up by the same bot just before.
                let rest = DiscordREST(token: BotToken(world.bot.token), configuration: .init(baseURL: world.discord.restURL))
                for index in 1...5 {
                    try await rest.setVoiceChannelStatus(channelID: Snowflake(world.music), status: "earlier \(index)")
                }
                try await world.send(.voiceStatus(VoiceStatusJob(session: session, status: "🎶 first")))
                try await world.send(.voiceStatus(VoiceStatusJob(session: session, status: "🎶 latest")))
                try await world.send(.reminderPost(ReminderPostJob(
                    lobby: LobbyID("l"), guild: GuildID(world.guild), channel: ChannelID(world.text), content: "marker")))
                // The guild's next job ran while the statuses still wait for the bucket to reset.
                try await eventually("the marker was posted") {
                    await world.discord.messages(in: world.text).contains { $0["content"]?.stringValue == "marker" }
                }
                #expect(await world.discord.voiceStatus(of: world.music) == "earlier 5", "the bucket has not reset yet")
                try await eventually("the latest status is shown once Discord allows it", timeout: .seconds(30)) {
                    await world.discord.voiceStatus(of: world.music) == "🎶 latest"
                }
            }
        }
    }

    @Test("what Discord refuses becomes jobFailed and is acknowledged, never retried or crashing")
    func refusals() async throws {
        try await WorkerWorld.with { world in
            let worker = world.makeWorker()
            try await world.running(worker) {
                let unknownChannel = try await world.send(.reminderPost(ReminderPostJob(
                    lobby: LobbyID("l"), guild: GuildID(world.guild), channel: ChannelID(424_242), content: "hello")))
                let failed = try await world.recorder.wait(for: "jobFailed for the unknown channel") {
                    $0.jobFailed.flatMap { $0.job == unknownChannel ? $0 : nil }
                }
                #expect(failed.jobKind == ReminderPostJob.kind && failed.reason.contains("10003"))

                let otherGuild = try await world.send(.voiceConnect(VoiceConnectJob(
                    session: SessionKey(guild: GuildID(777), channel: ChannelID(778)))))
                let notMember = try await world.recorder.wait(for: "jobFailed for a guild the bot is not in") {
                    $0.jobFailed.flatMap { $0.job == otherGuild ? $0 : nil }
                }
                #expect(notMember.reason.contains("not a member"))
                try await eventually("both acknowledged") {
                    try await world.bus.pendingCounts(in: .jobs(world.worker)).values.reduce(0, +) == 0
                }
            }
        }
    }
}
