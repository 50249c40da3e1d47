import AnankorCore
import DiscordKit

/// `/help` and `!help`: the commands this member may use here, grouped (music, games,
/// settings), named as registered in their language. Commands the DJ role gates are left out
/// for members without it (with a line saying why), `/settings` for members who cannot manage
/// the server.
struct HelpCommand: Sendable {
    let context: MasterContext

    func run(_ invocation: CommandInvocation) async throws -> Reply {
        let settings = try await context.settings.settings(of: invocation.guild)
        let manager = isManager(invocation)
        let isDJ = manager || settings.djRole.map { invocation.roles.contains($0) } ?? true
        let locale = invocation.locale
        var lines = [context.text(.helpTitle, locale)]
        // /skip stays: without the role it is a vote.
        let music = CommandSpec.music.filter { isDJ || !$0.isDestructive || $0.name == "skip" }.map(\.name) + subcommands(of: CommandSpec.playlist)
        lines.append(group(.helpGroupMusic, music, locale))
        lines.append(group(.helpGroupGames, subcommands(of: CommandSpec.game), locale))
        if manager {
            lines.append(group(.helpGroupSettings, subcommands(of: CommandSpec.settings), locale))
        }
        if context.configuration.textCommands {
            lines.append(context.text(.helpTextCommands, locale,
                                      ["prefix": settings.prefix ?? context.configuration.defaultPrefix]))
        }
        if !isDJ, let role = settings.djRole {
            lines.append(context.text(.helpDJHidden, locale, ["role": "<@&\(role)>"]))
        }
        return Reply(lines.joined(separator: "\n"), ephemeral: true)
    }

    /// "**Music**: `/play` · `/search` · …" — names only, so every group fits one message; the
    /// descriptions are in Discord's command picker.
    private func group(_ title: MessageKey, _ paths: [String], _ locale: AnankorCore.DiscordLocale) -> String {
        "**\(context.text(title, locale))**: " + paths.map { "`\(context.catalog.command($0, locale))`" }
            .joined(separator: " · ")
    }

    private func subcommands(of spec: CommandSpec) -> [String] {
        spec.options.filter { $0.kind == .subcommand }.map { "\(spec.name).\($0.name)" }
    }

    /// Interactions carry the member's permissions; a text command does not, so they are computed
    /// from the cache.
    private func isManager(_ invocation: CommandInvocation) -> Bool {
        if invocation.permissions != nil { return invocation.isManager }
        guard let channel = invocation.textChannel,
            let permissions = context.cache.permissions(
                of: Snowflake(invocation.user.rawValue), roles: invocation.roles.map { Snowflake($0.rawValue) },
                in: Snowflake(channel.rawValue), guild: Snowflake(invocation.guild.rawValue))
        else { return false }
        return permissions.contains(.administrator) || permissions.contains(.manageGuild)
    }
}
