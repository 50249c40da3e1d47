import AnankorCore
import AnankorSandbox
import Foundation
import Testing

extension EndToEnd {
/// What a server's managers set with /settings, confirmed in their language and felt by members;
/// /help and !help list what the asking member may use.
@Suite("Settings and help end to end")
struct SettingsAndHelpTests {
    @Test("/settings: managers only; DJ role, language, default volume, prefix, sessions, a channel's volume, 24/7 and DJ-only; shown and felt, in English and German",
          arguments: Mode.allCases)
    func settings(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let guild = GuildID(world.guild)
            let lounge = stage.voice("Lounge")
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            let refused = try await bob.run("settings show")
            #expect(refused.ephemeral && refused.text == "Only members who can manage the server can change its settings.",
                    "\(refused)")
            try await world.discord.addMember(alice.id, to: world.guild, roles: [world.moderatorRole])

            let dj = try await world.discord.createRole(in: world.guild, name: "DJ", permissions: 0)
            let djSet = try await alice.run("settings dj", ["role": .string("\(dj)")])
            #expect(djSet.ephemeral && djSet.text.hasPrefix("DJ role set to <@&\(dj)>:"), "\(djSet)")
            #expect(try await stage.ports.ledger.guildSettings(guild).djRole == RoleID(dj))

            let prefix = try await alice.run("settings prefix", ["prefix": "?"])
            #expect(prefix.text == "Text commands now start with `?`, for example `?play`.", "\(prefix)")
            let badPrefix = try await alice.run("settings prefix", ["prefix": "a`b"])
            #expect(badPrefix.ephemeral && badPrefix.text
                == "The option `prefix` is not valid: use 1 to 8 characters without spaces or backticks.", "\(badPrefix)")

            let sessions = try await alice.run("settings sessions", ["cap": 1])
            #expect(sessions.text.hasPrefix("Up to 1 music session may play at once in this server."), "\(sessions)")

            let volume = try await alice.run("settings volume", ["level": 70])
            #expect(volume.ephemeral && volume.text == "New music sessions start at 70% volume.", "\(volume)")
            #expect(try await stage.ports.ledger.guildSettings(guild).defaultVolume == 70)

            let language = try await alice.run("settings language", ["locale": "de"])
            #expect(language.ephemeral && language.text == "Posts in this server's channels are now in Deutsch.", "\(language)")

            let nothing = try await alice.run("settings channel", ["channel": .string("\(lounge)")])
            #expect(nothing.ephemeral && nothing.text.hasPrefix("Give `volume`, `stay`, `dj_only`, `vote_skip` or `reset`"), "\(nothing)")
            let channel = try await alice.run("settings channel", [
                "channel": .string("\(lounge)"), "volume": 40, "stay": true, "dj_only": true,
            ])
            #expect(channel.text == "Settings of <#\(lounge)>: volume 40%, 24/7, DJ only.", "\(channel)")

            let shown = try await alice.run("settings show")
            #expect(shown.ephemeral)
            for line in ["DJ role: <@&\(dj)>", "Language of posts: Deutsch", "Volume of new sessions: 70%",
                         "Text-command prefix: `?`", "Music sessions at once: 1",
                         "24/7 channels: <#\(lounge)>", "<#\(lounge)>: volume 40%, 24/7, DJ only"] {
                #expect(shown.text.contains(line), "missing \(line): \(shown)")
            }

            // Felt: a session in Lounge starts at the channel's volume; DJ-only keeps bob out.
            try await alice.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/settings"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.volume == 40 }, "the channel's own volume")
            try await bob.join("Lounge")
            let gated = try await bob.run("pause")
            #expect(gated.ephemeral && gated.text == "Only members with the <@&\(dj)> role can use this command.", "\(gated)")
            // The posts of the Lounge session are in the server's language now: German.
            #expect(await world.eventually {
                await world.nowPlayingMessages().last?.embed?.hasPrefix("Läuft gerade\n🔊 <#\(lounge)>") == true
            }, "the board in German")

            // One session at once: a second channel's /play is refused, naming the busy one.
            let gaming = stage.voice("Gaming")
            let carol = stage.member("carol")
            try await carol.join("Gaming")
            let capped = try await carol.run("play", ["query": "https://youtu.be/second-channel"])
            #expect(capped.ephemeral && capped.text == "The only music session of this server is busy: <#\(lounge)>.",
                    "\(capped)")
            #expect(try await stage.ports.state.sessionRecord(stage.session("Gaming"))?.binding == nil)

            // The new prefix answers, in the channel's language (German now).
            try await bob.say("?help")
            #expect(await world.eventually {
                await world.messages().contains {
                    $0.author == world.master.userID && $0.content.hasPrefix("**Befehle, die du hier nutzen kannst**\n**Musik**: ")
                }
            }, "?help answers with the new prefix, in the server's language")

            // A German manager: confirmations in German, the channel reset.
            let dave = SandboxMember("dave", in: world, locale: "de")!
            try await world.discord.addMember(dave.id, to: world.guild, roles: [world.moderatorRole])
            let german = try await dave.run("settings language", ["locale": "de"])
            #expect(german.text == "Beiträge in den Kanälen dieses Servers sind jetzt auf Deutsch.", "\(german)")
            #expect(try await stage.ports.ledger.guildSettings(guild).localeOverride == .german)
            let germanVolume = try await dave.run("settings volume", ["level": 55])
            #expect(germanVolume.ephemeral && germanVolume.text == "Neue Musik-Sitzungen beginnen mit 55 % Lautstärke.",
                    "\(germanVolume)")
            let germanPrefix = try await dave.run("settings prefix", ["prefix": "?"])
            #expect(germanPrefix.text == "Textbefehle beginnen jetzt mit `?`, zum Beispiel `?play`.", "\(germanPrefix)")
            let germanSessions = try await dave.run("settings sessions", ["cap": 2])
            #expect(germanSessions.ephemeral
                && germanSessions.text == "Auf diesem Server dürfen bis zu 2 Musik-Sitzungen gleichzeitig spielen.",
                    "\(germanSessions)")
            let germanShown = try await dave.run("settings show")
            for line in ["**Einstellungen dieses Servers**", "DJ-Rolle: <@&\(dj)>", "Sprache der Beiträge: Deutsch",
                         "Lautstärke neuer Sitzungen: 55 %", "Präfix für Textbefehle: `?`",
                         "Musik-Sitzungen gleichzeitig: 2", "24/7-Kanäle: <#\(lounge)>"] {
                #expect(germanShown.text.contains(line), "missing \(line): \(germanShown)")
            }
            // Two at once now: Gaming gets a session, at the server's volume (no channel setting there).
            let second = try await carol.run("play", ["query": "https://youtu.be/second-channel"])
            #expect(second.text.hasPrefix("Queued **"), "\(second)")
            #expect(await world.eventually { await stage.player(in: "Gaming")?.volume == 55 },
                    "a new session starts at the server's volume")
            #expect(await world.eventually {
                await world.nowPlayingMessages().contains { $0.embed?.hasPrefix("Läuft gerade\n🔊 <#\(gaming)>") == true }
            }, "its board is in German too")
            let reset = try await dave.run("settings channel", ["channel": .string("\(lounge)"), "reset": true])
            #expect(reset.text == "<#\(lounge)> hat keine eigenen Einstellungen mehr.", "\(reset)")
            #expect(try await stage.ports.ledger.voiceChannelSettings(in: guild).isEmpty)
            #expect(try await stage.ports.ledger.guildSettings(guild).stayChannels.isEmpty)
            let cleared = try await dave.run("settings dj")
            #expect(cleared.text == "DJ-Rolle entfernt: Jedes Mitglied kann jeden Musikbefehl nutzen.", "\(cleared)")
            #expect(try await bob.run("pause").text == "Paused.", "with the DJ role and DJ-only gone, bob may pause")
        }
    }

    @Test("a channel's settings changed through the master are felt by the next command there (no stale cache)",
          arguments: Mode.allCases)
    func channelSettingsSeenAtOnce(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            try await world.discord.addMember(alice.id, to: world.guild, roles: [world.moderatorRole])
            let lounge = stage.voice("Lounge")
            let dj = try await world.discord.createRole(in: world.guild, name: "DJ", permissions: 0)
            _ = try await alice.run("settings dj", ["role": .string("\(dj)")])
            // Read (and kept) by the master: Lounge has no settings of its own yet.
            try await alice.join("Lounge")
            try await bob.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/before"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.volume == 100 }, "the default volume")
            #expect(try await bob.run("pause").text == "Paused.", "Lounge is not DJ-only yet")

            let changed = try await alice.run("settings channel", ["channel": .string("\(lounge)"), "volume": 35, "dj_only": true])
            #expect(changed.text == "Settings of <#\(lounge)>: volume 35%, DJ only.", "\(changed)")
            let gated = try await bob.run("resume")
            #expect(gated.ephemeral && gated.text == "Only members with the <@&\(dj)> role can use this command.",
                    "DJ-only at once: \(gated)")
            #expect(try await alice.run("leave").text.isEmpty == false)
            #expect(await world.eventually { await stage.player(in: "Lounge") == nil }, "the session ended")
            _ = try await alice.run("play", ["query": "https://youtu.be/after"])
            #expect(await world.eventually { await stage.player(in: "Lounge")?.volume == 35 },
                    "the next session starts at the volume set a moment ago")
        }
    }

    @Test("a channel made 24/7 with /settings channel stay keeps its bot past the idle timeout, set before or while a session plays there; another channel's bot leaves",
          arguments: Mode.allCases)
    func stayChannelSetting(mode: Mode) async throws {
        var tuning = SandboxTuning.quick
        tuning.idleTimeout = .seconds(2)
        try await withStage(mode, tuning: tuning) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let bob = stage.member("bob")
            try await world.discord.addMember(alice.id, to: world.guild, roles: [world.moderatorRole])
            let gaming = stage.voice("Gaming")
            let set = try await alice.run("settings channel", ["channel": .string("\(gaming)"), "stay": true])
            #expect(set.ephemeral && set.text == "Settings of <#\(gaming)>: 24/7.", "\(set)")

            try await alice.join("Lounge")
            _ = try await alice.run("play", ["query": "https://youtu.be/goes-idle"])
            try await bob.join("Gaming")
            _ = try await bob.run("play", ["query": "https://youtu.be/stays-on"])
            let carol = stage.member("carol")
            try await carol.join("Study")
            _ = try await carol.run("play", ["query": "https://youtu.be/made-24-7-while-playing"])
            #expect(await world.eventually {
                let lounge = await stage.player(in: "Lounge")?.track
                let other = await stage.player(in: "Gaming")?.track
                let third = await stage.player(in: "Study")?.track
                return lounge != nil && other != nil && third != nil
            })
            // Study becomes 24/7 while its session plays: that session stays too.
            let study = stage.voice("Study")
            let later = try await alice.run("settings channel", ["channel": .string("\(study)"), "stay": true])
            #expect(later.text == "Settings of <#\(study)>: 24/7.", "\(later)")
            #expect(try await stage.ports.state.sessionRecord(stage.session("Study"))?.stay == true)
            let leaver = try #require(await stage.boundBot("Lounge"))
            let stayer = try #require(await stage.boundBot("Gaming"))
            let studyBot = try #require(await stage.boundBot("Study"))
            await world.lavalink.advance(byMilliseconds: 7 * 60_000)  // both queues run dry at once
            #expect(await world.eventually { await world.voiceChannel(of: leaver) == nil }, "Lounge's idle bot leaves")
            #expect(await world.eventually {
                await world.notices().contains { $0.content.hasPrefix("Left <#\(stage.voice("Lounge"))> after") }
            })
            // The same idle time has passed in Gaming: its bot is still there, with no idle deadline.
            #expect(await world.voiceChannel(of: stayer) == gaming, "the 24/7 channel keeps its bot")
            let kept = try #require(try await stage.ports.state.sessionRecord(stage.session("Gaming")))
            #expect(kept.stay && MusicSession(record: kept).timers[.idle] == nil, "no idle deadline in a 24/7 channel")
            #expect(!(await world.notices().contains { $0.content.hasPrefix("Left <#\(gaming)>") }))
            #expect(await world.voiceChannel(of: studyBot) == study, "a channel made 24/7 while playing keeps its bot")
            #expect(!(await world.notices().contains { $0.content.hasPrefix("Left <#\(study)>") }))
        }
    }

    @Test("/help and !help list what the member may use, in their language", arguments: Mode.allCases)
    func help(mode: Mode) async throws {
        try await withStage(mode) { stage in
            let world = stage.world
            // Set before any command, so no master holds the settings from before in its cache.
            let dj = try await world.discord.createRole(in: world.guild, name: "DJ", permissions: 0)
            try await stage.ports.ledger.updateGuildSettings(GuildID(world.guild)) { $0.djRole = RoleID(dj) }
            let erin = stage.member("erin")
            let plain = try await erin.run("help")
            #expect(plain.ephemeral, "\(plain)")
            #expect(plain.text.contains("`/play`") && plain.text.contains("`/game create`")
                && plain.text.contains("`/playlist save`"), "\(plain)")
            #expect(!plain.text.contains("/settings"), "only managers see /settings: \(plain)")
            // Grouped under headings, in the order music, games (settings only for managers).
            #expect(plain.text.contains("\n**Music**: `/play` · `/search` · ")
                && plain.text.contains("\n**Games**: `/game create` · ") && !plain.text.contains("**Settings**"), "\(plain)")
            #expect(plain.text.hasPrefix("**Commands you can use here**\n**Music**: "), "music first: \(plain)")
            #expect(plain.text.contains("`!play`"), "text commands with the default prefix: \(plain)")
            try await world.discord.addMember(erin.id, to: world.guild, roles: [dj])
            #expect(try await erin.run("help").text.contains("`/skip`"), "a DJ sees the commands the role gates")

            let dave = SandboxMember("dave", in: world, locale: "de")!
            let german = try await dave.run("help")
            #expect(german.text.hasPrefix("**Befehle, die du hier nutzen kannst**\n**Musik**: `/abspielen` · "), "\(german)")
            #expect(german.text.contains("\n**Spiele**: `/spiel erstellen` · ") && !german.text.contains("**Einstellungen**"),
                    "\(german)")
            #expect(german.text.contains("`/abspielen`") && !german.text.contains("`/stopp`"),
                    "DJ-gated commands are left out for members without the role: \(german)")
            #expect(german.text.contains("`/überspringen`"), "/skip stays: without the role it is a vote: \(german)")
            #expect(german.text.contains("<@&\(dj)>"), "and the member is told why: \(german)")

            try await world.discord.addMember(dave.id, to: world.guild, roles: [world.moderatorRole])
            try await dave.say("!help")
            #expect(await world.eventually {
                await world.messages().contains {
                    $0.author == world.master.userID && $0.content.contains("\n**Settings**: `/settings show` · ")
                }
            }, "!help (in the server's language) shows a manager /settings, computed from the cache")
        }
    }
}
}
