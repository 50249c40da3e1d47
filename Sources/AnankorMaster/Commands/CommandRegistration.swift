public import DiscordKit
public import Logging

/// Where commands are registered: globally for an application, or in one guild (development).
public protocol CommandRegistry: Sendable {
    func registeredCommands() async throws -> [ApplicationCommand]
    func overwrite(_ commands: [ApplicationCommand]) async throws -> [ApplicationCommand]
}

/// The application's global commands through Discord's REST API.
public struct GlobalCommandRegistry: CommandRegistry {
    let rest: DiscordREST
    let applicationID: Snowflake<Application>

    public init(rest: DiscordREST, applicationID: Snowflake<Application>) {
        self.rest = rest
        self.applicationID = applicationID
    }

    public func registeredCommands() async throws -> [ApplicationCommand] {
        try await rest.getGlobalCommands(applicationID: applicationID, withLocalizations: true)
    }

    public func overwrite(_ commands: [ApplicationCommand]) async throws -> [ApplicationCommand] {
        try await rest.bulkOverwriteGlobalCommands(applicationID: applicationID, commands)
    }
}

/// Registers the commands on boot (and for `anankor commands sync`): one bulk overwrite when
/// what Discord has differs from what this build defines, nothing otherwise — so restarts and
/// many masters do not churn Discord's command versions or its rate limits.
public struct CommandRegistration: Sendable {
    public enum Outcome: Equatable, Sendable {
        case unchanged(count: Int)
        case overwritten(count: Int)
    }

    let registry: any CommandRegistry
    let desired: [ApplicationCommand]

    public init(registry: any CommandRegistry, desired: [ApplicationCommand] = CommandPayload.build()) {
        self.registry = registry
        self.desired = desired
    }

    public func sync(logger: Logger) async throws -> Outcome {
        let registered = try await registry.registeredCommands()
        if Self.isEquivalent(registered: registered, desired: desired) {
            logger.info("slash commands unchanged", metadata: ["commands.count": "\(desired.count)"])
            return .unchanged(count: desired.count)
        }
        let result = try await registry.overwrite(desired)
        logger.notice("slash commands registered", metadata: ["commands.count": "\(result.count)"])
        return .overwritten(count: result.count)
    }

    /// Compares what matters to members, ignoring what Discord adds (ids, versions) and the
    /// defaults it spells out or leaves out (`required: false`, empty localizations).
    public static func isEquivalent(registered: [ApplicationCommand], desired: [ApplicationCommand]) -> Bool {
        let left = registered.map(CanonicalCommand.init).sorted { $0.name < $1.name }
        let right = desired.map(CanonicalCommand.init).sorted { $0.name < $1.name }
        return left == right
    }
}

private struct CanonicalCommand: Equatable {
    var type: Int
    var name: String
    var nameLocalizations: [String: String]
    var description: String
    var descriptionLocalizations: [String: String]
    var options: [CanonicalOption]
    var contexts: [Int]?

    init(_ command: ApplicationCommand) {
        type = command.type?.rawValue ?? 1
        name = command.name
        nameLocalizations = command.nameLocalizations ?? [:]
        description = command.description
        descriptionLocalizations = command.descriptionLocalizations ?? [:]
        options = (command.options ?? []).map(CanonicalOption.init)
        contexts = command.contexts
    }
}

private struct CanonicalOption: Equatable {
    var type: Int
    var name: String
    var nameLocalizations: [String: String]
    var description: String
    var descriptionLocalizations: [String: String]
    var required: Bool
    var choices: [ApplicationCommandOption.Choice]
    var options: [CanonicalOption]
    var channelTypes: [Int]
    var minValue: Double?
    var maxValue: Double?
    var minLength: Int?
    var maxLength: Int?
    var autocomplete: Bool

    init(_ option: ApplicationCommandOption) {
        type = option.type.rawValue
        name = option.name
        nameLocalizations = option.nameLocalizations ?? [:]
        description = option.description
        descriptionLocalizations = option.descriptionLocalizations ?? [:]
        required = option.required ?? false
        choices = (option.choices ?? []).map { choice in
            var copy = choice
            if copy.nameLocalizations?.isEmpty == true { copy.nameLocalizations = nil }
            return copy
        }
        options = (option.options ?? []).map(CanonicalOption.init)
        channelTypes = (option.channelTypes ?? []).map(\.rawValue)
        minValue = option.minValue
        maxValue = option.maxValue
        minLength = option.minLength
        maxLength = option.maxLength
        autocomplete = option.autocomplete ?? false
    }
}
