import NIOCore

/// One field of a stream entry.
public struct RedisStreamField: Sendable, Hashable {
    public var name: String
    public var value: ByteBuffer

    public init(name: String, value: ByteBuffer) {
        self.name = name
        self.value = value
    }
}

/// A stream entry as read by XRANGE/XREADGROUP/XAUTOCLAIM.
public struct RedisStreamEntry: Sendable, Hashable {
    public var id: String
    public var fields: [RedisStreamField]
    /// The entry is still pending in the group but its data was deleted (XDEL/XTRIM); Redis then
    /// reports only the id. Only reading history (`XREADGROUP … 0`) can return such entries.
    public var isDeleted: Bool

    public init(id: String, fields: [RedisStreamField], isDeleted: Bool = false) {
        self.id = id
        self.fields = fields
        self.isDeleted = isDeleted
    }

    /// The first field with that name.
    public subscript(field: String) -> ByteBuffer? {
        fields.first(where: { $0.name == field })?.value
    }

    public func string(_ field: String) -> String? {
        self[field].map { String(buffer: $0) }
    }
}

/// Entries read from one stream.
public struct RedisStreamRead: Sendable, Hashable {
    public var stream: String
    public var entries: [RedisStreamEntry]
}

/// The three parts of an XAUTOCLAIM reply.
public struct RedisAutoClaim: Sendable, Hashable {
    /// Where the next XAUTOCLAIM should start; `0-0` once the whole PEL was scanned.
    public var nextCursor: String
    /// Entries now owned by the claiming consumer, with their data.
    public var claimed: [RedisStreamEntry]
    /// Pending ids whose entries no longer exist (trimmed or deleted). Redis ≥ 7 removes them from
    /// the PEL while claiming; they must not be processed as jobs.
    public var deletedIDs: [String]
}

/// The summary form of XPENDING.
public struct RedisPendingSummary: Sendable, Hashable {
    public var count: Int
    public var lowestID: String?
    public var highestID: String?
    /// Pending count per consumer that has any.
    public var consumers: [String: Int]
}

/// One entry of the extended form of XPENDING.
public struct RedisPendingEntry: Sendable, Hashable {
    public var id: String
    public var consumer: String
    /// Time since the entry was last delivered.
    public var idle: Duration
    /// How many times it was delivered (1 after the first read).
    public var deliveryCount: Int
}

/// A row of XINFO GROUPS.
public struct RedisStreamGroupInfo: Sendable, Hashable {
    public var name: String
    public var consumers: Int
    public var pending: Int
    public var lastDeliveredID: String
    /// Redis ≥ 7 only.
    public var entriesRead: Int?
    /// Entries not yet delivered to the group; Redis ≥ 7 only, `nil` when Redis cannot tell.
    public var lag: Int?
}

/// A row of XINFO CONSUMERS.
public struct RedisStreamConsumerInfo: Sendable, Hashable {
    public var name: String
    public var pending: Int
    /// Since the consumer's last attempted interaction.
    public var idle: Duration
    /// Since its last successful read; Redis ≥ 7.2 only.
    public var inactive: Duration?
}

/// How XADD/XTRIM bound a stream.
public enum RedisStreamTrim: Sendable, Hashable {
    /// `MAXLEN [~] n`; approximate (`~`) lets Redis trim whole nodes, which is much cheaper.
    case maxLength(Int, approximate: Bool = true)
    /// `MINID [~] id`.
    case minID(String, approximate: Bool = true)

    var arguments: [any RedisArgument] {
        switch self {
        case .maxLength(let count, let approximate): ["MAXLEN", approximate ? "~" : "=", count]
        case .minID(let id, let approximate): ["MINID", approximate ? "~" : "=", id]
        }
    }
}

/// Reading stream replies in both RESP2 and RESP3 shapes.
struct StreamReplyReader {
    let reader: ReplyReader

    init(command: String) {
        reader = ReplyReader(command: command)
    }

    /// `[id, [field, value, …]]`, or `[id, null]` for an entry deleted while pending.
    func entry(_ value: RESPValue) throws(RedisError) -> RedisStreamEntry {
        let parts = try reader.array(value)
        guard parts.count == 2 else { throw .unexpected(value, command: reader.command, expected: "[id, fields]") }
        let id = try reader.string(parts[0])
        if parts[1].isNull { return RedisStreamEntry(id: id, fields: [], isDeleted: true) }
        let flat = try reader.array(parts[1])
        guard flat.count % 2 == 0 else { throw .unexpected(value, command: reader.command, expected: "field/value pairs") }
        var fields: [RedisStreamField] = []
        fields.reserveCapacity(flat.count / 2)
        for index in stride(from: 0, to: flat.count, by: 2) {
            fields.append(RedisStreamField(
                name: try reader.string(flat[index]), value: try reader.optionalBytes(flat[index + 1]) ?? ByteBuffer()))
        }
        return RedisStreamEntry(id: id, fields: fields)
    }

    func entries(_ value: RESPValue) throws(RedisError) -> [RedisStreamEntry] {
        try reader.arrayOrEmpty(value).map { element throws(RedisError) in try entry(element) }
    }

    /// XREAD/XREADGROUP: RESP3 map `{stream: entries}`, RESP2 `[[stream, entries], …]`, null on timeout.
    func streams(_ value: RESPValue) throws(RedisError) -> [RedisStreamRead] {
        if value.isNull { return [] }
        if case .map(let map) = value {
            return try map.map { pair throws(RedisError) in
                RedisStreamRead(stream: try reader.string(pair.key), entries: try entries(pair.value))
            }
        }
        return try reader.array(value).map { element throws(RedisError) in
            let pair = try reader.array(element)
            guard pair.count == 2 else { throw .unexpected(element, command: reader.command, expected: "[stream, entries]") }
            return RedisStreamRead(stream: try reader.string(pair[0]), entries: try entries(pair[1]))
        }
    }

    /// `[cursor, entries]` (Redis 6.2) or `[cursor, entries, deletedIDs]` (Redis ≥ 7).
    func autoClaim(_ value: RESPValue) throws(RedisError) -> RedisAutoClaim {
        let parts = try reader.array(value)
        guard parts.count == 2 || parts.count == 3 else {
            throw .unexpected(value, command: reader.command, expected: "[cursor, entries, deleted ids]")
        }
        var claimed: [RedisStreamEntry] = []
        var deleted: [String] = []
        for entry in try entries(parts[1]) {
            // Redis 6.2 reports deleted entries inline with a null body.
            if entry.isDeleted { deleted.append(entry.id) } else { claimed.append(entry) }
        }
        if parts.count == 3 {
            deleted += try reader.arrayOrEmpty(parts[2]).map { id throws(RedisError) in try reader.string(id) }
        }
        return RedisAutoClaim(nextCursor: try reader.string(parts[0]), claimed: claimed, deletedIDs: deleted)
    }

    /// A map (RESP3) or flat pair array (RESP2) with text keys.
    func fields(_ value: RESPValue) throws(RedisError) -> [String: RESPValue] {
        var result: [String: RESPValue] = [:]
        for pair in try reader.pairs(value) { result[try reader.string(pair.key)] = pair.value }
        return result
    }

    func intField(_ fields: [String: RESPValue], _ name: String) throws(RedisError) -> Int {
        guard let value = fields[name], let number = value.int else {
            throw RedisError(.unexpectedReply, "\(reader.command) reply lacks the integer field '\(name)'")
        }
        return Int(number)
    }
}
