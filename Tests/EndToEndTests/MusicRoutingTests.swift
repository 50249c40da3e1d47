import AnankorCore
import AnankorSandbox
import AnankorTestSupport
import Foundation
import Testing

/// DESIGN §4 routing, seen by members: several channels of one guild play at once on different
/// worker bots, the cap holds, and a full guild gets a clear answer.
extension EndToEnd {
@Suite("Music routing end to end")
struct MusicRoutingTests {
    @Test("three members in three channels each /play: three worker bots join the right channels and play at once",
          arguments: Mode.allCases)
    func threeChannelsThreeBots(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let seats = [("alice", "Lounge"), ("bob", "Gaming"), ("carol", "Study")]
            for (name, channel) in seats {
                try await stage.member(name).join(channel)
            }
            for (name, channel) in seats {
                let answer = try await stage.member(name).run("play", ["query": .string("https://youtu.be/\(channel.lowercased())")])
                #expect(answer.text.hasPrefix("Queued **"), "\(name): \(answer)")
                #expect(!answer.ephemeral)
            }
            let playing = await world.eventually {
                var bots = Set<UInt64>()
                for (_, channel) in seats {
                    guard let bot = await stage.boundBot(channel), await world.voiceChannel(of: bot) == stage.voice(channel),
                        let player = await stage.player(of: bot), player.track != nil, !player.paused,
                        player.voiceConnected
                    else { return false }
                    bots.insert(bot)
                }
                return bots.count == 3
            }
            #expect(playing, "every channel should have its own worker bot in voice with a playing player")
            let workerIDs = Set(world.workers.map(\.userID))
            for (_, channel) in seats {
                let bot = await stage.boundBot(channel)
                #expect(bot.map(workerIDs.contains) == true)
            }
            // Each session posted one now-playing message.
            #expect(await world.eventually { await world.nowPlayingMessages().count == 3 })
        }
    }

    @Test("a sixth channel beyond a cap of 5 gets the cap reply naming the busy channels", arguments: Mode.allCases)
    func capOfFive(mode: Mode) async throws {
        let plan = SandboxWorld.Plan.testing(workerBots: 6)
        try await withStage(mode, plan: plan) { stage in
            let channels = stage.world.voiceChannels.map(\.name)
            let users = stage.world.users.map(\.name)
            for (user, channel) in zip(users, channels) { try await stage.member(user).join(channel) }
            for (user, channel) in zip(users.prefix(5), channels.prefix(5)) {
                let answer = try await stage.member(user).run("play", ["query": .string("lofi \(channel)")])
                #expect(answer.text.hasPrefix("Queued"), "\(user): \(answer)")
            }
            let refused = try await stage.member(users[5]).run("play", ["query": "one more"])
            #expect(refused.ephemeral)
            #expect(refused.text.contains("All 5 music sessions of this server are busy"), "\(refused)")
            for channel in channels.prefix(5) {
                #expect(refused.text.contains("<#\(stage.voice(channel))>"))
            }
            #expect(await stage.boundBot(channels[5]) == nil)
            #expect(try await stage.ports.state.boundSessions(in: GuildID(stage.world.guild)).count == 5)
        }
    }

    @Test("with every worker bot in the guild busy the reply says so and links the bot that is missing")
    func noFreeWorker() async throws {
        let plan = SandboxWorld.Plan.testing(workerBots: 2)
        try await withStage(.embedded, plan: plan) { stage in
            let world = stage.world
            let outsider = world.workers[1].userID
            try await world.discord.removeMember(outsider, from: world.guild)
            #expect(await world.eventually {
                (try? await stage.ports.state.workers(in: GuildID(world.guild)).count) == 1
            })
            try await stage.member("alice").join("Lounge")
            try await stage.member("bob").join("Gaming")
            #expect(try await stage.member("alice").run("play", ["query": "a"]).text.hasPrefix("Queued"))
            let refused = try await stage.member("bob").run("play", ["query": "b"])
            #expect(refused.ephemeral)
            #expect(refused.text.contains("No music bot is free to join <#\(stage.voice("Gaming"))>"), "\(refused)")
            #expect(refused.text.contains("<#\(stage.voice("Lounge"))>"))
            #expect(refused.text.contains("client_id=\(outsider)"), "the invite names the bot that is not in the guild")
        }
    }

    @Test("a member outside voice is told to join one first, privately")
    func notInVoice() async throws {
        try await withStage(.embedded) { stage in
            let answer = try await stage.member("dave").run("play", ["query": "anything"])
            #expect(answer.ephemeral)
            #expect(answer.text == "Join a voice channel first, then use /play again.")
            let german = try await SandboxMember("dave", in: stage.world, locale: "de")!.run("skip")
            #expect(german.ephemeral)
            #expect(german.text.contains("Sprachkanal"), "\(german)")
        }
    }
}
}
