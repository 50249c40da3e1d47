import AnankorCore
import AnankorSandbox
import AnankorTestSupport
import DiscordEmulator
import Foundation
import LavalinkEmulator
import LavalinkKit
import Testing

/// DESIGN §4 failure handling, observed the way members would notice it.
extension EndToEnd {
@Suite("Music failures end to end")
struct MusicFailureTests {
    /// Alice plays in Lounge; returns the bot that took the session.
    static func startPlaying(_ stage: MusicStage, _ query: String = "https://youtu.be/crash") async throws -> UInt64 {
        let alice = stage.member("alice")
        try await alice.join("Lounge")
        let answer = try await alice.run("play", ["query": .string(query)])
        #expect(answer.text.hasPrefix("Queued"), "\(answer)")
        #expect(await stage.world.eventually { await stage.player(in: "Lounge")?.track != nil })
        return try #require(await stage.boundBot("Lounge"))
    }

    @Test("a worker process killed mid-track with no standby, another bot free: the session moves to it and plays on at its position",
          arguments: Mode.allCases)
    func workerDiesAnotherTakesOver(mode: Mode) async throws {
        try await withStage(mode, masters: mode == .distributed ? 2 : 1) { stage in
            let world = stage.world
            let bot = try await Self.startPlaying(stage)
            let title = try #require(await stage.player(of: bot)?.track?.title)
            _ = try await stage.member("alice").run("play", ["query": "https://youtu.be/after-crash"])
            let process = try #require(stage.workerProcess(holding: bot))
            await stage.killWorker(process)
            // Asked of a bot that is gone: the answer says it did not happen, not "Volume set".
            let volume = try await stage.member("alice").run("volume", ["level": 55])
            #expect(volume.text == "That did not take effect in <#\(stage.voice("Lounge"))>: the music bot could not carry it out. Try again in a moment.",
                    "\(volume)")
            #expect(await world.eventually(timeout: .seconds(20)) {
                guard let next = await stage.boundBot("Lounge"), next != bot else { return false }
                return await stage.player(of: next)?.track?.title == title
            }, "another bot takes over and plays the same track on, nobody runs /play")
            #expect(await world.eventually { await stage.player(of: bot) == nil },
                    "the dead bot's Lavalink player is stopped, not left playing for the resume window")
            #expect(await world.eventually { await world.voiceChannel(of: bot) == nil }, "the dead bot is out of voice")
            let kept = try await stage.ports.state.sessionRecord(stage.session("Lounge"))
            #expect(kept?.queue.count == 1, "the queue is kept")
            #expect(!(await world.notices().contains { $0.content.hasPrefix("Playback crashed") }))
        }
    }

    @Test("a worker process killed mid-track with no standby and no other bot: the channel is told once, nothing stays bound",
          arguments: Mode.allCases)
    func workerDiesWithoutStandby(mode: Mode) async throws {
        try await withStage(mode, plan: .testing(workerBots: 1), masters: mode == .distributed ? 2 : 1) { stage in
            let world = stage.world
            let bot = try await Self.startPlaying(stage)
            _ = try await stage.member("alice").run("play", ["query": "https://youtu.be/after-crash"])
            let process = try #require(stage.workerProcess(holding: bot))
            await stage.killWorker(process)
            #expect(await world.eventually(timeout: .seconds(20)) {
                await world.notices().contains { $0.content == "Playback crashed, retry /play. Your queue is kept." }
            }, "members are told in the text channel")
            #expect(await world.notices().filter { $0.content.hasPrefix("Playback crashed") }.count == 1,
                    "one notice even with two masters")
            #expect(await stage.boundBot("Lounge") == nil)
            #expect(await world.eventually { await stage.player(of: bot) == nil },
                    "the dead bot's Lavalink player is stopped, not left playing for the resume window")
            #expect(await world.eventually { await world.voiceChannel(of: bot) == nil }, "the dead bot is out of voice")
            let kept = try await stage.ports.state.sessionRecord(stage.session("Lounge"))
            #expect(kept?.entries.count == 2, "the queue is kept, the interrupted track first")
        }
    }

    @Test("a dead worker's player that plays for no session (ending it when the session left was missed) is ended by reconciliation")
    func deadWorkersStrayPlayerIsEnded() async throws {
        try await withStage(.embedded, plan: .testing(workerBots: 1)) { stage in
            let world = stage.world
            let bot = try await Self.startPlaying(stage)
            let process = try #require(stage.workerProcess(holding: bot))
            await stage.killWorker(process)
            #expect(await world.eventually(timeout: .seconds(20)) { await stage.boundBot("Lounge") == nil })
            #expect(await world.eventually { await stage.player(of: bot) == nil })
            // The dead bot's Lavalink session lives on for the node's resume timeout (60 s); a
            // player on it that the session's one try to end missed keeps playing there.
            let node = SandboxCluster.lavalinkNodes(world)[0]
            let saved = try await stage.ports.state.resumeInfo(for: ResumeKey(bot: UserID(bot), shard: 0))
            let lavalinkSession = try #require(saved?.lavalinkSessions(nodeNames: [node.name])[node.name])
            let rest = LavalinkREST(endpoint: node.endpoint, nodeName: node.name)
            let track = try #require(try await rest.loadTracks("https://youtu.be/left-behind").tracks.first)
            _ = try await rest.updatePlayer(sessionId: lavalinkSession, guildId: "\(world.guild)",
                                            PlayerUpdate(track: .encoded(track.encoded)))
            #expect(await stage.player(of: bot)?.track != nil, "the stray plays")
            #expect(await world.eventually(timeout: .seconds(20)) { await stage.player(of: bot) == nil },
                    "the master ends a player nobody controls instead of letting it play out the resume window")
        }
    }

    @Test("a worker stopped by its operator (SIGTERM): the session moves to another bot and plays on, a spare holds the token",
          arguments: Mode.allCases)
    func workerStoppedMovesSession(mode: Mode) async throws {
        // Three tokens, four processes: one waits as a spare.
        try await withStage(mode, workerProcesses: 4) { stage in
            let world = stage.world
            let bot = try await Self.startPlaying(stage)
            let title = try #require(await stage.player(of: bot)?.track?.title)
            let process = try #require(stage.workerProcess(holding: bot))
            await stage.stopWorker(process)
            // The spare that takes the token over joins again, or (when it is slower than the
            // grace period) another free bot takes the session: either way the track plays on.
            #expect(await world.eventually(timeout: .seconds(20)) {
                guard let next = await stage.boundBot("Lounge"), await stage.player(of: next)?.track?.title == title
                else { return false }
                return await world.voiceChannel(of: next) == stage.voice("Lounge")
            }, "a bot plays the same track in the same channel")
            #expect(await world.eventually { stage.workerProcess(holding: bot) != nil }, "the spare holds the token")
            #expect(!(await world.notices().contains { $0.content.hasPrefix("Playback crashed") }))
        }
    }

    @Test("a worker stopped by its operator with no other bot free: the channel is told at once, nothing stays bound",
          arguments: Mode.allCases)
    func workerStoppedWithNowhereToGo(mode: Mode) async throws {
        try await withStage(mode, plan: .testing(workerBots: 1)) { stage in
            let world = stage.world
            let bot = try await Self.startPlaying(stage)
            _ = try await stage.member("alice").run("play", ["query": "https://youtu.be/after-stop"])
            let process = try #require(stage.workerProcess(holding: bot))
            await stage.stopWorker(process)
            let notice = "The music bot in <#\(stage.voice("Lounge"))> was stopped. Your queue is kept: use /play to carry on."
            #expect(await world.eventually { await world.notices().contains { $0.content == notice } },
                    "members are told instead of a /nowplaying that keeps counting")
            #expect(await stage.boundBot("Lounge") == nil, "no phantom session")
            let kept = try await stage.ports.state.sessionRecord(stage.session("Lounge"))
            #expect(kept?.queue.count == 1, "the queue is kept")
        }
    }

    @Test("a channel the music bot may not join: the member is told it did not happen, nothing stays bound",
          arguments: Mode.allCases)
    func joinRefused(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let connect: UInt64 = 1 << 20
            let locked = try await world.discord.createChannel(
                in: world.guild, name: "Locked", type: .voice,
                overwrites: [EmulatedOverwrite(id: world.botRole, kind: .role, deny: connect)])
            try await world.discord.setVoiceChannel(of: alice.id, in: world.guild, to: locked)
            let answer = try await alice.run("play", ["query": "https://youtu.be/locked-out"])
            // Routing sees from the overwrite that no worker bot may connect, and says which
            // permission is missing before any bot tries (a join Discord refuses is the fallback).
            let told = "No music bot may play in <#\(locked)>: missing **Connect**. A server manager can allow it in the channel's permissions."
            #expect(answer.text == told && answer.ephemeral,
                    "the member hears that nothing will play, instead of a queued track that never starts: \(answer)")
            let session = SessionKey(guild: GuildID(world.guild), channel: ChannelID(locked))
            #expect(try await stage.ports.state.sessionRecord(session)?.binding == nil, "the session is not left bound")
        }
    }

    @Test("Redis stops for a while: every command is answered at once, the worker's events wait and arrive when it is back")
    func redisOutage() async throws {
        try await withStage(.distributed, durableRedis: true) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            _ = try await Self.startPlaying(stage)
            let next = try #require(boldTitle(try await alice.run("play", ["query": "https://youtu.be/next-up"]).text))
            let redis = try #require(stage.redis)
            redis.stop()
            let answer = try await alice.run("skip")
            #expect(answer.text == "Music is briefly unavailable. Try again in a moment." && answer.ephemeral,
                    "answered within Discord's window, and not with a skip that did not happen: \(answer)")
            let again = try await alice.run("volume", ["level": 55])
            #expect(again.text == "Music is briefly unavailable. Try again in a moment.", "every interaction: \(again)")
            // The track ends while Redis is down: its trackEnd cannot be published yet.
            let endsBefore = await world.lavalink.trackEnds().count
            await world.lavalink.advance(byMilliseconds: 7 * 60_000)
            #expect(await world.eventually { await world.lavalink.trackEnds().count > endsBefore })
            try await redis.restart()
            #expect(await world.eventually(timeout: .seconds(30)) {
                await stage.player(in: "Lounge")?.track?.title == next
            }, "the next entry plays once Redis is back (the kept trackEnd, or reconciliation)")
            #expect(!(await world.notices().contains { $0.content.hasPrefix("Playback crashed") }),
                    "the outage is not mistaken for dead workers")
            #expect(try await alice.run("volume", ["level": 55]).text == "Volume set to 55%.")
        }
    }

    @Test("a standby worker process takes the token over and playback goes on without anyone doing anything",
          arguments: Mode.allCases)
    func standbyTakesOver(mode: Mode) async throws {
        // Three tokens, four processes: one waits as a spare.
        try await withStage(mode, workerProcesses: 4) { stage in
            let world = stage.world
            let bot = try await Self.startPlaying(stage)
            let process = try #require(stage.workerProcess(holding: bot))
            await stage.killWorker(process)
            #expect(await world.eventually(timeout: .seconds(20)) { stage.workerProcess(holding: bot) != nil },
                    "the spare claims the dead holder's token")
            #expect(await world.eventually(timeout: .seconds(10)) {
                let live = (try? await stage.ports.state.liveWorkers(now: Date()))?.contains { $0.worker.rawValue == bot }
                return live == true
            })
            // Still bound to the same bot, still playing, and the members were not told of a crash:
            // after two passes of every master, anything they were to decide about the death is done.
            try await stage.reconciliationPasses()
            #expect(await stage.boundBot("Lounge") == bot)
            #expect(await stage.player(of: bot)?.track != nil)
            #expect(!(await world.notices().contains { $0.content.hasPrefix("Playback crashed") }))
        }
    }

    @Test("a moderator disconnects the bot: the binding is cleared, the player is gone, the channel is told",
          arguments: Mode.allCases)
    func botKicked(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let bot = try await Self.startPlaying(stage)
            try await world.discord.setVoiceChannel(of: bot, in: world.guild, to: nil)
            #expect(await world.eventually {
                await world.notices().contains { $0.content.hasPrefix("The music bot was disconnected from <#\(stage.voice("Lounge"))>") }
            })
            #expect(await world.eventually { await stage.boundBot("Lounge") == nil })
            #expect(await world.eventually { await stage.player(of: bot) == nil }, "no stale player")
        }
    }

    @Test("a moderator moves the bot elsewhere: it leaves, nothing plays in the wrong channel, the channel is told",
          arguments: Mode.allCases)
    func botMoved(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let bot = try await Self.startPlaying(stage)
            try await world.discord.setVoiceChannel(of: bot, in: world.guild, to: stage.voice("Karaoke"))
            #expect(await world.eventually {
                await world.notices().contains { $0.content.contains("moved the music bot out of <#\(stage.voice("Lounge"))>") }
            })
            #expect(await world.eventually { await world.voiceChannel(of: bot) == nil })
            #expect(await world.eventually { await stage.player(of: bot) == nil })
            #expect(await stage.boundBot("Lounge") == nil)
        }
    }

    @Test("idle reclaim: with nothing queued the bot leaves after the idle timeout unless /stay is on")
    func idleReclaim() async throws {
        var tuning = SandboxTuning.quick
        tuning.idleTimeout = .seconds(2)
        try await withStage(.embedded, tuning: tuning) { stage in
            let world = stage.world
            let bot = try await Self.startPlaying(stage)
            // bob's channel stays 24/7.
            try await stage.member("bob").join("Gaming")
            #expect(try await stage.member("bob").run("stay").text.hasPrefix("24/7 is on"))
            _ = try await stage.member("bob").run("play", ["query": "https://youtu.be/stays"])
            let stayer = try #require(await stage.boundBot("Gaming"))
            await world.lavalink.advance(byMilliseconds: 7 * 60_000)  // both queues run dry
            #expect(await world.eventually(timeout: .seconds(15)) { await world.voiceChannel(of: bot) == nil },
                    "the idle bot leaves")
            #expect(await world.eventually {
                await world.notices().contains { $0.content.hasPrefix("Left <#\(stage.voice("Lounge"))>") }
            })
            #expect(await stage.boundBot("Lounge") == nil)
            // Shown by its record rather than by waiting: a /stay session has no idle deadline at all.
            let kept = try #require(try await stage.ports.state.sessionRecord(stage.session("Gaming")))
            #expect(kept.stay && MusicSession(record: kept).timers[.idle] == nil, "no idle deadline under /stay")
            #expect(await world.voiceChannel(of: stayer) == stage.voice("Gaming"), "/stay keeps the other one")
        }
    }

    @Test("an empty channel pauses playback, someone coming back resumes it, nobody coming back reclaims it",
          arguments: Mode.allCases)
    func emptyChannel(mode: Mode) async throws {
        var tuning = SandboxTuning.quick
        tuning.aloneTimeout = .seconds(2)
        try await withStage(mode, tuning: tuning) { stage in
            let world = stage.world
            let bot = try await Self.startPlaying(stage)
            try await stage.member("alice").join(nil)
            #expect(await world.eventually {
                await world.notices().contains { $0.content == "Paused: nobody is listening in <#\(stage.voice("Lounge"))>." }
            })
            #expect(await world.eventually { await stage.player(of: bot)?.paused == true })
            try await stage.member("alice").join("Lounge")
            #expect(await world.eventually { await stage.player(of: bot)?.paused == false }, "resumed when alice is back")
            try await stage.member("alice").join(nil)
            #expect(await world.eventually(timeout: .seconds(20)) { await world.voiceChannel(of: bot) == nil },
                    "left after nobody came back")
        }
    }

    @Test("a master restart: the queue and the now-playing message carry on under the new master",
          arguments: Mode.allCases)
    func masterRestart(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            _ = try await Self.startPlaying(stage)
            let next = try #require(boldTitle(try await alice.run("play", ["query": "https://youtu.be/next-up"]).text))
            #expect(await world.eventually { await world.nowPlayingMessages().count == 1 })
            await stage.stopMaster("master-1")
            #expect(await stage.player(in: "Lounge")?.track != nil, "workers keep playing meanwhile")
            await world.lavalink.advance(byMilliseconds: 7 * 60_000)  // the track ends while no master runs
            stage.startMaster("master-2")
            #expect(await world.eventually(timeout: .seconds(20)) {
                await stage.player(in: "Lounge")?.track?.title == next
            }, "the new master consumes the pending trackEnd and plays the next entry")
            #expect(await world.eventually {
                let boards = await world.nowPlayingMessages()
                return boards.count == 1 && boards[0].edited && boards[0].embed?.contains(next) == true
            }, "the same message is edited, not re-posted")
            // The bus reaches the new master before its gateway does (the shard's lease and
            // READY); an interaction needs the gateway.
            #expect(await world.eventually(timeout: .seconds(30)) { stage.mastersReady }, "the new master's gateway is up")
            #expect(try await alice.run("queue").text.contains(next))
        }
    }

    @Test("a trackEnd lost on the way: the next entry plays and the board moves on, nobody runs /skip",
          arguments: Mode.allCases)
    func lostTrackEnd(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bot = try await Self.startPlaying(stage)
            let first = try #require(await stage.player(of: bot)?.track?.title)
            let next = try #require(boldTitle(try await alice.run("play", ["query": "https://youtu.be/next-up"]).text))
            #expect(await world.eventually { await world.nowPlayingMessages().count == 1 })
            await world.lavalink.dropTrackEnds(guildId: "\(world.guild)")
            await world.lavalink.advance(byMilliseconds: 7 * 60_000)  // the first track ends; nobody hears of it
            #expect(await world.eventually(timeout: .seconds(20)) {
                await stage.player(in: "Lounge")?.track?.title == next
            }, "the next entry starts without /skip")
            #expect(await world.eventually {
                let boards = await world.nowPlayingMessages()
                return boards.count == 1 && boards[0].embed?.contains(next) == true
            }, "the now-playing message shows the next entry")
            let history = try await stage.ports.state.sessionRecord(stage.session("Lounge"))?.history ?? []
            #expect(history.map(\.track.title) == [first], "the lost entry moved to history exactly once")
        }
    }

    @Test("a Lavalink node dies mid-track: the player moves to the other node at its position", arguments: Mode.allCases)
    func lavalinkNodeDies(mode: Mode) async throws {
        var plan = SandboxWorld.Plan.testing
        plan.extraLavalinkNodes = 1
        try await withStage(mode, plan: plan) { stage in
            let world = stage.world
            let bot = try await Self.startPlaying(stage, "https://youtu.be/long-track")
            #expect(try await stage.member("alice").run("seek", ["position": "1:00"]).text == "Jumped to 1:00.")
            let (before, node) = try #require(await stage.playerAndNode(of: bot))
            #expect(await world.eventually { await stage.player(of: bot)?.position == 60_000 })
            await node.kill()
            #expect(await world.eventually(timeout: .seconds(30)) {
                guard let (moved, other) = await stage.playerAndNode(of: bot), other !== node else { return false }
                return moved.track?.title == before.track?.title && moved.position >= 60_000 && !moved.paused
            }, "the same track goes on on the surviving node, not from the start")
            #expect(await stage.boundBot("Lounge") == bot, "members notice nothing: same bot, same session")
        }
    }

    @Test("a trackEnd lost while another Lavalink node is down: the master still sees the player and moves on",
          arguments: Mode.allCases)
    func lostTrackEndWithANodeDown(mode: Mode) async throws {
        var plan = SandboxWorld.Plan.testing
        plan.extraLavalinkNodes = 1
        try await withStage(mode, plan: plan) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bot = try await Self.startPlaying(stage)
            let (_, node) = try #require(await stage.playerAndNode(of: bot))
            let idle = try #require(world.lavalinkNodes.first { $0 !== node })
            let next = try #require(boldTitle(try await alice.run("play", ["query": "https://youtu.be/next-up"]).text))
            // The node without the player dies and stays down; the track then ends unheard.
            await idle.kill()
            await node.dropTrackEnds(guildId: "\(world.guild)")
            await node.advance(byMilliseconds: 7 * 60_000)
            #expect(await world.eventually(timeout: .seconds(25)) {
                await stage.player(in: "Lounge")?.track?.title == next
            }, "the next entry starts without /skip, although one node cannot be asked")
        }
    }

    @Test("two masters see every interaction; each is answered once and queues once")
    func duplicateInteractions() async throws {
        try await withStage(.embedded, masters: 2) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            try await alice.join("Lounge")
            let interaction = try await world.discord.invokeSlashCommand(
                "play", application: world.master.applicationID, channel: world.textChannel, user: alice.id,
                options: ["query": "https://youtu.be/once"])
            #expect(await world.answer(to: interaction)?.text.hasPrefix("Queued") == true)
            // Both masters are done with it (one answered, the other left it to the first).
            #expect(await world.eventually(timeout: .seconds(30)) {
                stage.masterProgress.count == 2 && stage.masterProgress.allSatisfy { $0.interactionsSettled >= 1 }
            }, "interactions settled by each master: \(stage.masterProgress.map(\.interactionsSettled))")
            let record = try #require(await world.discord.interactionRecord(interaction.id))
            let responses = record["responses"]?.arrayValue ?? []
            let callbacks = responses.filter { $0["kind"]?.stringValue == "callback" }
            #expect(callbacks.count == 1)
            // The master that took it did not contradict the other's answer afterwards (the job's
            // acknowledgement may reach either master): no deleted original, no follow-up.
            #expect(!responses.contains { ["followup", "original_deleted"].contains($0["kind"]?.stringValue ?? "") },
                    "answered once, and never taken back: \(responses.map { $0["kind"]?.stringValue ?? "?" })")
            #expect(await world.answer(to: interaction)?.text.hasPrefix("Queued") == true, "what the member still reads")
            let session = try await stage.ports.state.sessionRecord(stage.session("Lounge"))
            #expect(session?.nowPlaying != nil && session?.queue.isEmpty == true, "queued exactly once")
        }
    }
}
}
