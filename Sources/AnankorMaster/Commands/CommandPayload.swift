public import AnankorCore
public import DiscordKit

/// Turns Anankor's command definitions into the application-command JSON Discord registers, with
/// `name_localizations` / `description_localizations` for every shipped locale (DESIGN §6).
public enum CommandPayload {
    /// Commands work in guilds only: music and lobbies need a guild's voice channels.
    static let guildContext = [0]

    public static func build(
        _ specs: [CommandSpec] = CommandSpec.all, texts: CommandTexts = .standard
    ) -> [ApplicationCommand] {
        specs.map { spec in
            let base = texts.entry(spec.name, .englishUS)
            return ApplicationCommand(
                name: base?.name ?? spec.name,
                nameLocalizations: texts.nameLocalizations(spec.name),
                description: base?.description ?? spec.name,
                descriptionLocalizations: texts.descriptionLocalizations(spec.name),
                options: spec.options.isEmpty ? nil : spec.options.map { option(option: $0, path: "\(spec.name).\($0.name)", texts) },
                type: .chatInput,
                defaultMemberPermissions: spec.managersOnly ? .manageGuild : nil,
                contexts: guildContext
            )
        }
    }

    private static func option(option: CommandOptionSpec, path: String, _ texts: CommandTexts) -> ApplicationCommandOption {
        let base = texts.entry(path, .englishUS)
        return ApplicationCommandOption(
            type: .init(rawValue: option.kind.rawValue),
            name: base?.name ?? option.name,
            nameLocalizations: texts.nameLocalizations(path),
            description: base?.description ?? option.name,
            descriptionLocalizations: texts.descriptionLocalizations(path),
            required: option.required ? true : nil,
            choices: option.choices.isEmpty ? nil : option.choices.map { choice in
                ApplicationCommandOption.Choice(
                    name: texts.entry("\(path).\(choice)", .englishUS)?.name ?? choice,
                    nameLocalizations: texts.nameLocalizations("\(path).\(choice)"),
                    value: .string(choice))
            },
            options: option.options.isEmpty ? nil : option.options.map { self.option(option: $0, path: "\(path).\($0.name)", texts) },
            channelTypes: option.channelTypes.isEmpty ? nil : option.channelTypes.map { Channel.Kind(rawValue: $0) },
            minValue: option.minValue.map(Double.init),
            maxValue: option.maxValue.map(Double.init),
            maxLength: option.maxLength,
            autocomplete: option.autocomplete ? true : nil
        )
    }
}
