/// Discord's limits on message bodies (content, embeds, components), reported as 50035 with the
/// nested `_errors` shape at the offending field.
enum MessageValidation {
    typealias Problem = (path: [String], code: String, message: String)

    static func problems(in body: JSON, at prefix: [String] = []) -> [Problem] {
        var problems: [Problem] = []
        if let content = body["content"], !content.isNull {
            if let text = content.stringValue {
                if text.count > 2000 {
                    problems.append((prefix + ["content"], "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length."))
                }
            } else {
                problems.append((prefix + ["content"], "STRING_TYPE_CONVERT", "Could not interpret value as string."))
            }
        }
        if let embeds = body["embeds"], !embeds.isNull {
            problems += embedProblems(embeds, at: prefix + ["embeds"])
        }
        if let components = body["components"], !components.isNull {
            let flags = body["flags"]?.intValue ?? 0
            problems += componentProblems(components, at: prefix + ["components"], componentsV2: flags & (1 << 15) != 0)
        }
        return problems
    }

    /// Whether the body would produce a message with nothing in it.
    static func isEmpty(_ body: JSON) -> Bool {
        let content = body["content"]?.stringValue ?? ""
        let embeds = body["embeds"]?.arrayValue ?? []
        let components = body["components"]?.arrayValue ?? []
        let attachments = body["attachments"]?.arrayValue ?? []
        let poll = body["poll"].map { !$0.isNull } ?? false
        return content.isEmpty && embeds.isEmpty && components.isEmpty && attachments.isEmpty && !poll
    }

    private static func tooLong(_ value: JSON?, _ limit: Int, _ path: [String], into problems: inout [Problem]) -> Int {
        guard let text = value?.stringValue else { return 0 }
        if text.count > limit {
            problems.append((path, "BASE_TYPE_MAX_LENGTH", "Must be \(limit) or fewer in length."))
        }
        return text.count
    }

    private static func embedProblems(_ embeds: JSON, at path: [String]) -> [Problem] {
        guard let list = embeds.arrayValue else {
            return [(path, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType.")]
        }
        var problems: [Problem] = []
        if list.count > 10 { problems.append((path, "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")) }
        var total = 0
        for (index, embed) in list.enumerated() {
            let at = path + [String(index)]
            total += tooLong(embed["title"], 256, at + ["title"], into: &problems)
            total += tooLong(embed["description"], 4096, at + ["description"], into: &problems)
            total += tooLong(embed["footer"]?["text"], 2048, at + ["footer", "text"], into: &problems)
            total += tooLong(embed["author"]?["name"], 256, at + ["author", "name"], into: &problems)
            let fields = embed["fields"]?.arrayValue ?? []
            if fields.count > 25 {
                problems.append((at + ["fields"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
            }
            for (fieldIndex, field) in fields.enumerated() {
                let fieldPath = at + ["fields", String(fieldIndex)]
                for key in ["name", "value"] where field[key]?.stringValue == nil {
                    problems.append((fieldPath + [key], "BASE_TYPE_REQUIRED", "This field is required"))
                }
                total += tooLong(field["name"], 256, fieldPath + ["name"], into: &problems)
                total += tooLong(field["value"], 1024, fieldPath + ["value"], into: &problems)
            }
        }
        if total > 6000 {
            problems.append((path, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"))
        }
        return problems
    }

    private static func componentProblems(_ components: JSON, at path: [String], componentsV2: Bool) -> [Problem] {
        guard let rows = components.arrayValue else {
            return [(path, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType.")]
        }
        var problems: [Problem] = []
        var customIDs = Set<String>()
        if !componentsV2 && rows.count > 5 {
            problems.append((path, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."))
        }
        for (rowIndex, row) in rows.enumerated() {
            let rowPath = path + [String(rowIndex)]
            if componentsV2 {
                collectCustomIDs(row, at: rowPath, into: &customIDs, problems: &problems)
                continue
            }
            guard row["type"]?.intValue == 1, let children = row["components"]?.arrayValue else {
                problems.append((rowPath + ["type"], "UNION_TYPE_CHOICES",
                                 "Value of field \"type\" must be one of (1,)."))
                continue
            }
            let selects = children.filter { (3...8).contains($0["type"]?.intValue ?? 0) }
            if children.isEmpty || children.count > 5 || (!selects.isEmpty && children.count > 1) {
                problems.append((rowPath + ["components"], "BASE_TYPE_BAD_LENGTH",
                                 "Must be between 1 and 5 in length."))
            }
            for (index, component) in children.enumerated() {
                let at = rowPath + ["components", String(index)]
                problems += buttonOrSelectProblems(component, at: at)
                collectCustomIDs(component, at: at, into: &customIDs, problems: &problems)
            }
        }
        return problems
    }

    private static func buttonOrSelectProblems(_ component: JSON, at path: [String]) -> [Problem] {
        var problems: [Problem] = []
        switch component["type"]?.intValue {
        case 2:
            let style = component["style"]?.intValue ?? 0
            if !(1...6).contains(style) {
                problems.append((path + ["style"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}."))
            }
            if style == 5 {
                if component["url"]?.stringValue == nil {
                    problems.append((path + ["url"], "BASE_TYPE_REQUIRED", "This field is required"))
                }
                if component["custom_id"] != nil {
                    problems.append((path + ["custom_id"], "COMPONENT_LINK_BUTTON_CUSTOM_ID",
                                     "A link button cannot have a custom_id"))
                }
            } else if style != 6 {
                problems += customIDProblems(component, at: path)
            }
        case 3, 5, 6, 7, 8:
            problems += customIDProblems(component, at: path)
            if component["type"]?.intValue == 3 {
                let options = component["options"]?.arrayValue ?? []
                if options.isEmpty || options.count > 25 {
                    problems.append((path + ["options"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length."))
                }
            }
        default:
            problems.append((path + ["type"], "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (2, 3, 5, 6, 7, 8)."))
        }
        return problems
    }

    private static func customIDProblems(_ component: JSON, at path: [String]) -> [Problem] {
        guard let id = component["custom_id"]?.stringValue else {
            return [(path + ["custom_id"], "BASE_TYPE_REQUIRED", "This field is required")]
        }
        if id.isEmpty || id.count > 100 {
            return [(path + ["custom_id"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")]
        }
        return []
    }

    private static func collectCustomIDs(
        _ component: JSON, at path: [String], into seen: inout Set<String>, problems: inout [Problem]
    ) {
        if let id = component["custom_id"]?.stringValue {
            if !seen.insert(id).inserted {
                problems.append((path + ["custom_id"], "COMPONENT_CUSTOM_ID_DUPLICATED",
                                 "Component custom id cannot be duplicated"))
            }
        }
        for child in component["components"]?.arrayValue ?? [] {
            collectCustomIDs(child, at: path, into: &seen, problems: &problems)
        }
    }

    /// Finds a component anywhere in a message's components by custom id.
    static func component(withCustomID id: String, in components: [JSON]) -> JSON? {
        for component in components {
            if component["custom_id"]?.stringValue == id { return component }
            if let found = self.component(withCustomID: id, in: component["components"]?.arrayValue ?? []) {
                return found
            }
            if let accessory = component["accessory"], accessory["custom_id"]?.stringValue == id { return accessory }
        }
        return nil
    }

    /// User ids mentioned as `<@id>` or `<@!id>`.
    static func mentionedUserIDs(in content: String) -> [UInt64] {
        var result: [UInt64] = []
        var rest = Substring(content)
        while let start = rest.range(of: "<@") {
            rest = rest[start.upperBound...]
            if rest.first == "!" { rest = rest.dropFirst() }
            let digits = rest.prefix { $0.isNumber }
            if let id = UInt64(digits), rest.dropFirst(digits.count).first == ">" { result.append(id) }
        }
        return result
    }
}
