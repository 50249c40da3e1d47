/// A Discord id, typed by the resource it names (`Snowflake<Guild>`, `Snowflake<Channel>` …) so a
/// channel id can never be passed where a guild id is expected. Decimal strings on the wire;
/// integers are accepted too because some clients send them.
public struct Snowflake<Resource>: Hashable, Sendable, Comparable, Codable,
    CustomStringConvertible, LosslessStringConvertible
{
    public let rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    public init?(_ description: String) {
        guard let value = UInt64(description) else { return nil }
        self.rawValue = value
    }

    public var description: String { String(rawValue) }

    /// Milliseconds since the Discord epoch (2015-01-01) at which the id was made.
    public var timestampMilliseconds: UInt64 { (rawValue >> 22) + 1_420_070_400_000 }

    /// The shard that receives events for this guild id with `shardCount` shards.
    public func shard(of shardCount: Int) -> Int {
        guard shardCount > 0 else { return 0 }
        return Int((rawValue >> 22) % UInt64(shardCount))
    }

    /// Re-labels the id, for the documented cases where two resources share an id
    /// (the `@everyone` role has its guild's id).
    public func cast<Other>(to: Other.Type = Other.self) -> Snowflake<Other> { Snowflake<Other>(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = UInt64(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected a snowflake, got \(text.prefix(24))")
            }
            self.rawValue = value
        } else {
            self.rawValue = try container.decode(UInt64.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
