import DiscordEmulator
@testable import DiscordKit
import Foundation
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// Gathers a shard's events so tests can wait for the ones they expect.
final class EventLog: Sendable {
    private let events = Mutex<[ShardEvent]>([])

    func record(_ event: ShardEvent) { events.withLock { $0.append(event) } }

    var all: [ShardEvent] { events.withLock { $0 } }

    /// Waits (bounded, real time) for an event matching `predicate`, returning it.
    @discardableResult
    func wait(for what: String, timeout: Duration = .seconds(10), after index: Int = 0,
              _ predicate: @escaping (ShardEvent) -> Bool) async throws -> ShardEvent {
        var found: ShardEvent?
        try await eventually(what, timeout: timeout) {
            found = events.withLock { $0.dropFirst(index).first(where: predicate) }
            return found != nil
        }
        return found!
    }

    func count(where predicate: (ShardEvent) -> Bool) -> Int { events.withLock { $0.filter(predicate).count } }
}

/// Records the status of every REST answer on top of the real transport.
final class RecordingTransport: RESTTransport, Sendable {
    let base = HTTPClientTransport()
    let statuses = Mutex<[Int]>([])

    func execute(_ request: RESTRequest, timeout: Duration) async throws -> RESTResponse {
        let response = try await base.execute(request, timeout: timeout)
        statuses.withLock { $0.append(response.status) }
        return response
    }
}

/// An emulator with one bot in one guild (a text and a voice channel), and the client pieces.
struct EmulatedWorld {
    let emulator: DiscordEmulator
    let bot: EmulatedBot
    let guildID: UInt64
    let textChannel: UInt64
    let voiceChannel: UInt64
    let user: UInt64
    let transport = RecordingTransport()

    static func start(heartbeatInterval: Int = 41_250, botPermissions: UInt64 = EmulatedPermission.all & ~EmulatedPermission.administrator & ~EmulatedPermission.moveMembers,
                      privilegedIntents: UInt64 = (1 << 1) | (1 << 8) | (1 << 15)) async throws -> EmulatedWorld {
        let emulator = DiscordEmulator(configuration: .init(heartbeatInterval: heartbeatInterval))
        try await emulator.start()
        let bot = await emulator.createBot(name: "Anankor", privilegedIntents: privilegedIntents)
        let user = await emulator.createUser(username: "listener")
        let guildID = try await emulator.createGuild(name: "Guild")
        let role = try await emulator.createRole(in: guildID, name: "bot", permissions: botPermissions)
        try await emulator.addMember(bot.userID, to: guildID, roles: [role])
        try await emulator.addMember(user, to: guildID)
        let text = try await emulator.createChannel(in: guildID, name: "general", type: .text)
        let voice = try await emulator.createChannel(in: guildID, name: "Music", type: .voice)
        return EmulatedWorld(emulator: emulator, bot: bot, guildID: guildID, textChannel: text, voiceChannel: voice, user: user)
    }

    /// Starts a world, runs `body`, and stops the emulator whatever happens.
    static func with(heartbeatInterval: Int = 41_250, privilegedIntents: UInt64 = (1 << 1) | (1 << 8) | (1 << 15),
                     _ body: (EmulatedWorld) async throws -> Void) async throws {
        let world = try await start(heartbeatInterval: heartbeatInterval, privilegedIntents: privilegedIntents)
        do {
            try await body(world)
        } catch {
            await world.stop()
            throw error
        }
        await world.stop()
    }

    var rest: DiscordREST {
        DiscordREST(token: BotToken(bot.token), configuration: .init(baseURL: emulator.restURL), transport: transport)
    }

    func shardConfiguration(intents: GatewayIntents = [.guilds, .guildVoiceStates, .guildMessages], compression: Bool = true,
                            token: String? = nil) -> GatewayShard.Configuration {
        GatewayShard.Configuration(token: BotToken(token ?? bot.token), intents: intents, gatewayURL: emulator.gatewayURL,
                                   compression: compression, invalidSessionDelay: { .milliseconds(20) })
    }

    /// Runs `gateway` while `body` runs, collecting its events; always stops both.
    func withGateway<T>(_ gateway: ShardedGateway, _ body: (EventLog) async throws -> T) async throws -> T {
        let log = EventLog()
        let runner = Task { try await gateway.run() }
        let collector = Task { for await event in gateway.events { log.record(event) } }
        func finish() async {
            runner.cancel()
            _ = await runner.result
            collector.cancel()
        }
        do {
            let result = try await body(log)
            await finish()
            return result
        } catch {
            await finish()
            throw error
        }
    }

    func stop() async { await emulator.stop() }
}

func isReady(_ event: ShardEvent) -> Bool { if case .ready = event.event { true } else { false } }
func isResumed(_ event: ShardEvent) -> Bool { if case .resumed = event.event { true } else { false } }

@Suite("DiscordKit against the Discord emulator", .serialized)
struct EmulatorIntegrationTests {
    @Test("connect, identify, READY, GUILD_CREATE with channels, over zlib-stream")
    func connectIdentifyReady() async throws {
        try await EmulatedWorld.with { world in
            let gatewayBot = try await world.rest.getGatewayBot()
            #expect(gatewayBot.url.hasPrefix("ws://"))
            let me = try await world.rest.getCurrentUser()
            #expect(me.id == Snowflake(world.bot.userID))
            let gateway = ShardedGateway(configuration: .init(shard: world.shardConfiguration(compression: true), shardCount: 1))
            let cache = GuildCache()
            try await world.withGateway(gateway) { log in
                try await log.wait(for: "READY", isReady)
                let created = try await log.wait(for: "GUILD_CREATE") {
                    if case .guildCreate = $0.event { true } else { false }
                }
                for event in log.all { cache.apply(event.event) }
                guard case .guildCreate(let guild) = created.event else { return }
                #expect(guild.id == Snowflake(world.guildID))
                #expect(guild.channels?.contains { $0.id == Snowflake(world.voiceChannel) && $0.type == .guildVoice } == true)
                #expect(cache.botPermissions(in: Snowflake(world.voiceChannel), guild: Snowflake(world.guildID))?.contains(.connect) == true)
            }
        }
    }

    @Test("heartbeats are ACKed; a dropped connection resumes and replays what it missed")
    func dropAndResume() async throws {
        try await EmulatedWorld.with(heartbeatInterval: 300) { world in
            let gateway = ShardedGateway(configuration: .init(shard: world.shardConfiguration(compression: false), shardCount: 1))
            try await world.withGateway(gateway) { log in
                try await log.wait(for: "READY", isReady)
                let shard = try #require(gateway.shards.first)
                try await eventually("a heartbeat ACK") { shard.latency != nil }
                let session = shard.sessionID
                #expect(await world.emulator.requestHeartbeat(of: world.bot.applicationID) == 1)
                await world.emulator.dropConnections(of: world.bot.applicationID)
                try await world.emulator.setVoiceChannel(of: world.user, in: world.guildID, to: world.voiceChannel)
                try await log.wait(for: "RESUMED", isResumed)
                try await log.wait(for: "the missed VOICE_STATE_UPDATE") {
                    if case .voiceStateUpdate(let state) = $0.event { state.userID == Snowflake(world.user) } else { false }
                }
                #expect(shard.sessionID == session)
                #expect(log.count(where: isReady) == 1, "resumed, not identified again")
            }
        }
    }

    @Test("handOver closes resumably and connects no more; another gateway resumes the session and gets what came meanwhile")
    func handOver() async throws {
        try await EmulatedWorld.with(heartbeatInterval: 300) { world in
            let first = ShardedGateway(configuration: .init(shard: world.shardConfiguration(compression: false), shardCount: 1))
            let states = try await world.withGateway(first) { log in
                try await log.wait(for: "READY", isReady)
                let sessionID = first.shards.first?.sessionID
                let states = await first.handOver()
                // The emulator sees the close a moment after the client has sent it.
                let session = try await sessionState(world, sessionID, "the handed-over connection is gone") {
                    $0["connected"]?.boolValue == false
                }
                #expect(session["resumable"]?.boolValue == true,
                        "closed with a code that keeps the session (never 1000/1001): \(session)")
                #expect(await world.emulator.gatewaySessions().count == 1)
                #expect(first.shards.allSatisfy { !$0.isConnected })
                return states
            }
            let saved = try #require(states[0])
            // Something happens while nobody is connected: the next holder gets it on RESUME.
            try await world.emulator.setVoiceChannel(of: world.user, in: world.guildID, to: world.voiceChannel)
            let second = ShardedGateway(configuration: .init(shard: world.shardConfiguration(compression: false), shardCount: 1,
                                                             resumeStates: [0: saved]))
            try await world.withGateway(second) { log in
                try await log.wait(for: "RESUMED", isResumed)
                try await log.wait(for: "the VOICE_STATE_UPDATE sent while handing over") {
                    if case .voiceStateUpdate(let state) = $0.event { state.userID == Snowflake(world.user) } else { false }
                }
                #expect(log.count(where: isReady) == 0, "resumed, not identified again")
                #expect(second.shards.first?.sessionID == saved.sessionID)
            }
        }
    }

    @Test("a cancelled gateway (a process going away) leaves its session resumable; a graceful shutdown ends it")
    func cancellationKeepsTheSession() async throws {
        try await EmulatedWorld.with(heartbeatInterval: 300) { world in
            // Several rounds, each resuming what the last one left: on cancellation the read loop
            // and the heartbeat race to notice, and whichever wins must not end the session.
            var resume: [Int: GatewayResumeState] = [:]
            var sessionID: String?
            for round in 1...5 {
                let gateway = ShardedGateway(configuration: .init(shard: world.shardConfiguration(compression: false),
                                                                  shardCount: 1, resumeStates: resume))
                try await world.withGateway(gateway) { log in
                    try await log.wait(for: "round \(round): READY or RESUMED") { isReady($0) || isResumed($0) }
                    let shard = try #require(gateway.shards.first)
                    try await eventually("round \(round): a heartbeat ACK") { shard.latency != nil }
                    if let sessionID { #expect(shard.sessionID == sessionID, "round \(round) resumed") }
                    sessionID = shard.sessionID
                    resume = gateway.resumeStates
                }
                let session = try await sessionState(world, sessionID, "round \(round): the connection is gone") {
                    $0["connected"]?.boolValue == false
                }
                #expect(session["resumable"]?.boolValue == true, "round \(round): cancelled, the session stays: \(session)")
            }
            #expect(await world.emulator.gatewaySessions().count == 1, "every round resumed the first session")

            // A graceful shutdown (not a hand-over) ends the session: the bot goes offline at once.
            let gateway = ShardedGateway(configuration: .init(shard: world.shardConfiguration(compression: false),
                                                              shardCount: 1, resumeStates: resume))
            try await testGracefulShutdown { trigger in
                try await world.withGateway(gateway) { log in
                    try await log.wait(for: "RESUMED", isResumed)
                    trigger.triggerGracefulShutdown()
                    let session = try await sessionState(world, sessionID, "the connection is closed") {
                        $0["connected"]?.boolValue == false
                    }
                    #expect(session["resumable"]?.boolValue == false, "a graceful shutdown ends the session: \(session)")
                }
            }
        }
    }

    /// The emulator's view of one gateway session, once `condition` holds.
    private func sessionState(_ world: EmulatedWorld, _ sessionID: String?, _ what: String,
                              _ condition: (EmulatorJSON) -> Bool) async throws -> EmulatorJSON {
        let id = try #require(sessionID)
        var found: EmulatorJSON?
        try await eventually(what) {
            found = await world.emulator.gatewaySessions().first { $0["session_id"]?.stringValue == id }
            return found.map(condition) ?? false
        }
        return try #require(found)
    }

    @Test("RECONNECT and INVALID_SESSION: resume, or identify anew when not resumable")
    func reconnectAndInvalidSession() async throws {
        try await EmulatedWorld.with { world in
            let gateway = ShardedGateway(configuration: .init(shard: world.shardConfiguration(), shardCount: 1))
            try await world.withGateway(gateway) { log in
                try await log.wait(for: "READY", isReady)
                await world.emulator.requestReconnect(of: world.bot.applicationID)
                try await log.wait(for: "RESUMED after op 7", isResumed)
                await world.emulator.invalidateSessions(of: world.bot.applicationID, resumable: false)
                try await eventually("a second READY") { log.count(where: isReady) == 2 }
            }
        }
    }

    @Test("fatal close codes surface as errors instead of a reconnect loop")
    func fatalCloses() async throws {
        try await EmulatedWorld.with(privilegedIntents: 0) { world in
            let badToken = GatewayShard(configuration: world.shardConfiguration(token: "not-the-token"))
            let error = try await #require(throws: GatewayError.self) { try await badToken.run() }
            #expect(error.code == .authenticationFailed && error.closeCode == 4004)
            let privileged = GatewayShard(configuration: world.shardConfiguration(intents: [.guilds, .guildMembers]))
            let intents = try await #require(throws: GatewayError.self) { try await privileged.run() }
            #expect(intents.code == .disallowedIntents && intents.closeCode == 4014)
        }
    }

    @Test("two shards split guilds by (guild_id >> 22) % 2")
    func sharding() async throws {
        try await EmulatedWorld.with { world in
            var guilds = [world.guildID]
            for index in 0..<5 {
                let guild = try await world.emulator.createGuild(name: "Guild \(index)")
                try await world.emulator.addMember(world.bot.userID, to: guild)
                guilds.append(guild)
            }
            let gateway = ShardedGateway(configuration: .init(shard: world.shardConfiguration(), shardCount: 2, maxConcurrency: 2))
            try await world.withGateway(gateway) { log in
                try await eventually("GUILD_CREATE for every guild", timeout: .seconds(20)) {
                    log.count { if case .guildCreate = $0.event { true } else { false } } == guilds.count
                }
                for event in log.all {
                    guard case .guildCreate(let guild) = event.event else { continue }
                    #expect(event.shardID == guild.id.shard(of: 2), "guild \(guild.id) on shard \(event.shardID)")
                }
                #expect(Set(log.all.filter(isReady).map(\.shardID)) == [0, 1])
            }
        }
    }

    @Test("concurrent REST calls on one bucket queue without 429s; an injected 429 is waited out")
    func restBuckets() async throws {
        try await EmulatedWorld.with { world in
            let rest = world.rest
            let channel = Snowflake<Channel>(world.textChannel)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<8 {
                    group.addTask { _ = try await rest.createMessage(channelID: channel, MessageCreate(content: "message \(index)")) }
                }
                try await group.waitForAll()
            }
            #expect(world.transport.statuses.withLock { $0 }.filter { $0 == 429 }.isEmpty)
            #expect(await world.emulator.messages(in: world.textChannel).count == 8)
            world.transport.statuses.withLock { $0.removeAll() }
            await world.emulator.failRequests(path: "/users/@me", status: 429, count: 1, retryAfter: 0.3)
            let me = try await rest.getCurrentUser()
            #expect(me.id == Snowflake(world.bot.userID))
            #expect(world.transport.statuses.withLock { $0 } == [429, 200])
        }
    }

    @Test("interaction round trip: command registered, invoked, answered, followed up")
    func interactionRoundTrip() async throws {
        try await EmulatedWorld.with { world in
            let rest = world.rest
            let application = Snowflake<Application>(world.bot.applicationID)
            let registered = try await rest.bulkOverwriteGuildCommands(applicationID: application, guildID: Snowflake(world.guildID), [
                ApplicationCommand(name: "play", nameLocalizations: ["de": "abspielen"], description: "Play a track",
                                   descriptionLocalizations: ["de": "Spielt einen Titel"],
                                   options: [.init(type: .string, name: "query", description: "What to play", required: true)]),
            ])
            #expect(registered.first?.id != nil && registered.first?.nameLocalizations?["de"] == "abspielen")
            let gateway = ShardedGateway(configuration: .init(shard: world.shardConfiguration(), shardCount: 1))
            try await world.withGateway(gateway) { log in
                try await log.wait(for: "READY", isReady)
                let invoked = try await world.emulator.invokeSlashCommand(
                    "play", application: world.bot.applicationID, channel: world.textChannel, user: world.user,
                    options: .object(["query": .string("never gonna")]), locale: "de")
                let event = try await log.wait(for: "INTERACTION_CREATE") {
                    if case .interactionCreate = $0.event { true } else { false }
                }
                guard case .interactionCreate(let interaction) = event.event else { return }
                #expect(interaction.id == Snowflake(invoked.id))
                #expect(interaction.locale == .german)
                guard case .command(let data) = interaction.data else {
                    Issue.record("expected command data")
                    return
                }
                #expect(data.options?.first?.value == .string("never gonna"))
                let answer = try await rest.createInteractionResponse(
                    interactionID: interaction.id, token: interaction.token,
                    .message(MessageCreate(content: "Playing", components: [.actionRow([.button(.init(style: .secondary, label: "Skip", customID: "skip"))])])),
                    withResponse: true)
                #expect(answer?.interaction.id == interaction.id)
                let followup = try await rest.createFollowup(applicationID: application, token: interaction.token,
                                                             MessageCreate(content: "Queued", flags: .ephemeral))
                #expect(followup.content == "Queued")
                let edited = try await rest.editOriginalResponse(applicationID: application, token: interaction.token,
                                                                 MessageEdit(content: "Playing now"))
                #expect(edited.content == "Playing now")
                let second = try await #require(throws: DiscordRESTError.self) {
                    try await rest.createInteractionResponse(interactionID: interaction.id, token: interaction.token, .deferredUpdate)
                }
                #expect(second.code == DiscordRESTError.interactionAlreadyAcknowledged)
            }
        }
    }

    @Test("voice join flow: op 4 brings VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE; leaving clears it")
    func voiceJoin() async throws {
        try await EmulatedWorld.with { world in
            let gateway = ShardedGateway(configuration: .init(shard: world.shardConfiguration(), shardCount: 1))
            try await world.withGateway(gateway) { log in
                try await log.wait(for: "GUILD_CREATE") { if case .guildCreate = $0.event { true } else { false } }
                let guild = Snowflake<Guild>(world.guildID)
                try await gateway.updateVoiceState(VoiceStateUpdate(guildID: guild, channelID: Snowflake(world.voiceChannel)))
                let state = try await log.wait(for: "the bot's VOICE_STATE_UPDATE") {
                    if case .voiceStateUpdate(let state) = $0.event { state.userID == Snowflake(world.bot.userID) } else { false }
                }
                let server = try await log.wait(for: "VOICE_SERVER_UPDATE") {
                    if case .voiceServerUpdate = $0.event { true } else { false }
                }
                guard case .voiceStateUpdate(let voice) = state.event, case .voiceServerUpdate(let update) = server.event else { return }
                #expect(voice.channelID == Snowflake(world.voiceChannel) && !voice.sessionID.isEmpty)
                #expect(update.guildID == guild && !update.token.isEmpty)
                #expect(await world.emulator.voiceChannel(of: world.bot.userID, in: world.guildID) == world.voiceChannel)
                let mark = log.all.count
                try await gateway.updateVoiceState(VoiceStateUpdate(guildID: guild, channelID: nil))
                try await log.wait(for: "leaving voice", after: mark) {
                    if case .voiceStateUpdate(let state) = $0.event { state.userID == Snowflake(world.bot.userID) && state.channelID == nil } else { false }
                }
            }
        }
    }

    @Test("moving a member without MOVE_MEMBERS is refused with 50013")
    func permissionDenied() async throws {
        try await EmulatedWorld.with { world in
            try await world.emulator.setVoiceChannel(of: world.user, in: world.guildID, to: world.voiceChannel)
            let other = try await world.emulator.createChannel(in: world.guildID, name: "Other", type: .voice)
            let error = try await #require(throws: DiscordRESTError.self) {
                try await world.rest.moveMember(guildID: Snowflake(world.guildID), userID: Snowflake(world.user), to: Snowflake(other))
            }
            #expect(error.status == 403 && error.code == DiscordRESTError.missingPermissions)
        }
    }
}

@Suite("DiscordKit REST routes against the Discord emulator", .serialized)
struct EmulatorRESTRouteTests {
    @Test("every typed route Anankor uses round-trips with the emulator")
    func routes() async throws {
        try await EmulatedWorld.with { world in
            let rest = world.rest
            let guild = Snowflake<Guild>(world.guildID)
            let application = try await rest.getCurrentApplication()
            #expect(application.id == Snowflake(world.bot.applicationID))
            let global = try await rest.bulkOverwriteGlobalCommands(applicationID: application.id, [
                ApplicationCommand(name: "queue", nameLocalizations: ["fr": "file"], description: "Show the queue"),
            ])
            #expect(global.map(\.name) == ["queue"])

            let roles = try await rest.getGuildRoles(guildID: guild)
            #expect(roles.contains { $0.id == guild.cast() }, "@everyone has the guild's id")
            let channels = try await rest.getGuildChannels(guildID: guild)
            #expect(Set(channels.map(\.id.rawValue)).isSuperset(of: [world.textChannel, world.voiceChannel]))
            let member = try await rest.getGuildMember(guildID: guild, userID: Snowflake(world.user))
            #expect(member.user?.id == Snowflake(world.user))

            let room = try await rest.createGuildChannel(guildID: guild, .voice(name: "Room", userLimit: 3))
            #expect(room.type == .guildVoice && room.userLimit == 3)
            let deleted = try await rest.deleteChannel(channelID: room.id)
            #expect(deleted.id == room.id)

            let dm = try await rest.createDM(recipientID: Snowflake(world.user))
            #expect(dm.type == .dm)

            let text = Snowflake<Channel>(world.textChannel)
            let message = try await rest.createMessage(channelID: text, MessageCreate(
                content: "Now playing", embeds: [Embed(title: "Song", fields: [.init(name: "Length", value: "3:12")])],
                components: [.actionRow([.stringSelect(.init(customID: "pick", options: [.init(label: "A", value: "a")]))])],
                allowedMentions: AllowedMentions.none))
            let edited = try await rest.editMessage(channelID: text, messageID: message.id, MessageEdit(content: "Paused"))
            #expect(edited.content == "Paused")
            try await rest.deleteMessage(channelID: text, messageID: message.id)
            let missing = try await #require(throws: DiscordRESTError.self) {
                try await rest.deleteMessage(channelID: text, messageID: message.id)
            }
            #expect(missing.code == DiscordRESTError.unknownMessage)
        }
    }

    @Test("original response and followups: get, edit, delete")
    func responsesAndFollowups() async throws {
        try await EmulatedWorld.with { world in
            let rest = world.rest
            let application = Snowflake<Application>(world.bot.applicationID)
            _ = try await rest.bulkOverwriteGuildCommands(applicationID: application, guildID: Snowflake(world.guildID), [
                ApplicationCommand(name: "ping", description: "Ping"),
            ])
            let gateway = ShardedGateway(configuration: .init(shard: world.shardConfiguration(), shardCount: 1))
            try await world.withGateway(gateway) { log in
                try await log.wait(for: "READY", isReady)
                let invoked = try await world.emulator.invokeSlashCommand(
                    "ping", application: world.bot.applicationID, channel: world.textChannel, user: world.user)
                let token = InteractionToken(invoked.token)
                try await rest.createInteractionResponse(interactionID: Snowflake(invoked.id), token: token,
                                                         .deferredMessage(ephemeral: false))
                let original = try await rest.editOriginalResponse(applicationID: application, token: token,
                                                                   MessageEdit(content: "Pong"))
                #expect(try await rest.getOriginalResponse(applicationID: application, token: token).id == original.id)
                let followup = try await rest.createFollowup(applicationID: application, token: token, MessageCreate(content: "More"))
                let changed = try await rest.editFollowup(applicationID: application, token: token, messageID: followup.id,
                                                          MessageEdit(content: "Even more"))
                #expect(changed.content == "Even more")
                try await rest.deleteFollowup(applicationID: application, token: token, messageID: followup.id)
                try await rest.deleteOriginalResponse(applicationID: application, token: token)
            }
        }
    }

    @Test("role add and remove on a member")
    func memberRoles() async throws {
        try await EmulatedWorld.with { world in
            let role = try await world.emulator.createRole(in: world.guildID, name: "DJ", permissions: 0)
            // Role hierarchy: the bot may only manage roles below its own highest role.
            let manager = try await world.emulator.createRole(in: world.guildID, name: "Manager",
                                                              permissions: EmulatedPermission.manageRoles)
            try await world.emulator.addMember(world.bot.userID, to: world.guildID, roles: [manager])
            let guild = Snowflake<Guild>(world.guildID)
            try await world.rest.addMemberRole(guildID: guild, userID: Snowflake(world.user), roleID: Snowflake(role))
            #expect(await world.emulator.roles(of: world.user, in: world.guildID)?.contains(role) == true)
            try await world.rest.removeMemberRole(guildID: guild, userID: Snowflake(world.user), roleID: Snowflake(role))
            #expect(await world.emulator.roles(of: world.user, in: world.guildID)?.contains(role) == false)
        }
    }
}
