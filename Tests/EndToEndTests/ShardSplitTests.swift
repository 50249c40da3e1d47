import AnankorCore
import AnankorSandbox
import AnankorTesting
import DiscordEmulator
import Foundation
import Testing

/// Masters splitting the master bot's gateway shards through leases in a real redis-server, on a
/// Discord emulator that recommends four shards (each its own identify bucket, Discord's 5 s
/// between IDENTIFYs of a bucket enforced).
extension LobbyAndProcessEndToEnd {
@Suite("Shards split across masters")
struct ShardSplitTests {
    static let shards = 4

    /// A guild of the master bot on a given shard, with a text channel and alice as a member.
    struct ShardGuild {
        var guild: UInt64
        var text: UInt64
    }

    @Test("every shard has one owner; the owner of the sandbox guild's shard is killed: the others own its shards within 10 s and interactions in every shard are answered",
          arguments: [2, 3])
    func killOneOf(masters: Int) async throws {
        var plan = SandboxWorld.Plan.testing
        plan.gatewayShards = Self.shards
        var tuning = SandboxTuning.quick
        tuning.shardLeaseTTL = .seconds(2)
        try await withStage(.distributed, plan: plan, tuning: tuning, masters: 0) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let guilds = try await Self.guildOnEveryShard(world, member: alice.id)
            try await alice.join("Lounge")
            for index in 1...masters { stage.startMaster("master-\(index)") }

            let settled = await world.eventually(timeout: .seconds(40)) {
                let counts = stage.masterShards.values.map(\.count)
                guard let most = counts.max(), let fewest = counts.min(), most - fewest <= 1 else { return false }
                return await Self.settled(stage, masters: masters)
            }
            let connections = await Self.connectedShards(world)
            #expect(settled, "each shard is run by exactly one master and has exactly one gateway connection, spread at most one apart: \(stage.masterShards), \(connections)")
            let owners = stage.masterShards
            #expect(owners.values.allSatisfy { !$0.isEmpty }, "every master got a share: \(owners)")
            for (shard, guild) in guilds.sorted(by: { $0.key < $1.key }) {
                #expect(try await Self.answeredOnce("invite", in: guild, by: alice.id, world: world),
                        "/invite in the guild of shard \(shard) is answered once")
            }

            let sandboxShard = Int((world.guild >> 22) % UInt64(Self.shards))
            let victim = try #require(owners.first { $0.value.contains(sandboxShard) }?.key)
            let orphaned = owners[victim] ?? []
            await stage.killMaster(victim)
            #expect(await world.eventually(timeout: .seconds(10)) {
                let survivors = stage.masterShards
                return survivors.values.flatMap { $0 }.sorted() == Array(0..<Self.shards)
            }, "the other masters own \(victim)'s shards \(orphaned) within 10 s: \(stage.masterShards)")
            let resettled = await world.eventually(timeout: .seconds(20)) { await Self.settled(stage, masters: masters - 1) }
            let reconnected = await Self.connectedShards(world)
            #expect(resettled, "one connection per shard again: \(reconnected)")
            for (shard, guild) in guilds.sorted(by: { $0.key < $1.key }) {
                #expect(try await Self.answeredOnce("invite", in: guild, by: alice.id, world: world),
                        "after the takeover /invite in the guild of shard \(shard) is answered once")
            }
            // The new owner learned who is in voice from the new session's GUILD_CREATE: /play
            // finds alice's channel.
            #expect(try await alice.run("play", ["query": "https://youtu.be/after-takeover"]).text.hasPrefix("Queued"))
        }
    }

    @Test("a master stopped gracefully releases its shards at once: the other takes them well within one lease")
    func gracefulStop() async throws {
        var plan = SandboxWorld.Plan.testing
        plan.gatewayShards = Self.shards
        var tuning = SandboxTuning.quick
        tuning.shardLeaseTTL = .seconds(10)  // rounds of 2 s; a lapse would take longer than the wait below
        try await withStage(.distributed, plan: plan, tuning: tuning, masters: 0) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let guilds = try await Self.guildOnEveryShard(world, member: alice.id)
            stage.startMaster("master-1")
            stage.startMaster("master-2")
            #expect(await world.eventually(timeout: .seconds(60)) { await Self.settled(stage, masters: 2) },
                    "\(stage.masterShards)")
            #expect(stage.masterShards["master-1"]?.isEmpty == false)
            await stage.stopMaster("master-1")
            #expect(await world.eventually(timeout: .seconds(8)) {
                stage.masterShards["master-2"] == Array(0..<Self.shards)
            }, "master-2 runs every shard before master-1's leases could have lapsed: \(stage.masterShards)")
            #expect(await world.eventually(timeout: .seconds(20)) { await Self.settled(stage, masters: 1) })
            for (shard, guild) in guilds.sorted(by: { $0.key < $1.key }) {
                #expect(try await Self.answeredOnce("invite", in: guild, by: alice.id, world: world),
                        "/invite in the guild of shard \(shard) is answered")
            }
        }
    }

    @Test("`anankor master` processes: SIGKILL of the one running the sandbox guild's shard; the others lease and connect its shards within 10 s",
          arguments: [2, 3])
    func sigkillOneOf(masters: Int) async throws {
        var plan = SandboxWorld.Plan.testing
        plan.gatewayShards = Self.shards
        try await withStage(.distributed, plan: plan, masters: 0, workerProcesses: 0) { stage in
            let world = stage.world
            let alice = stage.member("alice")
            let guilds = try await Self.guildOnEveryShard(world, member: alice.id)
            var environment = stage.processEnvironment
            environment["ANANKOR_SHARD_LEASE_TTL"] = "2s"
            var processes: [LocalServerProcess] = []
            defer { for process in processes { process.kill() } }
            for index in 1...masters {
                processes.append(try await LocalServerProcess(
                    name: "anankor-master-\(index)", executable: LobbyAndProcessEndToEnd.WorkerProcessTests.executable,
                    arguments: { port in ["master", "--http-port", "\(port)"] },
                    environment: environment, readyTimeout: .seconds(60)))
            }
            let pids = processes.map(\.processIdentifier)
            /// Which process holds each shard's lease (the holder names the pid).
            @Sendable func owners() async -> [Int: Int32] {
                var owners: [Int: Int32] = [:]
                for shard in 0..<Self.shards {
                    guard let lease = try? await stage.ports.state.currentLease(.shard(shard), now: Date()) else { continue }
                    owners[shard] = pids.first { lease.holder.rawValue.contains("-\($0)-") }
                }
                return owners
            }
            let settled = await world.eventually(timeout: .seconds(60)) {
                let owned = await owners()
                let counts = pids.map { pid in owned.values.filter { $0 == pid }.count }
                guard owned.count == Self.shards, counts.max()! - counts.min()! <= 1 else { return false }
                return await Self.connectedShards(world) == Array(0..<Self.shards)
            }
            let before = await owners()
            #expect(settled, "each shard leased by one process, spread at most one apart, one connection each: \(before)")
            for (shard, guild) in guilds.sorted(by: { $0.key < $1.key }) {
                #expect(try await Self.answeredOnce("invite", in: guild, by: alice.id, world: world),
                        "/invite in the guild of shard \(shard) is answered once")
            }

            let sandboxShard = Int((world.guild >> 22) % UInt64(Self.shards))
            let victim = try #require(processes.first { $0.processIdentifier == before[sandboxShard] })
            victim.kill()  // SIGKILL: its leases lapse, its sockets drop
            let survivors = Set(processes.filter { $0 !== victim }.map(\.processIdentifier))
            let leased = await world.eventually(timeout: .seconds(10)) {
                let owned = await owners()
                return owned.count == Self.shards && owned.values.allSatisfy { survivors.contains($0) }
            }
            let after = await owners()
            #expect(leased, "the surviving processes lease every shard within 10 s: \(after)")
            let reconnected = await world.eventually(timeout: .seconds(20)) {
                await Self.connectedShards(world) == Array(0..<Self.shards)
            }
            let connections = await Self.connectedShards(world)
            #expect(reconnected, "one connection per shard again: \(connections)")
            for (shard, guild) in guilds.sorted(by: { $0.key < $1.key }) {
                #expect(try await Self.answeredOnce("invite", in: guild, by: alice.id, world: world),
                        "after the SIGKILL /invite in the guild of shard \(shard) is answered once")
            }
        }
    }

    /// Every shard is run by exactly one of `masters` masters, and the emulator shows exactly one
    /// connected gateway session of the master bot per shard.
    static func settled(_ stage: MusicStage, masters: Int) async -> Bool {
        let owned = stage.masterShards
        guard owned.count == masters, owned.values.flatMap({ $0 }).sorted() == Array(0..<shards) else { return false }
        return await connectedShards(stage.world) == Array(0..<shards)
    }

    /// The shard of every connected gateway session of the master bot, sorted (a shard twice
    /// means two connections).
    static func connectedShards(_ world: SandboxWorld) async -> [Int] {
        await world.discord.gatewaySessions().filter {
            $0["application_id"]?.snowflakeValue == world.master.applicationID && $0["connected"]?.boolValue == true
        }.compactMap { $0["shard"]?.arrayValue?.first?.intValue.map(Int.init) }.sorted()
    }

    /// The sandbox guild for its shard, and a new guild for each other shard (guild ids spread
    /// over shards like Discord's).
    static func guildOnEveryShard(_ world: SandboxWorld, member: UInt64) async throws -> [Int: ShardGuild] {
        var guilds: [Int: ShardGuild] = [Int((world.guild >> 22) % UInt64(shards)): ShardGuild(guild: world.guild,
                                                                                              text: world.textChannel)]
        var attempts = 0
        while guilds.count < shards {
            attempts += 1
            try #require(attempts < 200, "guild ids should cover every shard")
            let guild = try await world.discord.createGuild(name: "Shard test \(attempts)", ownerID: member)
            let shard = Int((guild >> 22) % UInt64(shards))
            guard guilds[shard] == nil else { continue }
            let text = try await world.discord.createChannel(in: guild, name: "general", type: .text)
            try await world.discord.addMember(member, to: guild)
            try await world.discord.addMember(world.master.userID, to: guild)
            guilds[shard] = ShardGuild(guild: guild, text: text)
        }
        return guilds
    }

    /// Runs a slash command in a guild's text channel; true when it got exactly one answer.
    static func answeredOnce(_ command: String, in guild: ShardGuild, by user: UInt64, world: SandboxWorld) async throws -> Bool {
        let interaction = try await world.discord.invokeSlashCommand(
            command, application: world.master.applicationID, channel: guild.text, user: user)
        guard await world.answer(to: interaction) != nil else { return false }
        let record = await world.discord.interactionRecord(interaction.id)
        let callbacks = (record?["responses"]?.arrayValue ?? []).filter { $0["kind"]?.stringValue == "callback" }
        return callbacks.count == 1
    }
}
}
