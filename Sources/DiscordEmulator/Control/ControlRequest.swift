/// Reading control API bodies with clear 400s for missing or wrong fields.
struct ControlBody {
    let json: JSON

    init(_ json: JSON?) { self.json = json ?? .object([:]) }

    func has(_ key: String) -> Bool { json[key] != nil }

    func string(_ key: String) throws(DiscordEmulatorError) -> String {
        guard let value = json[key]?.stringValue else { throw Self.missing(key, "a string") }
        return value
    }

    func optionalString(_ key: String) -> String? { json[key]?.stringValue }

    func id(_ key: String) throws(DiscordEmulatorError) -> UInt64 {
        guard let value = json[key]?.snowflakeValue else { throw Self.missing(key, "a snowflake id") }
        return value
    }

    func optionalID(_ key: String) throws(DiscordEmulatorError) -> UInt64? {
        guard let value = json[key], !value.isNull else { return nil }
        guard let id = value.snowflakeValue else { throw Self.missing(key, "a snowflake id or null") }
        return id
    }

    func ids(_ key: String) throws(DiscordEmulatorError) -> [UInt64] {
        guard let values = json[key] else { return [] }
        guard let array = values.arrayValue else { throw Self.missing(key, "an array of ids") }
        var result: [UInt64] = []
        for value in array {
            guard let id = value.snowflakeValue else { throw Self.missing(key, "an array of ids") }
            result.append(id)
        }
        return result
    }

    func int(_ key: String, default fallback: Int) throws(DiscordEmulatorError) -> Int {
        guard let value = json[key] else { return fallback }
        guard let int = value.intValue else { throw Self.missing(key, "an integer") }
        return Int(int)
    }

    func optionalInt(_ key: String) -> Int? { json[key]?.intValue.map { Int($0) } }

    func bool(_ key: String, default fallback: Bool) -> Bool { json[key]?.boolValue ?? fallback }

    /// Permissions as Discord writes them (a decimal string) or as a number.
    func permissions(_ key: String, default fallback: UInt64) throws(DiscordEmulatorError) -> UInt64 {
        guard let value = json[key] else { return fallback }
        if let text = value.stringValue, let bits = UInt64(text) { return bits }
        if let int = value.intValue, int >= 0 { return UInt64(int) }
        throw Self.missing(key, "a permission bit set (decimal string)")
    }

    func overwrites(_ key: String) throws(DiscordEmulatorError) -> [OverwriteRecord] {
        guard let values = json[key]?.arrayValue else { return [] }
        var result: [OverwriteRecord] = []
        for value in values {
            let item = ControlBody(value)
            result.append(OverwriteRecord(
                id: try item.id("id"), type: try item.int("type", default: 0),
                allow: try item.permissions("allow", default: 0), deny: try item.permissions("deny", default: 0)
            ))
        }
        return result
    }

    static func missing(_ key: String, _ expected: String) -> DiscordEmulatorError {
        .discord(400, 50035, "Invalid Form Body",
                 errors: [key: ["_errors": [["code": "BASE_TYPE_REQUIRED", "message": .string("\(key) must be \(expected)")]]]])
    }
}
