import Configuration

/// Typed reads of single keys with the operator-facing error for each kind of value.
struct SettingsValues {
    let config: ConfigReader

    init(_ config: ConfigReader) { self.config = config }

    /// The value as text, whether the file wrote it as a string, a number or a boolean.
    func raw(_ key: String, secret: Bool = false) -> String? {
        let configKey = ConfigKey([key])
        if let text = config.string(forKey: configKey, isSecret: secret) { return text }
        if let number = config.int(forKey: configKey, isSecret: secret) { return String(number) }
        if let number = config.double(forKey: configKey, isSecret: secret) { return String(number) }
        if let flag = config.bool(forKey: configKey, isSecret: secret) { return String(flag) }
        return nil
    }

    func text(_ key: String) throws(SettingsError) -> String? {
        guard let value = raw(key)?.trimmed, !value.isEmpty else { return nil }
        return value
    }

    func text(_ key: String, pattern: String, _ isValid: (String) -> Bool) throws(SettingsError) -> String? {
        guard let value = try text(key) else { return nil }
        guard isValid(value) else { throw SettingsError(key: key, problem: .malformed(found: value), expected: pattern) }
        return value
    }

    func secret(_ key: String) throws(SettingsError) -> Secret? {
        guard var value = raw(key, secret: true)?.trimmed, !value.isEmpty else { return nil }
        // Operators paste "Bot xyz" from other tools; Discord's IDENTIFY wants the bare token.
        if value.hasPrefix("Bot ") { value = value.dropFirst(4).trimmed }
        guard !value.isEmpty, !value.contains(where: \.isWhitespace) else {
            throw SettingsError(key: key, problem: .malformed(found: nil), expected: "a single value without spaces")
        }
        return Secret(value)
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws(SettingsError) -> Int? {
        guard let value = raw(key)?.trimmed, !value.isEmpty else { return nil }
        guard let number = Int(value), range.contains(number) else {
            throw SettingsError(key: key, problem: .malformed(found: value),
                                expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// `600`, `600s`, `10m`, `1h`.
    func duration(_ key: String) throws(SettingsError) -> Duration? {
        guard let value = raw(key)?.trimmed.lowercased(), !value.isEmpty else { return nil }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        var milliseconds: Int64?
        if let seconds = Int64(value) {
            milliseconds = seconds * 1000
        } else if let (suffix, factor) = units.first(where: { value.hasSuffix($0.0) && Int64(value.dropLast($0.0.count)) != nil }),
            let amount = Int64(value.dropLast(suffix.count))
        {
            milliseconds = amount * factor
        }
        guard let milliseconds, milliseconds > 0, milliseconds <= 7 * 86_400_000 else {
            throw SettingsError(key: key, problem: .malformed(found: value),
                                expected: "a positive duration up to 7 days such as 600, 600s, 10m or 1h")
        }
        return .milliseconds(milliseconds)
    }

    /// A duration within `range`, written as `duration(_:)` reads it.
    func duration(_ key: String, in range: ClosedRange<Duration>, expected: String) throws(SettingsError) -> Duration? {
        guard let value = try duration(key) else { return nil }
        guard range.contains(value) else {
            throw SettingsError(key: key, problem: .malformed(found: raw(key)?.trimmed.lowercased()), expected: expected)
        }
        return value
    }

    func url(_ key: String, schemes: [String], secret: Bool) throws(SettingsError) -> String? {
        guard let value = raw(key, secret: secret)?.trimmed, !value.isEmpty else { return nil }
        guard let parsed = ParsedURL(value), schemes.contains(parsed.scheme), !parsed.host.isEmpty else {
            throw SettingsError(key: key, problem: .malformed(found: secret ? nil : value),
                                expected: "a URL starting with \(schemes.map { "\($0)://" }.joined(separator: " or "))")
        }
        return value
    }

    func workerTokens() throws(SettingsError) -> [Secret] {
        var tokens: [Secret] = []
        var gapAt: Int?
        for index in 1...64 {
            let key = "DISCORD_WORKER_TOKEN_\(index)"
            guard let token = try secret(key) else {
                if gapAt == nil { gapAt = index }
                continue
            }
            if let gapAt {
                throw SettingsError(key: "DISCORD_WORKER_TOKEN_\(gapAt)", problem: .missing,
                                    expected: "worker tokens numbered without gaps (\(key) is set)")
            }
            tokens.append(token)
        }
        return tokens
    }

    /// `LAVALINK_NODES=http://:password@host:2333,https://:password@host2:443`, or the single
    /// node of `LAVALINK_URL` + `LAVALINK_PASSWORD`.
    func lavalinkNodes() throws(SettingsError) -> [AnankorSettings.LavalinkNode] {
        let expected = "comma-separated URLs like http://:password@lavalink:2333"
        if let list = raw("LAVALINK_NODES", secret: true)?.trimmed, !list.isEmpty {
            var nodes: [AnankorSettings.LavalinkNode] = []
            let entries = list.split(separator: ",", omittingEmptySubsequences: false).map(\.trimmed)
            for (offset, entry) in entries.enumerated() {
                let parsed = ParsedURL(entry)
                let problem: String? = switch parsed {
                case nil where entry.isEmpty: "is empty (a stray comma?)"
                case nil where !entry.contains("://"): "is not a URL"
                case nil: "has a port that is not a number from 1 to 65535"
                case let parsed? where !["http", "https"].contains(parsed.scheme):
                    "starts with \(parsed.scheme):// instead of http:// or https://"
                case let parsed? where parsed.host.isEmpty: "has no host"
                case let parsed? where (parsed.password ?? "").isEmpty: "has no password (http://:password@host:port)"
                default: nil
                }
                if let problem {
                    let shown = entry.isEmpty ? "" : " (\"\(ParsedURL.hidingPassword(entry).prefix(80))\")"
                    throw SettingsError(key: "LAVALINK_NODES",
                                        problem: .invalid(detail: "node \(offset + 1) of \(entries.count)\(shown) \(problem)"),
                                        expected: expected)
                }
                if let parsed, let password = parsed.password {
                    nodes.append(parsed.lavalinkNode(password: Secret(password)))
                }
            }
            return nodes
        }
        guard let url = try self.url("LAVALINK_URL", schemes: ["http", "https"], secret: false),
            let parsed = ParsedURL(url)
        else { return [] }
        guard let password = try secret("LAVALINK_PASSWORD") ?? parsed.password.map(Secret.init) else {
            throw SettingsError(key: "LAVALINK_PASSWORD", problem: .missing, expected: "the password of LAVALINK_URL's node")
        }
        return [parsed.lavalinkNode(password: password)]
    }
}

extension SettingsValues {
    /// `LAVALINK_REGIONS=lavalink-us:2333=us-east,lavalink-eu:2333=europe`: a region per node,
    /// the node named as in logs and metrics (`host:port` of its URL, `host` without a port).
    /// Nodes left out have no region. Whether a region is known is checked by
    /// `AnankorSettings.validateRegions(known:)`.
    func lavalinkRegions(of nodes: inout [AnankorSettings.LavalinkNode]) throws(SettingsError) {
        guard let list = try text("LAVALINK_REGIONS") else { return }
        let expected = "comma-separated node=region pairs such as lavalink-eu:2333=europe (nodes as in LAVALINK_NODES)"
        var seen: Set<String> = []
        for entry in list.split(separator: ",").map(\.trimmed) where !entry.isEmpty {
            guard let equals = entry.lastIndex(of: "=") else {
                throw SettingsError(key: "LAVALINK_REGIONS", problem: .invalid(detail: "\"\(entry.prefix(80))\" has no ="),
                                    expected: expected)
            }
            let name = entry[..<equals].trimmed
            let region = entry[entry.index(after: equals)...].trimmed.lowercased()
            guard let index = nodes.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                let known = nodes.map(\.name).joined(separator: ", ")
                throw SettingsError(key: "LAVALINK_REGIONS", problem: .invalid(
                    detail: "\"\(name.prefix(80))\" is not a configured node (nodes: \(known.isEmpty ? "none" : known))"),
                    expected: expected)
            }
            guard !region.isEmpty, region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw SettingsError(key: "LAVALINK_REGIONS", problem: .invalid(
                    detail: "node \(nodes[index].name) has no region or one with characters other than a-z, 0-9 and -"),
                    expected: expected)
            }
            guard seen.insert(nodes[index].name).inserted else {
                throw SettingsError(key: "LAVALINK_REGIONS",
                                    problem: .invalid(detail: "node \(nodes[index].name) is given twice"), expected: expected)
            }
            nodes[index].region = region
        }
    }
}

/// Just enough URL parsing for settings: `scheme://[user][:password]@host[:port][/path]`.
struct ParsedURL {
    var scheme: String
    var password: String?
    var host: String
    var port: Int?
    var path: String

    init?(_ text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        scheme = text[..<separator.lowerBound].lowercased()
        var rest = text[separator.upperBound...]
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        path = String(rest[pathStart...])
        rest = rest[..<pathStart]
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncodingLoosely
            }
            rest = rest[rest.index(after: at)...]
        }
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let number = Int(rest[rest.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number
            rest = rest[..<colon]
        }
        host = String(rest)
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter }) else { return nil }
    }

    var hostAndPort: String { port.map { "\(host):\($0)" } ?? host }

    /// `text` with whatever sits between `://` and the last `@` replaced, for error messages.
    static func hidingPassword(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        guard let separator = text.range(of: "://"), at > separator.upperBound else {
            return "***" + String(text[at...])
        }
        return String(text[..<separator.upperBound]) + ":***" + String(text[at...])
    }

    func lavalinkNode(password: Secret) -> AnankorSettings.LavalinkNode {
        .init(name: hostAndPort, baseURL: baseURL, host: host, port: port ?? (scheme == "https" ? 443 : 80),
              secure: scheme == "https", password: password)
    }
    var baseURL: String { "\(scheme)://\(hostAndPort)\(path == "/" ? "" : path)" }
}

extension StringProtocol {
    var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// `%XX` sequences decoded; anything malformed is kept as typed.
    var removingPercentEncodingLoosely: String {
        var bytes: [UInt8] = []
        var utf8 = Array(self.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
