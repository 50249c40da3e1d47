/// Application commands: bulk overwrite (global and guild) with Discord's validation, and reads.
extension EmulatorState {
    static let locales: Set<String> = [
        "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl",
        "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja",
        "zh-TW", "ko",
    ]

    func commands(_ call: RESTCall) throws(DiscordEmulatorError) -> APIResponse {
        let applicationID = try call.id("application_id")
        guard applicationID == call.applicationID else { throw .missingAccess }
        var guildID: UInt64?
        if call.match.parameters["guild_id"] != nil {
            guildID = try botGuild(call).id
        }
        let endpoint = call.match.route.endpoint
        if endpoint == .getGlobalCommands || endpoint == .getGuildCommands {
            let list = guildID.map { world.applications[applicationID]?.guildCommands[$0] ?? [] }
                ?? world.applications[applicationID]?.globalCommands ?? []
            let withLocalizations = ["true", "1", "True"].contains(call.request.query["with_localizations"] ?? "")
            return .json(.array(list.map { command in
                guard !withLocalizations, case .object(var object) = command else { return command }
                object["name_localizations"] = nil
                object["description_localizations"] = nil
                return .object(object)
            }))
        }
        guard let given = call.request.body?.arrayValue else {
            throw .invalidForm([([], "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType.")])
        }
        var problems: [MessageValidation.Problem] = []
        if given.count > 100 { problems.append(([], "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")) }
        for (index, command) in given.enumerated() {
            problems += commandProblems(command, at: [String(index)])
        }
        var seen = Set<String>()
        for (index, command) in given.enumerated() {
            let key = "\(command["type"]?.intValue ?? 1)/\(command["name"]?.stringValue ?? "")"
            if !seen.insert(key).inserted {
                problems.append(([String(index), "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME",
                                 "Application command names must be unique"))
            }
        }
        guard problems.isEmpty else { throw .invalidForm(problems) }
        let previous = guildID.map { world.applications[applicationID]?.guildCommands[$0] ?? [] }
            ?? world.applications[applicationID]?.globalCommands ?? []
        let stored = given.map { command -> JSON in
            let type = command["type"]?.intValue ?? 1
            let existingID = previous.first {
                $0["name"] == command["name"] && ($0["type"]?.intValue ?? 1) == type
            }?["id"]?.snowflakeValue
            return normalizedCommand(command, id: existingID ?? newID(), applicationID: applicationID, guildID: guildID)
        }
        if let guildID {
            world.applications[applicationID]?.guildCommands[guildID] = stored
        } else {
            world.applications[applicationID]?.globalCommands = stored
        }
        record("commands_overwritten", application: applicationID, [
            "guild_id": .id(guildID), "names": .array(stored.compactMap { $0["name"] }),
        ])
        return .json(.array(stored))
    }

    private func normalizedCommand(_ command: JSON, id: UInt64, applicationID: UInt64, guildID: UInt64?) -> JSON {
        var json: JSON = [
            "id": .id(id), "application_id": .id(applicationID), "version": .id(newID()),
            "type": command["type"] ?? 1, "name": command["name"] ?? "", "description": command["description"] ?? "",
            "name_localizations": command["name_localizations"] ?? nil,
            "description_localizations": command["description_localizations"] ?? nil,
            "default_member_permissions": command["default_member_permissions"] ?? nil,
            "dm_permission": command["dm_permission"] ?? true, "nsfw": command["nsfw"] ?? false,
            "contexts": command["contexts"] ?? nil, "integration_types": command["integration_types"] ?? [0],
        ]
        if let options = command["options"], !options.isNull { json["options"] = options }
        if let guildID { json["guild_id"] = .id(guildID) }
        return json
    }

    private func commandProblems(_ command: JSON, at path: [String]) -> [MessageValidation.Problem] {
        var problems: [MessageValidation.Problem] = []
        let type = command["type"]?.intValue ?? 1
        if ![1, 2, 3, 4].contains(type) {
            problems.append((path + ["type"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}."))
        }
        problems += nameProblems(command["name"], at: path + ["name"], lowercase: type == 1)
        let description = command["description"]?.stringValue ?? ""
        if type == 1, description.isEmpty || description.count > 100 {
            problems.append((path + ["description"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
        }
        problems += localizationProblems(command, at: path, lowercase: type == 1)
        problems += optionProblems(command["options"], at: path + ["options"])
        return problems
    }

    private func nameProblems(_ value: JSON?, at path: [String], lowercase: Bool) -> [MessageValidation.Problem] {
        guard let name = value?.stringValue else {
            return [(path, "BASE_TYPE_REQUIRED", "This field is required")]
        }
        let valid = (1...32).contains(name.count) && name.allSatisfy { character in
            character.isLetter || character.isNumber || "-_'".contains(character)
        }
        if !valid || (lowercase && name != name.lowercased()) {
            return [(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")]
        }
        return []
    }

    private func localizationProblems(_ item: JSON, at path: [String], lowercase: Bool) -> [MessageValidation.Problem] {
        var problems: [MessageValidation.Problem] = []
        for key in ["name_localizations", "description_localizations"] {
            for (locale, text) in item[key]?.objectValue ?? [:] {
                if !Self.locales.contains(locale) {
                    problems.append((path + [key, locale], "ENUM_TYPE_COERCE",
                                     "Value \"\(locale)\" is not a valid enum value."))
                } else if key == "name_localizations" {
                    problems += nameProblems(text, at: path + [key, locale], lowercase: lowercase)
                } else if let description = text.stringValue, description.isEmpty || description.count > 100 {
                    problems.append((path + [key, locale], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
                }
            }
        }
        return problems
    }

    private func optionProblems(_ value: JSON?, at path: [String]) -> [MessageValidation.Problem] {
        guard let options = value?.arrayValue else { return [] }
        var problems: [MessageValidation.Problem] = []
        if options.count > 25 { problems.append((path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")) }
        var sawOptional = false
        for (index, option) in options.enumerated() {
            let at = path + [String(index)]
            let type = option["type"]?.intValue ?? 0
            if !(1...11).contains(type) {
                problems.append((at + ["type"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, ..., 11}."))
            }
            problems += nameProblems(option["name"], at: at + ["name"], lowercase: true)
            let description = option["description"]?.stringValue ?? ""
            if description.isEmpty || description.count > 100 {
                problems.append((at + ["description"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
            }
            problems += localizationProblems(option, at: at, lowercase: true)
            if type == 1 || type == 2 {
                problems += optionProblems(option["options"], at: at + ["options"])
                continue
            }
            let required = option["required"]?.boolValue ?? false
            if required && sawOptional {
                problems.append((at + ["required"], "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                                 "Required options must be placed before non-required options"))
            }
            sawOptional = sawOptional || !required
            if let choices = option["choices"]?.arrayValue, choices.count > 25 {
                problems.append((at + ["choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
            }
        }
        return problems
    }

    /// The registered command a user invokes: guild commands first, then global ones.
    func registeredCommand(applicationID: UInt64, guildID: UInt64?, name: String, type: Int) -> JSON? {
        guard let application = world.applications[applicationID] else { return nil }
        let guildCommands = guildID.flatMap { application.guildCommands[$0] } ?? []
        return (guildCommands + application.globalCommands).first {
            $0["name"]?.stringValue == name && ($0["type"]?.intValue ?? 1) == Int64(type)
        }
    }
}
