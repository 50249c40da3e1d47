import AnankorCore
import AnankorDistributed
public import AnankorSettings
import AsyncHTTPClient
import DiscordKit
import DynamoKit
import LavalinkKit
public import Logging
import RedisKit

/// `anankor doctor`: checks what an operator configured against the real services — tokens
/// (`GET /users/@me`), Lavalink nodes (version ≥ 4.2, needed for Discord's end-to-end encrypted
/// voice), Redis, the DynamoDB table — and says what is wrong and how to fix it. With `fix`, it
/// creates the DynamoDB table (with its index and TTL) when it is missing.
public struct Doctor: Sendable {
    let settings: AnankorSettings
    let fix: Bool
    let logger: Logger

    public init(settings: AnankorSettings, fix: Bool = false, logger: Logger) {
        self.settings = settings
        self.fix = fix
        self.logger = logger
    }

    public func run() async -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        findings += await tokens()
        findings += await lavalink()
        findings.append(await redis())
        findings.append(await dynamo())
        return findings
    }

    // MARK: Discord

    func tokens() async -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        // A host may run only masters or only workers, so one missing kind is a warning; with
        // neither token there is nothing to run at all.
        let neither = settings.masterToken == nil && settings.workerTokens.isEmpty
        if let master = settings.masterToken {
            findings.append(await token("DISCORD_MASTER_TOKEN", master))
        } else {
            findings.append(DoctorFinding("DISCORD_MASTER_TOKEN", neither ? .problem : .warning,
                                          "not set; `anankor run` and `anankor master` need it",
                                          fix: "set it to the master bot's token (developer portal → Bot → Reset Token)"))
        }
        if settings.workerTokens.isEmpty {
            findings.append(DoctorFinding("DISCORD_WORKER_TOKEN_1", neither ? .problem : .warning,
                                          "no worker tokens; nothing can join voice",
                                          fix: "set DISCORD_WORKER_TOKEN_1…N to the worker bots' tokens"))
        }
        for (index, worker) in settings.workerTokens.enumerated() {
            findings.append(await token("DISCORD_WORKER_TOKEN_\(index + 1)", worker))
        }
        return findings
    }

    private func token(_ key: String, _ secret: Secret) async -> DoctorFinding {
        let rest = DiscordREST(token: BotToken(secret.exposedValue), configuration: .init(baseURL: settings.discordAPIURL, maxRetries: 1),
                               logger: logger)
        do {
            let user = try await rest.getCurrentUser()
            return DoctorFinding(key, .ok, "accepted: bot \(user.username) (\(user.id))")
        } catch let error as DiscordRESTError where error.status == 401 {
            return DoctorFinding(key, .problem, Self.refusedDetail, fix: Self.refusedFix)
        } catch {
            return DoctorFinding(key, .problem, "could not reach Discord at \(settings.discordAPIURL): \(error)",
                                 fix: "check the network and DISCORD_API_URL")
        }
    }

    static let refusedDetail = "refused by Discord (401 Unauthorized)"
    static let refusedFix = "the token was reset or mistyped: copy a fresh one from the developer portal (Bot → Reset Token)"

    /// Before `run`, `master` or `worker` start: every token the mode uses is shown to Discord
    /// once, so a refused token stops start-up with one line naming its key rather than a
    /// service failing later or a worker never becoming ready. Discord being unreachable is not
    /// a refusal (the services retry), so it returns nil then.
    public func refusedToken(for mode: AnankorSettings.RunMode) async -> String? {
        var tokens: [(String, Secret)] = []
        if [.run, .master, .commandsSync].contains(mode), let master = settings.masterToken {
            tokens.append(("DISCORD_MASTER_TOKEN", master))
        }
        if [.run, .worker].contains(mode) {
            tokens += settings.workerTokens.enumerated().map { ("DISCORD_WORKER_TOKEN_\($0.offset + 1)", $0.element) }
        }
        for (key, secret) in tokens {
            let finding = await token(key, secret)
            if finding.detail == Self.refusedDetail {
                return "\(key) was \(Self.refusedDetail): \(Self.refusedFix)"
            }
        }
        return nil
    }

    // MARK: Lavalink

    func lavalink() async -> [DoctorFinding] {
        if settings.lavalinkNodes.isEmpty {
            // `run`, `master` and `worker` all refuse to start without one.
            return [DoctorFinding("LAVALINK_URL", .problem, "no Lavalink node configured; music cannot play",
                                  fix: "set LAVALINK_URL and LAVALINK_PASSWORD, or LAVALINK_NODES")]
        }
        var findings: [DoctorFinding] = []
        for node in settings.lavalinkNodes {
            let check = "Lavalink \(node.name)"
            let endpoint = NodeEndpoint(host: node.host, port: node.port, secure: node.secure,
                                        password: node.password.exposedValue)
            let rest = LavalinkREST(endpoint: endpoint, nodeName: node.name, timeout: .seconds(5))
            do {
                let version = try await rest.checkVersion()
                findings.append(DoctorFinding(check, .ok, "Lavalink \(version.semver)"))
            } catch let error as LavalinkError where error.code == .unsupportedVersion {
                findings.append(DoctorFinding(check, .problem, error.message,
                                              fix: "upgrade the node to Lavalink 4.2 or newer (Discord requires end-to-end encrypted voice)"))
            } catch let error as LavalinkError where error.code == .unauthorized {
                findings.append(DoctorFinding(check, .problem, "the node refused the password",
                                              fix: "set the node's password (lavalink.server.password) in LAVALINK_PASSWORD / LAVALINK_NODES"))
            } catch {
                findings.append(DoctorFinding(check, .problem, "unreachable: \(error)", fix: "start the node or correct its address"))
            }
        }
        return findings
    }

    // MARK: Redis

    func redis() async -> DoctorFinding {
        guard let url = settings.redisURL else {
            return DoctorFinding("REDIS_URL", .ok, "not set: the embedded mode keeps state in \(settings.statePath)")
        }
        let client: RedisClient
        do {
            client = try RedisClient(url: url.exposedValue)
        } catch {
            return DoctorFinding("Redis", .problem, "\(error)", fix: "correct REDIS_URL")
        }
        let finding: DoctorFinding
        do {
            let reply = try await client.send("PING")
            guard reply.string == "PONG" else {
                await client.close()
                return DoctorFinding("Redis", .problem, "answered PING with something other than PONG",
                                     fix: "point REDIS_URL at a Redis server")
            }
            let version = Self.redisVersion(try? await client.send("INFO", "server"))
            finding = DoctorFinding("Redis", .ok, "reachable, answers PING" + (version.map { " (Redis \($0))" } ?? ""))
        } catch {
            finding = DoctorFinding("Redis", .problem, "unreachable: \(error)", fix: "start Redis or correct REDIS_URL")
        }
        await client.close()
        return finding
    }

    /// `redis_version:7.0.15` from `INFO server`.
    static func redisVersion(_ info: RESPValue?) -> String? {
        guard let text = info?.string else { return nil }
        let line = text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("redis_version:") }
        return line.map { String($0.dropFirst("redis_version:".count)) }
    }

    // MARK: DynamoDB

    func dynamo() async -> DoctorFinding {
        guard let aws = settings.aws else {
            return DoctorFinding("DynamoDB", .ok, "not configured: the embedded mode keeps records in \(settings.statePath)")
        }
        var environment = [
            "AWS_REGION": aws.region, "AWS_ACCESS_KEY_ID": aws.accessKeyID.exposedValue,
            "AWS_SECRET_ACCESS_KEY": aws.secretAccessKey.exposedValue, "DYNAMODB_TABLE": settings.dynamoTable,
        ]
        environment["AWS_SESSION_TOKEN"] = aws.sessionToken?.exposedValue
        environment["DYNAMODB_ENDPOINT"] = settings.dynamoEndpoint
        let check = "DynamoDB table \(settings.dynamoTable)"
        let configuration: DynamoConfiguration
        do {
            configuration = try DynamoConfiguration.fromEnvironment(environment)
        } catch {
            return DoctorFinding(check, .problem, error.description, fix: "check AWS_REGION and DYNAMODB_ENDPOINT")
        }
        let client = DynamoClient(configuration: configuration, logger: logger)
        let existing: Result<TableDescription, DynamoError> = await Self.describe(client, settings.dynamoTable)
        switch existing {
        case .success(let table):
            return DoctorFinding(check, .ok, "exists (\(table.status))")
        case .failure(let error) where error.code == .resourceNotFound && !fix:
            return DoctorFinding(check, .problem, "does not exist",
                                 fix: "run `anankor doctor --fix` (or start `anankor master`) to create it")
        case .failure(let error) where error.code == .resourceNotFound:
            let ledger = DynamoLedger(client: client, tableName: settings.dynamoTable, logger: logger)
            if let failure = await Self.bootstrap(ledger) {
                return DoctorFinding(check, .problem, "could not be created: \(failure)")
            }
            return DoctorFinding(check, .ok, "created with its index and TTL")
        case .failure(let error):
            return DoctorFinding(check, .problem, "\(error)", fix: "check the AWS credentials, AWS_REGION and DYNAMODB_ENDPOINT")
        }
    }

    // Kept apart from `dynamo()`: nesting these typed-throws calls in one do/catch crashes the
    // Swift 6.3.1 compiler.
    private static func describe(_ client: DynamoClient, _ table: String) async -> Result<TableDescription, DynamoError> {
        do { return .success(try await client.describeTable(table)) } catch { return .failure(error) }
    }

    private static func bootstrap(_ ledger: DynamoLedger) async -> LedgerError? {
        do { try await ledger.bootstrap() } catch { return error }
        return nil
    }
}
